"""/api/v1/search: the search page's engine, as JSON."""

import pytest

from steppe.search.services import search_reindex

from .test_http import assert_error_shape

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search"


@pytest.fixture
def indexed(corpus):
    search_reindex(workers=0)
    return corpus


def test_search_finds_by_title_with_highlights(client, indexed):
    body = client.get(f"{SEARCH}?q=rogun").json()
    assert body["total"] == 1
    hit = body["items"][0]
    assert hit["slug"] == "rogun-financement-analyse"
    assert hit["type"] == "article"
    assert hit["kind"] == "analysis"
    assert "<mark>Rogun</mark>" in hit["title_html"]
    assert hit["title"] == "Rogun : qui paiera le barrage ?"
    assert hit["api_url"].endswith("/api/v1/articles/rogun-financement-analyse")
    assert hit["url"].endswith("/articles/rogun-financement-analyse/")
    assert hit["countries"] == ["KZ"]


def test_without_query_nor_filter_nothing_is_searched(client, indexed):
    body = client.get(SEARCH).json()
    assert body["total"] == 0
    assert body["items"] == []


def test_search_never_returns_drafts_or_scheduled_items(client, indexed):
    body = client.get(f"{SEARCH}?sort=date&language=fr&language=en").json()
    slugs = {hit["slug"] for hit in body["items"]}
    assert slugs == {
        "sommet-chine-asie-centrale-astana",
        "rogun-financement-analyse",
        "legislatives-mongolie-2024",
        "declaration-samarcande-ue-asie-centrale",
    }
    # Newest first.
    assert body["items"][0]["slug"] == "legislatives-mongolie-2024"


def test_facets_and_filters_use_the_api_names(client, indexed):
    body = client.get(f"{SEARCH}?language=fr&language=en").json()
    facets = {facet["name"]: facet for facet in body["facets"]}
    assert {"type", "country", "theme", "language"} <= set(facets)
    countries = {value["value"]: value["count"] for value in facets["country"]["values"]}
    assert countries["kz"] == 3
    filtered = client.get(f"{SEARCH}?country=KZ&type=document").json()
    assert [hit["slug"] for hit in filtered["items"]] == ["declaration-samarcande-ue-asie-centrale"]
    selected = {
        value["value"]
        for facet in filtered["facets"]
        for value in facet["values"]
        if value["selected"]
    }
    assert selected == {"kz", "document"}


def test_an_unknown_country_or_theme_matches_nothing(client, indexed):
    for query in ("country=zz", "theme=inexistant", "country=kz&country=zz"):
        body = client.get(f"{SEARCH}?{query}").json()
        assert body["total"] == 0, query
        assert body["items"] == []


def test_pages_link_to_each_other(client, indexed, settings):
    settings.STEPPE_SEARCH_PAGE_SIZE = 2
    first = client.get(f"{SEARCH}?sort=date&language=fr&language=en").json()
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["page"] == 2
    assert "page=1" in second["previous"]
    seen = [hit["slug"] for hit in first["items"] + second["items"]]
    assert len(seen) == len(set(seen)) == 4


def test_snippets_escape_the_text(client, corpus):
    from steppe.publishing.tests.factories import ArticleFactory

    ArticleFactory(
        published=True,
        slug="balises",
        title="Balises <script>alert(1)</script> steppe",
        lead="Le mot <b>steppe</b> entre des balises.",
    )
    search_reindex(workers=0)
    hit = client.get(f"{SEARCH}?q=balises").json()["items"][0]
    assert "<script>" not in hit["title_html"]
    assert "&lt;script&gt;" in hit["title_html"]
    assert "<b>" not in hit["snippet_html"]


@pytest.mark.parametrize(
    "query", ["page=0", "page=501", "sort=pertinence", "type=poem", "year=20x5", "country=kaz"]
)
def test_malformed_parameters_are_a_422_in_french(client, query):
    error = assert_error_shape(client.get(f"{SEARCH}?{query}"), 422, "validation_error")
    assert error["message"] == "Certains paramètres ne sont pas valides."


def test_a_long_or_odd_query_is_not_an_error(client, indexed):
    for q in ('"phrase non fermée', "-", "OR OR", "a" * 1200, "%00", "рогун"):
        assert client.get(SEARCH, {"q": q}).status_code == 200, q
