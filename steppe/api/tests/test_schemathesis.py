"""Schemathesis against a live server: for every endpoint, generated requests (valid and not) never
get a 5xx, and every answer conforms to the OpenAPI schema (status, content type, body). The
contributors' endpoints are called with a real personal API token.

Schemathesis' own pytest plugin (`schema.parametrize()`) does not run under pytest 9 yet, so each
operation is driven here through its public Hypothesis strategies (`APIOperation.as_strategy`).
"""

import io

import pytest

from steppe.library import services as library_services
from steppe.library.tests import pdfs

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    negative_data_rejection,
    positive_data_acceptance,
)

from .test_http import PATH_EXAMPLES, TOKEN_ENDPOINTS  # noqa: E402

# Examples per operation and mode: 27 operations x 2 modes x 40 (about 2,000 requests, 1 to 2 min).
MAX_EXAMPLES = 40

# Generated values rarely name an existing item: each operation with path parameters is also called
# with known ones from the corpus, so that the 200 answers are checked against the schema too.
KNOWN_PATH_PARAMETERS = {
    "/api/v1/articles/{slug}": {"slug": "rogun-financement-analyse"},
    "/api/v1/documents/{slug}": {"slug": "declaration-samarcande-ue-asie-centrale"},
    "/api/v1/regions/{slug}": {"slug": "asie-centrale"},
    "/api/v1/themes/{slug}": {"slug": "eau"},
    "/api/v1/countries/{code}": {"code": "kz"},
    "/api/v1/authors/{username}": {"username": "aigerim-seitkali"},
    "/api/v1/authors/{username}/items": {"username": "observatoire-steppes"},
}


def _without_cursor(case):
    if case.query:
        case.query.pop("cursor", None)
    return case


@pytest.fixture
def api_schema(reference_data, request, live_server, settings):
    request.getfixturevalue("corpus")
    settings.STEPPE_API_RATE_LIMIT = None  # hundreds of requests from one address, on purpose
    settings.STEPPE_API_WRITE_RATE_LIMIT = None
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


def _run(operation, raw_operation, *, headers=None, excluded_positive=()) -> list[int]:
    """Drive one operation with generated valid and invalid requests; return the statuses."""
    has_input = bool(raw_operation.get("parameters") or raw_operation.get("requestBody"))
    # Without parameters there is no invalid request to generate.
    modes = [GenerationMode.POSITIVE] + [GenerationMode.NEGATIVE] * has_input
    calls = []

    for mode in modes:
        excluded = (
            [negative_data_rejection]
            if mode == GenerationMode.NEGATIVE
            else list(excluded_positive)
        )
        strategy = operation.as_strategy(generation_mode=mode)
        if mode == GenerationMode.POSITIVE:
            # A cursor is opaque: no schema can tell a real one from a well-formed random string,
            # which is rightly a 400 (tested in test_pagination.py). Valid requests go without.
            strategy = strategy.map(_without_cursor)

        @given(case=strategy)
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # Negative cases still must never cause a 5xx and must answer as the schema says, but
            # "invalid data must be rejected" is not asked of them: in a query string every value is
            # text, so schemathesis' "array instead of integer" is often a valid request (ST201 false
            # positives that varied from run to run).
            response = case.call_and_validate(headers=headers, excluded_checks=excluded)  # noqa: B023 (called in this loop turn)
            calls.append(response.status_code)

        check()
    return calls


@pytest.mark.parametrize("path", sorted(PATH_EXAMPLES))
def test_read_endpoint_conforms_to_the_schema(api_schema, path):
    operation = api_schema[path]["GET"]
    calls = _run(operation, api_schema.raw_schema["paths"][path]["get"])
    assert calls, path
    if path in KNOWN_PATH_PARAMETERS:
        case = operation.Case(path_parameters=KNOWN_PATH_PARAMETERS[path])
        response = case.call_and_validate()
        assert response.status_code == 200, response.text[:300]
    else:
        assert 200 in calls, (path, sorted(set(calls)))


@pytest.fixture
def token_headers(api_schema, make_token, corpus):
    return {"Authorization": f"Bearer {make_token(corpus['aigerim'])}"}


@pytest.fixture
def own_document(api_schema, corpus):
    """A document of the token's owner, uploaded (and analysed) through the library's service."""
    with io.BytesIO(pdfs.make_pdf(pages=2, outline=[("Introduction", 1)])) as upload:
        return library_services.document_upload(
            by=corpus["aigerim"],
            record=library_services.DocumentRecord(title="Rapport de test"),
            upload=upload,
            filename="rapport.pdf",
        ).document


def _known_case(operation, path: str, method: str, corpus, own_document):
    """A request naming one's own article or document, that the schema's examples rarely reach."""
    if "{article_id}" in path:
        extra = (
            {"body": {"lead": "Un chapeau."}, "media_type": "application/json"}
            if method == "patch"
            else {}
        )
        return operation.Case(path_parameters={"article_id": corpus["draft"].pk}, **extra)
    if "{document_id}" in path:
        extra = {}
        if method == "patch":
            extra = {"body": {"subtitle": "Un sous-titre."}, "media_type": "application/json"}
        elif path.endswith("/versions"):
            extra = {
                "body": {"file": pdfs.make_pdf(pages=3)},
                "media_type": "multipart/form-data",
            }
        return operation.Case(path_parameters={"document_id": own_document.pk}, **extra)
    if path == "/api/v1/me/documents" and method == "post":
        # Schemathesis cannot make a valid PDF: one real upload, checked against the schema.
        return operation.Case(
            body={"title": "Rapport envoyé", "countries": ["kz"], "file": pdfs.make_pdf(pages=2)},
            media_type="multipart/form-data",
        )
    return None


@pytest.mark.parametrize(
    ("path", "method"),
    sorted((path, method) for path, methods in TOKEN_ENDPOINTS.items() for method in methods),
)
def test_token_endpoint_conforms_to_the_schema(
    api_schema, token_headers, corpus, own_document, path, method
):
    operation = api_schema[path][method.upper()]
    # The schema cannot say everything the site's forms check (a country code that exists, a
    # web address Django's URLValidator accepts, a title that is not only spaces once cleaned, a
    # file that is a real PDF): a schema-valid body may still be a 422, with the same rules and
    # messages as the site's forms.
    excluded = [positive_data_acceptance] if method in {"post", "patch"} else []
    calls = _run(
        operation,
        api_schema.raw_schema["paths"][path][method],
        headers=token_headers,
        excluded_positive=excluded,
    )
    assert calls, (path, method)
    known = _known_case(operation, path, method, corpus, own_document)
    if known is None:
        assert {200, 201} & set(calls), (path, method, sorted(set(calls)))
        return
    response = known.call_and_validate(headers=token_headers, excluded_checks=excluded)
    if method == "post" and path in {
        "/api/v1/me/documents",
        "/api/v1/me/documents/{document_id}/versions",
    }:
        assert response.status_code == 201, response.text[:300]
    # Submitting what is no longer a draft (generated requests may have submitted it) is a 409.
    assert response.status_code in {200, 201, 409}, response.text[:300]
    if response.status_code != 409:
        body = response.json()
        assert body["id"] == own_document.pk if "{document_id}" in path else True
        assert body["id"] == corpus["draft"].pk if "{article_id}" in path else True
