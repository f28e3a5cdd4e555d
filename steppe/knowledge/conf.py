"""Settings of the knowledge layer, read lazily (never at import)."""

from django.conf import settings


def auto_extract() -> bool:
    """STEPPE_KNOWLEDGE_AUTO_EXTRACT (default True): extract when an item is published or changed."""
    return bool(getattr(settings, "STEPPE_KNOWLEDGE_AUTO_EXTRACT", True))


def fuzzy_threshold() -> int:
    """STEPPE_KNOWLEDGE_FUZZY_THRESHOLD (default 88): rapidfuzz ratio for two keys to be one entity."""
    return int(getattr(settings, "STEPPE_KNOWLEDGE_FUZZY_THRESHOLD", 88))


def suggestion_rate_limit() -> tuple[int, int]:
    """STEPPE_KNOWLEDGE_SUGGESTION_RATE_LIMIT (default 30 per 60 s): the editor's suggestion requests
    one user may send, per how many seconds."""
    limit, window = getattr(settings, "STEPPE_KNOWLEDGE_SUGGESTION_RATE_LIMIT", (30, 60))
    return int(limit), int(window)
