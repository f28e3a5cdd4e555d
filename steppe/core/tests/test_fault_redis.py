"""Fault: Redis stopped (or hung) under a running site.

Against a private redis-server (never the machine's shared one): pages keep serving from the
database, a signed-in reader stays signed in (cached_db sessions), sign-in and sign-up are refused
while their rate limits cannot be counted (fail closed), and no degraded request takes more than 1 s.
"""

import signal
import time

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import pytest

from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide"
BUDGET = 1.0  # seconds per degraded request


def use_redis(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "steppe.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "retry_after": 0.5,
            },
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def signup_data(email: str) -> dict:
    return {
        "email": email,
        "password1": "Une-phrase-de-passe-longue-42",
        "password2": "Une-phrase-de-passe-longue-42",
        "display_name": "Nouvelle Autrice",
        "kind": "individual",
    }


def test_redis_stopped(settings, redis_server, contributor):
    use_redis(settings, redis_server.url)
    article = ArticleFactory(published=True, title="La steppe en hiver")
    pages = ["/", article.get_absolute_url(), "/flux/", "/api/v1/articles"]

    reader = Client()
    response = reader.post(
        reverse("account_login"), {"login": contributor.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    assert reader.get(reverse("publishing:dashboard")).status_code == 200
    for url in pages:
        assert reader.get(url).status_code == 200

    redis_server.stop()

    # Reading is never blocked, and each degraded request stays within budget.
    for url in pages:
        response, elapsed = timed(Client().get, url)
        assert response.status_code == 200, url
        assert elapsed <= BUDGET, (url, elapsed)
    assert "La steppe en hiver" in Client().get("/").content.decode()

    # The signed-in reader keeps their session (read back from the database).
    response, elapsed = timed(reader.get, reverse("publishing:dashboard"))
    assert response.status_code == 200
    assert elapsed <= BUDGET

    # Sign-in and sign-up fail closed: refused at once, in French, with Retry-After.
    visitor = Client()
    response, elapsed = timed(
        visitor.post, reverse("account_login"), {"login": contributor.email, "password": PASSWORD}
    )
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Service momentanément indisponible" in response.content.decode()
    assert elapsed <= BUDGET
    assert "_auth_user_id" not in visitor.session

    response, elapsed = timed(
        visitor.post, reverse("account_signup"), signup_data("nouvelle@example.org")
    )
    assert response.status_code == 503
    assert elapsed <= BUDGET
    assert not get_user_model().objects.filter(email="nouvelle@example.org").exists()

    # Even without the guard, allauth cannot take its rate-limit lock in the degraded cache and
    # refuses the sign-in (after its own one-second wait): the limit never fails open.
    settings.MIDDLEWARE = [
        name
        for name in django_settings.MIDDLEWARE
        if name != "steppe.core.middleware.RateLimitGuardMiddleware"
    ]
    unguarded = Client()
    response, elapsed = timed(
        unguarded.post,
        reverse("account_login"),
        {"login": contributor.email, "password": PASSWORD},
    )
    assert response.status_code in {200, 429}, response.status_code
    assert "_auth_user_id" not in unguarded.session
    assert elapsed <= BUDGET + 0.5

    # Redis back: signing in works again once the breaker lets the cache be tried.
    redis_server.start()
    time.sleep(0.6)
    response = Client().post(
        reverse("account_login"), {"login": contributor.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_redis_hung_costs_one_timeout_per_request(settings, redis_server):
    """A Redis that accepts connections but never answers (SIGSTOP): socket timeouts bound the wait."""
    use_redis(settings, redis_server.url)
    article = ArticleFactory(published=True)
    assert Client().get("/").status_code == 200
    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        for url in ["/", article.get_absolute_url(), "/flux/"]:
            time.sleep(0.6)  # the breaker closes again: every request pays the timeout anew
            response, elapsed = timed(Client().get, url)
            assert response.status_code == 200, url
            assert elapsed <= BUDGET, (url, elapsed)
        response, elapsed = timed(
            Client().post, reverse("account_signup"), signup_data("pendue@example.org")
        )
        assert response.status_code == 503
        assert elapsed <= BUDGET
    finally:
        redis_server.process.send_signal(signal.SIGCONT)
