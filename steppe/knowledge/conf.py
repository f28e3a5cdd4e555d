"""Settings of the knowledge layer, read lazily (never at import)."""

from django.conf import settings


def auto_extract() -> bool:
    """STEPPE_KNOWLEDGE_AUTO_EXTRACT (default True): extract when an item is published or changed."""
    return bool(getattr(settings, "STEPPE_KNOWLEDGE_AUTO_EXTRACT", True))


def fuzzy_threshold() -> int:
    """STEPPE_KNOWLEDGE_FUZZY_THRESHOLD (default 88): rapidfuzz ratio for two keys to be one entity."""
    return int(getattr(settings, "STEPPE_KNOWLEDGE_FUZZY_THRESHOLD", 88))
