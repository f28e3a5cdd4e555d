"""The search app's settings, read lazily (tests may override them)."""

import os

from django.conf import settings

DEFAULT_BACKENDS = {
    "sqlite": {"BACKEND": "steppe.search.backends.sqlite.SQLiteSearchBackend"},
    "postgresql": {"BACKEND": "steppe.search.backends.postgres.PostgresSearchBackend"},
}


def backends() -> dict[str, dict]:
    """`STEPPE_SEARCH_BACKENDS`: database vendor → {"BACKEND": dotted path, "OPTIONS": {...}}."""
    return {**DEFAULT_BACKENDS, **getattr(settings, "STEPPE_SEARCH_BACKENDS", {})}


def ranked_limit() -> int:
    """How many matches are ranked, paged through by relevance and counted in the facets."""
    return int(getattr(settings, "STEPPE_SEARCH_RANKED_LIMIT", 1000))


def page_size() -> int:
    return int(getattr(settings, "STEPPE_SEARCH_PAGE_SIZE", settings.STEPPE_PAGE_SIZE))


def index_workers() -> int:
    """Processes that read and analyse items during a reindex (0: all in the calling process)."""
    default = min(4, os.cpu_count() or 1)
    return int(getattr(settings, "STEPPE_SEARCH_INDEX_WORKERS", default))


def count_limit() -> int:
    """Matches counted exactly; past that the page says "more than" this number."""
    return int(getattr(settings, "STEPPE_SEARCH_COUNT_LIMIT", 10_000))
