"""Reads of the taxonomy."""

from django.core.cache import cache
from django.utils.translation import get_language

from .models import Country, Region, Theme

NAVIGATION_CACHE_KEY = "taxonomy:navigation:v1"


def navigation() -> dict:
    """Countries covered, regions and themes for the menus, cached per language."""
    key = f"{NAVIGATION_CACHE_KEY}:{get_language()}"
    value = cache.get(key)
    if value is None:
        value = {
            "countries": list(Country.objects.filter(is_focus=True)),
            "regions": list(Region.objects.all()),
            "themes": list(Theme.objects.all()),
        }
        cache.set(key, value, 300)
    return value


def navigation_invalidate() -> None:
    """Forget the cached menus (after the taxonomy changes)."""
    for code in ("fr", "en", "ru"):
        cache.delete(f"{NAVIGATION_CACHE_KEY}:{code}")
