"""Cross-cutting HTTP middleware: request ids, security headers, health probes, rate-limit guard."""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from steppe.core.logging import request_id_var

logger = logging.getLogger("steppe.request")

# What we accept from the proxy (nginx's $request_id is 32 hex digits): short, no spaces, no quotes,
# so a client cannot inject text into the logs through the header.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


class RequestIdMiddleware:
    """Takes `X-Request-ID` from the proxy (or makes one), logs with it, and sends it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware chain has
        # returned; core.apps resets it on `request_finished`.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


DEFAULT_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
    "payment=(), picture-in-picture=(), publickey-credentials-get=(self), screen-wake-lock=(), "
    "sync-xhr=(), usb=(), xr-spatial-tracking=()"
)


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy and Cross-Origin-Resource-Policy.

    Sits above WhiteNoise in MIDDLEWARE so static files get them too. A response that already carries
    a header (a view that knows better) keeps its own value.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = getattr(
            settings, "STEPPE_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY
        )
        self.resource_policy = getattr(
            settings, "STEPPE_CROSS_ORIGIN_RESOURCE_POLICY", "same-origin"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if self.resource_policy:
            response.headers.setdefault("Cross-Origin-Resource-Policy", self.resource_policy)
        return response


class HealthCheckMiddleware:
    """Answers `/healthz` and `/readyz` before host validation, sessions and the database.

    Load balancers probe with the server's address as Host (not in ALLOWED_HOSTS) and over plain
    HTTP, so these two paths must not go through CommonMiddleware's host check or the HTTPS redirect
    (they are in SECURE_REDIRECT_EXEMPT). Placed after the header middleware, so the probes' answers
    carry the same security headers as everything else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            from steppe.core.views import healthz

            return healthz(request)
        if request.path_info == "/readyz":
            from steppe.core.views import readyz

            return readyz(request)
        return self.get_response(request)


# allauth views whose POST is counted by ACCOUNT_RATE_LIMITS in the cache.
RATE_LIMITED_URL_NAMES = frozenset(
    {
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_from_key",
        "account_confirm_email",
        "account_email",
        "account_change_password",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_authenticate",
    }
)


class RateLimitGuardMiddleware:
    """Refuses sign-in, sign-up and the other rate-limited account actions while the cache is down.

    allauth counts attempts in the cache; with Redis unreachable nothing could be counted, so the
    limit would silently stop working. The degraded cache already makes allauth refuse (its lock
    cannot be taken) but only after waiting one second; this answers at once with a French 503 and
    `Retry-After`. Reading pages is unaffected (only POSTs to these views are refused).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name not in RATE_LIMITED_URL_NAMES:
            return None
        from steppe.core.cache import cache_is_degraded

        if not cache_is_degraded():
            return None
        logger.warning("Refusing %s: the rate-limit cache is unavailable.", match.url_name)
        from steppe.core.views import service_unavailable

        return service_unavailable(request, reason="rate_limit_cache")
