"""The search page: wiring, facets in links, HTMX fragment, bad input, query budget."""

from django.urls import reverse
from django.utils import translation

import pytest

from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.publishing.tests.factories import ArticleFactory
from steppe.search.services import search_reindex
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db


def url(**params) -> str:
    from urllib.parse import urlencode

    return reverse("search:search") + ("?" + urlencode(params, doseq=True) if params else "")


def test_search_page_is_at_recherche():
    assert reverse("search:search") == "/recherche/"
    with translation.override("en"):
        assert reverse("search:search") == "/en/recherche/"


def test_every_page_has_a_search_form(client):
    html = client.get(reverse("publishing:home")).content.decode()
    assert 'action="/recherche/"' in html
    assert 'name="q"' in html
    assert '<label for="site-search-q">' in html


def test_results_link_to_items_with_marked_snippets(client, make_article):
    article = make_article(
        title="Le corridor médian", body_source="Le corridor traverse la Caspienne."
    )
    response = client.get(url(q="corridor"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "search/search.html"
    assert f'href="{article.get_absolute_url()}"' in html
    assert "<mark>corridor</mark>" in html
    assert 'data-total="1"' in html


def test_facets_are_links_that_toggle_a_filter(client, make_article):
    kazakhstan = Country.objects.get(code="KZ")
    make_article(title="Steppe kazakhe", countries=[kazakhstan])
    make_article(title="Steppe ailleurs")
    html = client.get(url(q="steppe")).content.decode()
    assert 'href="?q=steppe&amp;pays=kz"' in html
    filtered = client.get(url(q="steppe", pays="kz")).content.decode()
    assert 'data-total="1"' in filtered
    assert 'aria-current="true" data-facet="pays" data-value="kz"' in filtered
    assert 'href="?q=steppe"' in filtered  # the same link removes the filter
    assert '<input type="hidden" name="pays" value="kz">' in filtered  # kept by a new query


def test_sort_by_date_link(client, make_article):
    make_article(title="Steppe")
    html = client.get(url(q="steppe")).content.decode()
    assert 'href="?q=steppe&amp;tri=date" data-sort="date"' in html


def test_htmx_request_gets_the_results_fragment(client, make_article):
    make_article(title="Steppe")
    response = client.get(url(q="steppe"), headers={"HX-Request": "true"})
    assert response.templates[0].name == "search/partials/results.html"
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response.get("Vary", "")


def test_suggestion_link_when_nothing_matches(client, make_article):
    make_article(title="Le sommet de Samarcande")
    html = client.get(url(q="samarkande")).content.decode()
    assert 'data-total="0"' in html
    assert 'data-suggestion="samarcande"' in html
    assert 'href="?q=samarcande"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": '"unbalanced NEAR( * ^ : -'},
        {"q": "'; DROP TABLE search_fts; --"},
        {"q": "\x01\x02"},
        {"q": "steppe", "pays": "zz", "annee": "deux mille", "tri": "n'importe"},
        {"q": "steppe", "type": ["news"] * 50},
    ],
)
def test_bad_input_still_gives_a_page(client, params):
    assert client.get(url(**params)).status_code == 200


@pytest.mark.parametrize("page", ["0", "abc", "99999"])
def test_invalid_page_is_not_found(client, page):
    assert client.get(url(q="steppe", page=page)).status_code == 404


def test_page_past_the_results_is_not_found(client, make_article):
    make_article(title="Steppe")
    assert client.get(url(q="steppe", page=2)).status_code == 404


def test_english_interface(client, make_article):
    make_article(title="Steppe")
    response = client.get("/en" + url(q="steppe"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 result" in html
    assert "Refine" in html


def test_search_page_queries_do_not_grow(client):
    kazakhstan = Country.objects.get(code="KZ")

    def add_items(count: int) -> None:
        for _ in range(count):
            ArticleFactory(published=True, lead="Le gaz de la steppe", countries=[kazakhstan])
        search_reindex()

    assert_queries_do_not_grow(client, url(q="steppe"), add_items)


def test_search_page_queries_do_not_grow_with_facets_and_date_sort(client):
    kazakhstan = Country.objects.get(code="KZ")

    def add_items(count: int) -> None:
        for _ in range(count):
            ArticleFactory(published=True, lead="Le gaz de la steppe", countries=[kazakhstan])
        search_reindex()

    assert_queries_do_not_grow(client, url(q="steppe", pays="kz", tri="date"), add_items)
