"""HTTP rules every API URL follows: ETag/304, HEAD, CORS, errors in one shape, language."""

import json

from django.http import JsonResponse
from django.test import Client, RequestFactory
from django.urls import resolve

import pytest

from steppe.api import selectors
from steppe.api.http import api_view
from steppe.api.v1.api import api
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# One URL per GET endpoint of the schema (path parameters taken from the corpus fixture).
PATH_EXAMPLES = {
    "/api/v1/": "/api/v1/",
    "/api/v1/articles": "/api/v1/articles?country=kz",
    "/api/v1/articles/{slug}": "/api/v1/articles/rogun-financement-analyse",
    "/api/v1/documents": "/api/v1/documents",
    "/api/v1/documents/{slug}": "/api/v1/documents/declaration-samarcande-ue-asie-centrale",
    "/api/v1/countries": "/api/v1/countries",
    "/api/v1/countries/{code}": "/api/v1/countries/kz",
    "/api/v1/regions": "/api/v1/regions",
    "/api/v1/regions/{slug}": "/api/v1/regions/asie-centrale",
    "/api/v1/themes": "/api/v1/themes",
    "/api/v1/themes/{slug}": "/api/v1/themes/eau",
    "/api/v1/authors": "/api/v1/authors",
    "/api/v1/authors/{username}": "/api/v1/authors/aigerim-seitkali",
    "/api/v1/authors/{username}/items": "/api/v1/authors/aigerim-seitkali/items",
    "/api/v1/search": "/api/v1/search?q=rogun&country=kz",
}
# Endpoints of a contributor's own articles, with a personal API token (test_contrib.py).
TOKEN_ENDPOINTS = {
    "/api/v1/me": {"get"},
    "/api/v1/me/articles": {"get", "post"},
    "/api/v1/me/articles/{article_id}": {"get", "patch"},
    "/api/v1/me/articles/{article_id}/submit": {"post"},
    "/api/v1/me/documents": {"get", "post"},
    "/api/v1/me/documents/{document_id}": {"get", "patch"},
    "/api/v1/me/documents/{document_id}/versions": {"post"},
    "/api/v1/me/documents/{document_id}/submit": {"post"},
}
PUBLIC_URLS = [*PATH_EXAMPLES.values(), "/api/v1/openapi.json"]
ALL_GET_URLS = [*PUBLIC_URLS, "/api/v1/docs"]


