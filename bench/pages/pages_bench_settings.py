"""Settings of the page benchmark's server: the production profile, without the API's per-IP limit
(the benchmark is one client sending tens of thousands of requests), and the caches switched by the
environment so that the same code is measured uncached and cached."""

import os

from steppe.settings import *  # noqa: F403

STEPPE_API_RATE_LIMIT = None
STEPPE_PAGE_CACHE_SECONDS = int(os.environ.get("STEPPE_PAGE_CACHE_SECONDS", "300"))
STEPPE_FEED_CACHE_SECONDS = int(os.environ.get("STEPPE_FEED_CACHE_SECONDS", "300"))
STEPPE_SITEMAP_CACHE_SECONDS = int(os.environ.get("STEPPE_SITEMAP_CACHE_SECONDS", "300"))
# Fragments (steppe.core.templatetags.steppe): on as in production unless the run switches them off.
STEPPE_FRAGMENT_CACHE_SECONDS = int(os.environ.get("STEPPE_FRAGMENT_CACHE_SECONDS", "300"))
