"""Rendered feeds and sitemaps, kept in Django's cache until something is published.

Feed readers poll every few minutes and sitemaps are large: each response is rendered once per
*generation* and served from the cache until a receiver (receivers.py) starts a new generation, or
until its timeout runs out (what no signal announces: a scheduled item coming online, a renamed
country). Every cached response carries an ETag and its Last-Modified date, so a reader that already
has it gets a 304.

With the local-memory cache each process has its own generation, so a process that did not handle
the publication serves the old copy until the timeout; with Redis (production) all share one.
"""

import hashlib
import uuid
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import parse_http_date_safe

GENERATION_KEY = "syndication:generation"
KEPT_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def syndication_cache_invalidate() -> None:
    """Start a new generation: every cached feed and sitemap is rendered again on its next request."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _key(request: HttpRequest) -> str:
    # The URL with its host and scheme: responses hold absolute links.
    digest = hashlib.sha256(f"{generation()}|{request.build_absolute_uri()}".encode()).hexdigest()
    return f"syndication:response:{digest}"


def cached_response(seconds: Callable[[], int]):
    """Cache a view's successful GET responses for `seconds()` (0: no cache) within a generation."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            timeout = seconds()
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            key = _key(request) if timeout > 0 else None
            stored = cache.get(key) if key else None
            if stored is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                if callable(getattr(response, "render", None)):
                    response.render()
                headers = {
                    name: response[name] for name in KEPT_HEADERS if response.has_header(name)
                }
                headers["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
                stored = {"content": response.content, "headers": headers}
                if key:
                    cache.set(key, stored, timeout)
            response = HttpResponse(stored["content"], headers=stored["headers"])
            last_modified = parse_http_date_safe(stored["headers"].get("Last-Modified", ""))
            return get_conditional_response(
                request,
                etag=stored["headers"]["ETag"],
                last_modified=last_modified,
                response=response,
            )

        return wrapper

    return decorator
