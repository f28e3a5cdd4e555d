"""Schemathesis against a live server: for every read endpoint, generated requests (valid and not)
never get a 5xx, and every answer conforms to the OpenAPI schema (status, content type, body).

Schemathesis' own pytest plugin (`schema.parametrize()`) does not run under pytest 9 yet, so each
operation is driven here through its public Hypothesis strategies (`APIOperation.as_strategy`).
"""

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import negative_data_rejection  # noqa: E402

from .test_http import PATH_EXAMPLES  # noqa: E402

# Examples per operation and mode: 14 operations x 2 modes x 40 (about 1,000 requests, 15 to 40 s).
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
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


@pytest.mark.parametrize("path", sorted(PATH_EXAMPLES))
def test_read_endpoint_conforms_to_the_schema(api_schema, path):
    operation = api_schema[path]["GET"]
    has_parameters = bool(api_schema.raw_schema["paths"][path]["get"].get("parameters"))
    # Without parameters there is no invalid request to generate.
    modes = [GenerationMode.POSITIVE] + [GenerationMode.NEGATIVE] * has_parameters
    calls = []

    for mode in modes:
        excluded = [negative_data_rejection] if mode == GenerationMode.NEGATIVE else []
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
            response = case.call_and_validate(excluded_checks=excluded)  # noqa: B023 (called in this loop turn)
            calls.append(response.status_code)

        check()

    assert calls, path
    if path in KNOWN_PATH_PARAMETERS:
        case = operation.Case(path_parameters=KNOWN_PATH_PARAMETERS[path])
        response = case.call_and_validate()
        assert response.status_code == 200, response.text[:300]
    else:
        assert 200 in calls, (path, sorted(set(calls)))