def assert_error_shape(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert "no-store" in response["Cache-Control"]
    return body["error"]


def test_examples_cover_every_endpoint_of_the_schema():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert set(schema["paths"]) == set(PATH_EXAMPLES) | set(TOKEN_ENDPOINTS)
    for path, operations in schema["paths"].items():
        assert set(operations) == TOKEN_ENDPOINTS.get(path, {"get"}), path
        for operation in operations.values():
            # Public reads need nothing; a contributor's endpoints need the bearer token.
            expected = [{"TokenAuth": []}] if path in TOKEN_ENDPOINTS else None
            assert operation.get("security") == expected, path


@pytest.mark.parametrize("url", ALL_GET_URLS)
def test_every_get_has_an_etag_and_answers_304_to_if_none_match(client, corpus, url):
    response = client.get(url)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # Weak comparison, and a list of tags, as RFC 9110 says.
    listed = client.get(url, headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_etag_changes_with_the_content(client, corpus):
    before = client.get("/api/v1/articles")
    ArticleFactory(published=True, slug="tout-nouveau")
    after = client.get("/api/v1/articles", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["items"][0]["slug"] == "tout-nouveau"


@pytest.mark.parametrize("url", ALL_GET_URLS)
def test_head_answers_like_get_without_a_body(client, corpus, url):
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == get["Content-Type"]
    assert head["Content-Length"] == str(len(get.content))
    assert client.head(url, headers={"If-None-Match": get["ETag"]}).status_code == 304


def test_successful_public_reads_may_be_cached(client, corpus):
    response = client.get("/api/v1/articles")
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_reads_are_open_to_every_origin(client, corpus, url):
    headers = {"Origin": "https://reader.example"}
    for response in (
        client.get(url, headers=headers),
        client.head(url, headers=headers),
        client.get(url, headers={**headers, "If-None-Match": client.get(url)["ETag"]}),
    ):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_preflight(client, corpus, url):
    response = client.options(
        url,
        headers={
            "Origin": "https://reader.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert "Authorization" not in response["Access-Control-Allow-Headers"]
    assert int(response["Access-Control-Max-Age"]) > 0


def test_docs_page_and_other_methods_are_not_shared_with_other_origins(client, corpus):
    headers = {"Origin": "https://reader.example"}
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/docs", headers=headers)
    post = client.post("/api/v1/articles", headers=headers)
    assert post.status_code == 405
    assert "Access-Control-Allow-Origin" not in post


def test_an_authenticated_answer_is_neither_shared_nor_publicly_cached():
    # What token-authenticated endpoints will look like: Ninja sets request.auth.
    def view(request):
        request.auth = "a token's owner"
        return JsonResponse({"drafts": []})

    request = RequestFactory().get("/api/v1/me/drafts", headers={"Origin": "https://x.example"})
    response = api_view(view)(request)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_400_shape(client):
    error = assert_error_shape(client.get("/api/v1/articles?cursor=garbage"), 400, "invalid_cursor")
    assert error["details"] is None


@pytest.mark.parametrize(
    "url", ["/api/v1/articles/inexistant", "/api/v1/nothing-here", "/api/v1/articles/", "/api/v1"]
)
def test_404_shape(client, url):
    response = client.get(url)
    if url == "/api/v1":  # the root needs its slash; Django's usual redirect
        assert response.status_code == 301
        return
    assert_error_shape(response, 404, "not_found")
    # Scripts on other sites can read the error, and see their budget.
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "RateLimit-Remaining" in response


@pytest.mark.parametrize("url", ["/api/v1/articles/inexistant", "/api/v1/themes"])
def test_head_is_answered_without_a_body_by_the_api_itself(corpus, url):
    # Called without the test client, which would drop a HEAD body on its own.
    match = resolve(url.split("?")[0])
    response = match.func(RequestFactory().head(url), *match.args, **match.kwargs)
    assert response.content == b""
    assert int(response["Content-Length"]) > 0


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/articles"),
        ("delete", "/api/v1/articles/rogun-financement-analyse"),
        ("put", "/api/v1/countries/kz"),
        ("post", "/api/v1/openapi.json"),
        ("post", "/api/v1/docs"),
    ],
)
def test_405_shape_even_with_csrf_checks(method, url):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(url)
    error = assert_error_shape(response, 405, "method_not_allowed")
    assert error["details"] == {"allowed": ["GET", "HEAD", "OPTIONS"]}
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_post_to_an_unknown_url_is_a_json_404_not_a_csrf_page():
    response = Client(enforce_csrf_checks=True).post("/api/v1/nothing-here")
    assert_error_shape(response, 404, "not_found")


def test_422_shape(client):
    response = client.get("/api/v1/articles?limit=0", headers={"Accept-Language": "en"})
    error = assert_error_shape(response, 422, "validation_error")
    assert error["details"] == [
        {
            "loc": ["query", "limit"],
            "message": "Input should be greater than or equal to 1",
            "type": "greater_than_equal",
        }
    ]


def test_422_details_are_in_french_by_default(client):
    error = assert_error_shape(client.get("/api/v1/articles?limit=0"), 422, "validation_error")
    assert error["message"] == "Certains paramètres ne sont pas valides."
    assert error["details"][0]["message"] == "Saisissez un nombre supérieur ou égal à 1."


def test_500_shape(corpus, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "article_list", broken)
    response = Client(raise_request_exception=False).get("/api/v1/articles")
    error = assert_error_shape(response, 500, "internal_error")
    assert "database" not in json.dumps(error)  # no internals leak to clients


def test_500_is_reported_like_any_django_error(corpus, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "article_list", broken)
    with pytest.raises(RuntimeError, match="boom"):
        Client().get("/api/v1/articles")  # the test client re-raises what error reporters see


@pytest.mark.parametrize(
    ("accept", "language"), [("en-GB,en;q=0.9", "en"), ("", "fr"), ("de", "fr")]
)
def test_language_follows_accept_language(client, accept, language):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/api/v1/articles/inexistant", headers=headers)
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    docs = client.get("/api/v1/docs", headers=headers).content.decode()
    assert f'<html lang="{language}">' in docs
