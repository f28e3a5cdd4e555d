"""Security headers on every kind of response: page, JSON, feed, sitemap, errors, static and media."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import path

import pytest

from steppe.core.tests.test_admin_and_errors import _boom
from steppe.publishing.tests.factories import ArticleFactory
from steppe.urls import urlpatterns as root_urlpatterns

pytestmark = pytest.mark.django_db

urlpatterns = [path("boum/", _boom), *root_urlpatterns]
handler500 = "steppe.core.views.server_error"


def assert_security_headers(response, label: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in csp.split(";") if part.strip()
    )
    assert directives.get("default-src") == "'none'", (label, csp)
    assert directives.get("script-src") == "'self'", (label, csp)
    assert directives.get("style-src") == "'self'", (label, csp)
    assert directives.get("frame-ancestors") == "'none'", (label, csp)
    assert directives.get("object-src") == "'none'", (label, csp)
    assert directives.get("base-uri") == "'none'", (label, csp)
    assert "unsafe-inline" not in csp, (label, csp)
    assert "unsafe-eval" not in csp, (label, csp)
    assert response.headers.get("X-Content-Type-Options") == "nosniff", label
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", label
    assert response.headers.get("X-Frame-Options") == "DENY", label
    permissions = response.headers.get("Permissions-Policy", "")
    assert "camera=()" in permissions, label
    assert "geolocation=()" in permissions, label
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin" or (
        not response.headers.get("Content-Type", "").startswith("text/html")
    ), label
    assert response.headers.get("Cross-Origin-Resource-Policy") == "same-origin", label
    assert len(response.headers.get("X-Request-ID", "")) >= 8, label


@pytest.fixture
def media_file(settings):
    folder = Path(settings.MEDIA_ROOT) / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "carte.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return "/media/articles/carte.svg"


def test_every_kind_of_response_carries_the_security_headers(settings, media_file):
    settings.ROOT_URLCONF = __name__
    article = ArticleFactory(published=True)
    client = Client(raise_request_exception=False)
    cases = {
        "page": ("/", 200),
        "article": (article.get_absolute_url(), 200),
        "api json": ("/api/v1/articles", 200),
        "feed": ("/flux/", 200),
        "sitemap": ("/sitemap.xml", 200),
        "404": ("/cette-page-n-existe-pas/", 404),
        "500": ("/boum/", 500),
        "static": ("/static/css/steppe.css", 200),
        "media": (media_file, 200),
        "healthz": ("/healthz", 200),
    }
    for label, (url, status) in cases.items():
        response = client.get(url)
        assert response.status_code == status, (label, url, response.status_code)
        assert_security_headers(response, label)


def test_the_request_id_comes_from_the_proxy_or_is_made(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789abcdef0123456789")
    assert response["X-Request-ID"] == "abcdef0123456789abcdef0123456789"
    # Something that could forge log lines is replaced by a fresh id.
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected=1')
    assert response["X-Request-ID"] != 'x" injected=1'
    assert len(response["X-Request-ID"]) == 32


def clean_environ() -> dict:
    """This process's environment without what browser tests set for themselves."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _production_settings(**extra: str) -> dict:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'session': s.SESSION_COOKIE_NAME, 'csrf': s.CSRF_COOKIE_NAME,"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'session_path': s.SESSION_COOKIE_PATH, 'csrf_path': s.CSRF_COOKIE_PATH,"
        "'session_domain': s.SESSION_COOKIE_DOMAIN, 'csrf_domain': s.CSRF_COOKIE_DOMAIN,"
        "'hsts': s.SECURE_HSTS_SECONDS, 'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES'],"
        "'cache': s.CACHES['default']['BACKEND'], 'session_engine': s.SESSION_ENGINE,"
        "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'],"
        "'health_checks': s.DATABASES['default']['CONN_HEALTH_CHECKS'],"
        "'storage': s.STORAGES['default']['BACKEND'], 'log_format': s.LOG_FORMAT}, default=str))"
    )
    env = {
        **clean_environ(),
        "STEPPE_ENV": "production",
        "SECRET_KEY": "a-production-secret-for-this-test-only-0123456789abcdefghij",
        "ALLOWED_HOSTS": "steppe.example.org",
        "DATABASE_URL": "postgres://steppe@127.0.0.1:5432/steppe",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_come_from_the_environment():
    values = _production_settings()
    assert values["session"].startswith("__Host-")
    assert values["csrf"].startswith("__Host-")
    assert values["session_secure"]
    assert values["csrf_secure"]
    assert values["session_path"] == values["csrf_path"] == "/"
    assert values["session_domain"] is None
    assert values["csrf_domain"] is None
    assert values["hsts"] >= 31536000
    assert values["csp"]["upgrade-insecure-requests"] is True
    assert values["cache"] == "steppe.core.cache.ResilientRedisCache"
    assert values["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert values["conn_max_age"] >= 60
    assert values["health_checks"] is True
    assert values["storage"] == "django.core.files.storage.FileSystemStorage"
    assert values["log_format"] == "json"

    s3 = _production_settings(
        STEPPE_S3_BUCKET="steppe-media", STEPPE_S3_CUSTOM_DOMAIN="media.steppe.example.org"
    )
    assert s3["storage"] == "storages.backends.s3.S3Storage"
    assert "https://media.steppe.example.org" in s3["csp"]["img-src"]


def test_check_deploy_passes_with_production_settings():
    env = {
        **clean_environ(),
        "STEPPE_ENV": "production",
        "SECRET_KEY": "a-production-secret-for-this-test-only-0123456789abcdefghij",
        "ALLOWED_HOSTS": "steppe.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
