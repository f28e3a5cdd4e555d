"""Extraction: from an item's text to its language, countries, people, organisations, places and
dated events. Pure Python, no database: `extract()` is the entry point; the services store its result.
"""

from .pipeline import EXTRACTOR_VERSION, EventHit, Extraction, extract

__all__ = ["EXTRACTOR_VERSION", "EventHit", "Extraction", "extract"]
