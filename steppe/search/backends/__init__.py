"""Pick the search engine from the database in use (`STEPPE_SEARCH_BACKENDS`)."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils.module_loading import import_string

from steppe.search import conf

from .base import BaseSearchBackend, Criteria, Matches

__all__ = ["BaseSearchBackend", "Criteria", "Matches", "get_search_backend"]


def get_search_backend(alias: str = "default") -> BaseSearchBackend:
    """The backend for the database `alias`, chosen by its vendor (sqlite, postgresql…)."""
    vendor = connections[alias].vendor
    config = conf.backends().get(vendor)
    if config is None:
        raise ImproperlyConfigured(
            f"No search backend for the database vendor {vendor!r}: set STEPPE_SEARCH_BACKENDS."
        )
    backend_class = import_string(config["BACKEND"])
    return backend_class(alias, **config.get("OPTIONS", {}))
