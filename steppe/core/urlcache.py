"""reverse(), remembered: the URLs of public pages are built again and again with the same values.

A page links to its article's kind, author, countries and themes, and every page to the same menus:
reverse() costs ~40-50 µs of CPU each time (resolver walk, converters, quoting). A URL depends only
on the view name, its arguments, the active language (i18n_patterns), the script prefix and the
URLconf, so all of them make the key: a renamed slug is a new key and never meets the old URL.
Failures (NoReverseMatch) are not remembered; they raise again, as reverse() does.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Bounded: a busy process holds a few thousand distinct URLs (menus, the newest items, their
# authors); older entries drop out first.
MAX_URLS = 8192


@lru_cache(maxsize=MAX_URLS)
def _reverse(
    viewname: str,
    kwargs: tuple[tuple[str, str], ...],
    language: str | None,
    prefix: str,
    urlconf: str | None,
    root_urlconf: str,
) -> str:
    return reverse(viewname, kwargs=dict(kwargs))


def reverse_cached(viewname: str, **kwargs: str | int) -> str:
    """reverse(viewname, kwargs=kwargs), remembered per language, script prefix and URLconf."""
    return _reverse(
        viewname,
        tuple(sorted(kwargs.items())),
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        settings.ROOT_URLCONF,
    )


def reverse_cached_clear() -> None:
    """Forget every remembered URL (tests that swap URL configurations in place)."""
    _reverse.cache_clear()
