"""/healthz, /readyz, JSON logs with the request id, and media in an S3 object store (moto server)."""

import io
import json
import logging

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages

import pytest
from pythonjsonlogger.json import JsonFormatter

from steppe.core.logging import RequestIdFilter
from steppe.core.tests.conftest import free_port

pytestmark = pytest.mark.django_db


def redis_cache_settings(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "steppe.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


def test_healthz_needs_neither_database_nor_host(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")  # not in ALLOWED_HOSTS
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_reports_each_part(client, settings, redis_server):
    settings.CACHES = redis_cache_settings(redis_server.url)
    response = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
    }

    redis_server.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["status"] == "error"
    assert body["checks"]["cache"]["error"] == "CacheUnavailableError"
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_fails_when_the_media_folder_cannot_exist(client, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "error"


def test_media_go_to_the_object_store(client, settings, s3_server):
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings()}
    storage = storages["default"]
    name = storage.save("articles/carte.txt", ContentFile(b"une carte de la steppe"))
    stored = s3_server.client().get_object(Bucket=s3_server.bucket, Key=f"media/{name}")
    assert stored["Body"].read() == b"une carte de la steppe"
    assert storage.url(name).startswith(f"{s3_server.endpoint_url}/{s3_server.bucket}/media/")
    # The same name again is not overwritten.
    assert storage.save("articles/carte.txt", ContentFile(b"autre")) != name

    assert client.get("/readyz").json()["checks"]["storage"]["status"] == "ok"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **s3_server.storage_settings(),
            "OPTIONS": {
                **s3_server.storage_settings()["OPTIONS"],
                "endpoint_url": f"http://127.0.0.1:{free_port()}",  # nothing listens there
            },
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "error"


def test_logs_are_json_lines_with_the_request_id(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/page-absente/", HTTP_X_REQUEST_ID="req-0123456789abcdef")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "Django logs a 404 as a warning"
    assert lines[-1]["request_id"] == "req-0123456789abcdef"
    assert lines[-1]["levelname"] == "WARNING"
    assert "page-absente" in lines[-1]["message"]
    assert caches["default"]  # the local-memory cache is untouched by this test
