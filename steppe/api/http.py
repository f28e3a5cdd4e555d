"""What every API URL does around its view: language, rate limit, HEAD, ETag/304, CORS, JSON errors.

`api_view` wraps each URL pattern of the API (see urls.py), Ninja operations and the schema and
docs pages alike, so that these rules hold for every response without each endpoint repeating them.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import ngettext

from . import conf
from .errors import JSON_CONTENT_TYPE, ApiError, error_response, report_exception
from .throttling import rate_limit_hit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
CORS_EXPOSE_HEADERS = (
    "ETag, Retry-After, Content-Language, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
)
CORS_MAX_AGE = "86400"


def etag_for(content: bytes) -> str:
    return f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


def is_public(request: HttpRequest) -> bool:
    """A read that any web page may make: a safe method, without an authenticated API client.

    Endpoints that authenticate (personal API tokens, later) set `request.auth` through Ninja's
    `auth=`; their answers are never shared with other origins nor with shared caches.
    """
    return request.method in SAFE_METHODS and getattr(request, "auth", None) is None


def _add_cors(response: HttpResponseBase) -> None:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]
    _add_cors(response)
    response["Access-Control-Allow-Methods"] = ", ".join(SAFE_METHODS)
    response["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
    response["Access-Control-Max-Age"] = CORS_MAX_AGE
    response["Allow"] = ", ".join(SAFE_METHODS)
    return response


def rate_limited_error(reset: int) -> ApiError:
    message = ngettext(
        "Too many requests: try again in %(seconds)d second.",
        "Too many requests: try again in %(seconds)d seconds.",
        reset,
    ) % {"seconds": reset}
    return ApiError(
        429, message, details={"retry_after": reset}, headers={"Retry-After": str(reset)}
    )


def _rate_limited(reset: int) -> HttpResponse:
    return rate_limited_error(reset).response()


def _as_json_error(response: HttpResponseBase) -> HttpResponseBase:
    """Give an error produced outside our handlers (405 from Ninja, 412 from Django) our shape."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return response
    details = None
    if response.status_code == 405 and response.has_header("Allow"):
        allowed = {method.strip() for method in response["Allow"].split(",") if method.strip()}
        if "GET" in allowed:
            allowed |= set(SAFE_METHODS)  # api_view answers HEAD and OPTIONS for every GET
        response["Allow"] = ", ".join(sorted(allowed))
        details = {"allowed": sorted(allowed)}
    replacement = error_response(response.status_code, details=details)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if response.has_header(header):
            replacement[header] = response[header]
    return replacement


def api_view(view: Callable, *, cors: bool = True, safe_only: bool = False) -> Callable:
    """Wrap one URL's view with the API's HTTP rules (module docstring).

    `safe_only`: the view answers GET, HEAD and OPTIONS only (the schema, the docs page, unknown
    URLs); other methods get a JSON 405 instead of reaching the view or Django's CSRF check.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        language = translation.get_language_from_request(request)
        decision = None
        with translation.override(language):
            try:
                if safe_only and request.method not in SAFE_METHODS:
                    response = HttpResponse(status=405)
                    response["Allow"] = ", ".join(SAFE_METHODS)
                elif request.method == "OPTIONS" and cors:
                    response = _preflight()  # not counted: browsers send it before reads
                else:
                    decision = rate_limit_hit(request)
                    if decision is not None and not decision.allowed:
                        response = _rate_limited(decision.reset)
                    else:
                        response = _read(view, request, args, kwargs)
            except ApiError as exc:
                response = exc.response()
            except Http404:
                response = error_response(404)
            except Exception as exc:  # noqa: BLE001
                response = report_exception(request, exc)
            response = _as_json_error(response)
            response.headers.setdefault("Content-Language", language)
        if decision is not None:
            response["RateLimit-Limit"] = str(decision.limit)
            response["RateLimit-Remaining"] = str(decision.remaining)
            response["RateLimit-Reset"] = str(decision.reset)
        if cors and is_public(request):
            _add_cors(response)
        patch_vary_headers(response, ("Accept-Language",))
        if response.status_code >= 400:
            patch_cache_control(response, no_store=True)
        if request.method == "HEAD" and not response.streaming and response.content:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    if safe_only:
        # Unsafe methods never reach the view (405 above), so Django's CSRF check has nothing to
        # protect here; without this, a POST would get its HTML 403 page instead of our JSON.
        wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


def _read(view, request: HttpRequest, args, kwargs) -> HttpResponseBase:
    """Call the view; answer HEAD exactly as GET (the body is dropped later)."""
    is_head = request.method == "HEAD"
    if is_head:
        request.method = "GET"
    try:
        response = view(request, *args, **kwargs)
    finally:
        if is_head:
            request.method = "HEAD"
    return _conditional(request, response)


def _conditional(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """ETag on every successful read, 304 when If-None-Match names it; caching rules."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.streaming:
        return response
    if not response.has_header("ETag"):
        response["ETag"] = etag_for(response.content)
    if not response.has_header("Cache-Control"):
        if is_public(request):
            patch_cache_control(response, public=True, max_age=int(conf.get("STEPPE_API_MAX_AGE")))
        else:
            patch_cache_control(response, private=True, no_cache=True)
    if response.get("Content-Type", "").startswith("application/json"):
        response["Content-Type"] = JSON_CONTENT_TYPE
    return get_conditional_response(request, etag=response["ETag"], response=response)
