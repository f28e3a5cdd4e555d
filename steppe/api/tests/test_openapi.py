"""The OpenAPI schema and the docs page, which must load nothing from another site."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3_1(schema):
    assert schema["openapi"].startswith("3.1.")
    assert schema["info"]["title"] == "Steppe API"
    assert schema["info"]["version"] == "1"


def test_every_operation_documents_its_errors_with_the_error_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"200", "201"} & set(responses), (path, method)
            assert {"429", "500"} <= set(responses), (path, method)
            if operation.get("security"):
                assert "401" in responses, (path, method)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (path, status)
    error = schema["components"]["schemas"]["ErrorDetail"]
    assert set(error["properties"]) == {"code", "message", "details"}


def test_listings_document_their_filters_and_bounds(schema):
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/articles"]["get"]["parameters"]
    }
    assert {
        "country",
        "region",
        "theme",
        "kind",
        "language",
        "author",
        "published_after",
        "published_before",
        "cursor",
        "limit",
    } <= set(parameters)
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert parameters["limit"]["schema"]["minimum"] == 1
    documents = {p["name"] for p in schema["paths"]["/api/v1/documents"]["get"]["parameters"]}
    assert {"country", "theme", "organisation", "year", "language"} <= documents


def test_schema_describes_the_bearer_token_and_the_write_endpoints(schema):
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    create = schema["paths"]["/api/v1/me/articles"]["post"]
    assert create["security"] == [{"TokenAuth": []}]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ArticleWrite"}
    fields = schema["components"]["schemas"]["ArticleWrite"]
    assert {"title", "body_source"} <= set(fields["required"])
    assert fields["additionalProperties"] is False
    update = schema["paths"]["/api/v1/me/articles/{article_id}"]["patch"]
    assert {"200", "202", "401", "404", "409", "422"} <= set(update["responses"])
    # Public reads stay without security requirements.
    assert "security" not in schema["paths"]["/api/v1/search"]["get"]


def test_schema_never_exposes_an_email_field(schema):
    assert "email" not in str(schema["components"]).lower()


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"src", "href"} and value:
                self.urls.append(value)


def test_docs_page_loads_only_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    parser = _Assets()
    parser.feed(html)
    assets = [url for url in parser.urls if not url.startswith("/api/v1/openapi.json")]
    assert any("swagger-ui-bundle.js" in url for url in assets)
    assert any("swagger-ui.css" in url for url in assets)
    for url in assets:
        parts = urlsplit(url)
        assert not parts.scheme
        assert not parts.netloc, url
        asset = client.get(url)
        assert asset.status_code == 200, url
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        if url.endswith(".css"):
            # No web font or image pulled from a CDN by the stylesheet.
            assert not re.search(rb"url\(\s*['\"]?(https?:)?//", body), url
    # The settings the page gives Swagger UI: our schema, and no online validator.
    assert '"validatorUrl": null' in html
    assert '"url": "/api/v1/openapi.json"' in html
