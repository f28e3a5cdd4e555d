"""Settings of the syndication app, read when used (never at import time)."""

from django.conf import settings


def site_name() -> str:
    return settings.STEPPE_SITE_NAME


def feed_size() -> int:
    """How many items a feed carries (newest first)."""
    return int(getattr(settings, "STEPPE_FEED_SIZE", 30))


def news_sitemap_hours() -> int:
    """How far back the news sitemap goes (Google News reads the last two days)."""
    return int(getattr(settings, "STEPPE_NEWS_SITEMAP_HOURS", 48))


def sitemap_page_size() -> int:
    """URLs per sitemap file: each item counts once per interface language."""
    return int(getattr(settings, "STEPPE_SITEMAP_PAGE_SIZE", 5000))


def feed_cache_seconds() -> int:
    """How long a rendered feed is served from the cache when nothing is published meanwhile."""
    return int(getattr(settings, "STEPPE_FEED_CACHE_SECONDS", 300))


def sitemap_cache_seconds() -> int:
    return int(getattr(settings, "STEPPE_SITEMAP_CACHE_SECONDS", 3600))
