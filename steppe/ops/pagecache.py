"""Whole-page cache for anonymous readers, emptied by a new *content generation* on each change.

Every cached page is stored under a key made of the current generation, the scheme, host and full
path (the language is part of the path: French unprefixed, English under /en/). Receivers of the
publishing, library and taxonomy signals (receivers.py) start a new generation, so after a publication,
an edit, a withdrawal or a moderation decision every page, listing and home page is rendered again on
its next request; old entries are never read again and expire by themselves. What no signal announces
(an item scheduled for later coming online) shows after at most `STEPPE_PAGE_CACHE_SECONDS`.

Only what is the same for every anonymous reader is stored: GET/HEAD, a request without a session or
messages cookie (every signed-in user has a session cookie, so a signed-in user neither reads nor
writes this cache), an HTML 200 response that sets no cookie, used no CSRF token and no CSP nonce, and
is not marked private. Responses that may be cached say so (`Cache-Control: public, s-maxage=…`), so a
microcache in front (nginx) can keep them a few seconds too; the others get `Cache-Control: private`.
`X-Cache` tells HIT, MISS or BYPASS.

Hand-written rather than Django's `cache_page`/`UpdateCacheMiddleware`: those key on the values of the
`Vary` headers (Cookie), so every reader with a CSRF cookie would get a cache of their own, and they have
no notion of a site-wide generation.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from . import conf

logger = logging.getLogger("steppe.ops.pagecache")

GENERATION_KEY = "ops:page-generation"
KEY_PREFIX = "ops:page:"
# Headers that describe the content; the rest (Date, request id, security headers added by outer
# middleware) is made again for every response.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Link",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Robots-Tag",
)


def _cache():
    return caches[conf.page_cache_alias()]


def content_generation() -> str:
    return _cache().get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None) or "none"


def content_generation_bump() -> None:
    """Start a new generation: every cached page is rendered again on its next request."""
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _cookie_blocks_cache(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
    )


def request_is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not _cookie_blocks_cache(request)
        and "HTTP_HX_REQUEST" not in request.META  # HTMX asks for fragments of the same URLs
        and "HTTP_AUTHORIZATION" not in request.META
    )


def response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False  # feeds and sitemaps have their own cache; the API its own ETags
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page holds a CSRF token: it belongs to this reader
    if getattr(request, "_csp_nonce", None):
        return False  # a nonce must not be served twice
    user = getattr(request, "user", None)
    return not (user is not None and getattr(user, "is_authenticated", False))


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


def _is_public_feed(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not response.has_header("Cache-Control")
        and response.get("Content-Type", "").split(";")[0].strip() in FEED_TYPES
    )


def page_key(request: HttpRequest, generation: str) -> str:
    raw = f"{generation}|{request.scheme}|{request.get_host()}|{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


class AnonymousPageCacheMiddleware:
    """Serve and store whole anonymous HTML pages (see the module docstring).

    Place it after SecurityMiddleware and WhiteNoise and before SessionMiddleware: a hit then skips
    sessions, CSRF, authentication and the view, while outer middleware still adds its headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = conf.page_cache_seconds()
        if timeout <= 0 or not request_is_cacheable(request):
            return self._bypass(self.get_response(request))
        try:
            key = page_key(request, content_generation())
            stored = _cache().get(key)
        except Exception:  # a broken cache never blocks reading
            logger.warning("page cache unreachable", exc_info=True)
            return self._bypass(self.get_response(request))
        if stored is not None:
            response = HttpResponse(stored["content"], headers=stored["headers"])
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if not response_is_cacheable(request, response):
            return self._bypass(response)
        headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
        headers["Cache-Control"] = f"public, max-age=0, s-maxage={conf.page_cache_shared_seconds()}"
        response["Cache-Control"] = headers["Cache-Control"]
        try:
            _cache().set(key, {"content": response.content, "headers": headers}, timeout)
        except Exception:
            logger.warning("page cache unreachable", exc_info=True)
        response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def _bypass(response: HttpResponse) -> HttpResponse:
        """A response this cache does not keep: say what a cache in front may do with it."""
        if response.cookies or response.get("Content-Type", "").startswith("text/html"):
            # Nothing personal (or unknown) may be kept by a shared cache in front.
            if "public" not in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True)
        elif _is_public_feed(response):
            # Feeds and sitemaps have their own cache (syndication); a cache in front may keep
            # them as briefly as pages.
            response["Cache-Control"] = (
                f"public, max-age=0, s-maxage={conf.page_cache_shared_seconds()}"
            )
        response["X-Cache"] = "BYPASS"  # JSON, redirects, errors: their own rules apply
        return response
