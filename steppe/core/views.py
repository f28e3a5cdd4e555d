"""Operational views: health probes, the error handler that turns a lost database into a 503, and
media files in development."""

from __future__ import annotations

import logging
import os
import sys
import time

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.static import serve

logger = logging.getLogger("steppe.health")

RETRY_AFTER_SECONDS = 30
READINESS_PROBE_KEY = "steppe:readyz"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answers; touches neither the database nor the cache."""
    return _no_store(JsonResponse({"status": "ok"}))


def _check_database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def _check_cache() -> None:
    from steppe.core.cache import ResilientRedisCache

    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        backend.ping()
        return
    backend.set(READINESS_PROBE_KEY, "1", 10)
    if backend.get(READINESS_PROBE_KEY) != "1":
        raise RuntimeError("cache did not keep a value")


def _check_storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        location = default_storage.location
        # Created on first upload anyway; failing to create it is what "not ready" means here.
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise RuntimeError("media folder not writable")
        return
    # A HEAD on a key that does not exist: reaches the bucket with the credentials, writes nothing.
    default_storage.exists(READINESS_PROBE_KEY)


READINESS_CHECKS = {"database": _check_database, "cache": _check_cache, "storage": _check_storage}


def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: database, cache and media storage reachable (503 with the failing parts)."""
    checks: dict[str, dict] = {}
    ready = True
    for name, check in READINESS_CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 (any failure means "not ready", whatever the library)
            ready = False
            logger.warning("Readiness check %s failed: %r", name, exc)
            checks[name] = {"status": "error", "error": exc.__class__.__name__}
        else:
            checks[name] = {"status": "ok"}
        checks[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    response = JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks})
    if not ready:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return _no_store(response)


def service_unavailable(request: HttpRequest | None, *, reason: str = "database") -> HttpResponse:
    """The French 503 page, rendered without a database or a request context."""
    body = render_to_string("503.html", {"reason": reason})
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return _no_store(response)


DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: a lost database connection is a temporary 503; anything else is the 500 page.

    Django calls this from inside its exception handler, so `sys.exc_info()` is the error, whether it
    came from a view, a middleware or a template. `DatabaseError` subclasses other than these two
    (integrity, data errors) are bugs and stay 500s.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_UNAVAILABLE_ERRORS) or (
        isinstance(exc, DatabaseError) and isinstance(exc.__cause__, DATABASE_UNAVAILABLE_ERRORS)
    ):
        for connection in connections.all(initialized_only=True):
            # Drop the broken connection now: the next request opens a fresh one.
            connection.close_if_unusable_or_obsolete()
        return service_unavailable(request, reason="database")
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request, template_name=template_name)


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files in development and tests (production: nginx or the object store)."""
    if not isinstance(default_storage, FileSystemStorage):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
