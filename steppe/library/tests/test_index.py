"""The library index: filters by country, theme, organisation, year and language, with counts."""

import datetime as dt
import re
from html import unescape

from django.urls import reverse
from django.utils import translation

import pytest

from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library.tests.factories import DocumentFactory
from steppe.taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    kazakhstan = Country.objects.get(code="KZ")
    mongolia = Country.objects.get(code="MN")
    water, energy = Theme.objects.order_by("slug")[:2]
    documents = {
        "kz_water_2024": DocumentFactory(
            published=True,
            title="Eau au Kazakhstan",
            countries=[kazakhstan],
            organisation="Banque fictive",
            published_on=dt.date(2024, 5, 1),
        ),
        "kz_mn_energy_2025": DocumentFactory(
            published=True,
            title="Énergie dans la steppe",
            countries=[kazakhstan, mongolia],
            organisation="Institut fictif",
            published_on=dt.date(2025, 2, 1),
            language="en",
        ),
        "mn_energy_2025": DocumentFactory(
            published=True,
            title="Charbon mongol",
            countries=[mongolia],
            organisation="Institut fictif",
            published_on=dt.date(2025, 6, 1),
        ),
    }
    documents["kz_water_2024"].themes.set([water])
    documents["kz_mn_energy_2025"].themes.set([energy])
    documents["mn_energy_2025"].themes.set([energy])
    DocumentFactory(title="Brouillon caché", countries=[kazakhstan], organisation="Banque fictive")
    return {"documents": documents, "water": water, "energy": energy}


def listed_titles(html: str) -> list[str]:
    return [
        unescape(t)
        for t in re.findall(r'<h2 class="item__title"><a href="[^"]+">([^<]+)</a>', html)
    ]


def facet_counts(html: str, param: str) -> dict[str, int]:
    """The values of one facet with their counts, as the page shows them."""
    start = html.index(f'data-facet="{param}"')
    block = html[start : html.index("</section>", start)]
    counts = {}
    for value, count in re.findall(
        r'data-value="([^"]+)">[^<]*</a> <span class="facet__count">\((\d+)\)', block
    ):
        counts[unescape(value)] = int(count)
    for count in re.findall(
        r'facet__value--selected"><strong[^>]*>[^<]*</strong> <span class="facet__count">\((\d+)\)',
        block,
    ):
        counts["(selected)"] = int(count)
    return counts


def get(client, **params) -> str:
    response = client.get(reverse("library:document_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_index_shows_counts_for_every_facet(client, library):
    html = get(client)
    assert sorted(listed_titles(html)) == [
        "Charbon mongol",
        "Eau au Kazakhstan",
        "Énergie dans la steppe",
    ]
    assert facet_counts(html, "pays") == {"KZ": 2, "MN": 2}
    assert facet_counts(html, "theme") == {library["energy"].slug: 2, library["water"].slug: 1}
    assert facet_counts(html, "organisation") == {"Institut fictif": 2, "Banque fictive": 1}
    assert facet_counts(html, "annee") == {"2025": 2, "2024": 1}
    assert facet_counts(html, "langue") == {"fr": 2, "en": 1}


def test_filter_by_country_narrows_the_list_and_the_counts(client, library):
    html = get(client, pays="KZ")
    assert sorted(listed_titles(html)) == ["Eau au Kazakhstan", "Énergie dans la steppe"]
    assert facet_counts(html, "pays") == {"(selected)": 2, "MN": 1}
    assert facet_counts(html, "annee") == {"2025": 1, "2024": 1}
    assert "Brouillon caché" not in html


def test_filters_combine(client, library):
    html = get(client, theme=library["energy"].slug, annee="2025", langue="fr")
    assert listed_titles(html) == ["Charbon mongol"]
    html = get(client, organisation="Institut fictif", pays="KZ")
    assert listed_titles(html) == ["Énergie dans la steppe"]


def test_facet_links_keep_other_filters_and_drop_the_page(client, library):
    html = unescape(get(client, pays="KZ", page="1"))
    assert 'href="?pays=KZ&annee=2024"' in html
    assert 'href="?pays=KZ&organisation=Banque+fictive"' in html
    # The selected value links to the list without it; "clear all" goes back to the whole library.
    assert re.search(r'href="/bibliotheque/" class="facet__remove" data-remove="pays"', html)
    assert "data-facet-reset" in html


def test_pagination_keeps_the_filters(client, settings, library):
    settings.STEPPE_PAGE_SIZE = 1
    html = unescape(get(client, pays="KZ"))
    assert 'rel="next" href="?pays=KZ&page=2"' in html
    html = get(client, pays="KZ", page="2")
    assert len(listed_titles(html)) == 1


def test_unknown_or_malformed_filters(client, library):
    assert listed_titles(get(client, pays="ZZ")) == []
    assert len(listed_titles(get(client, annee="deux-mille"))) == 3  # ignored


def test_facet_labels_follow_the_language(client, library):
    with translation.override("en"):
        url = reverse("library:document_list")
    html = client.get(url).content.decode()
    assert re.search(r'data-value="MN">Mongolia</a>', html)
    html = client.get("/bibliotheque/").content.decode()  # the last request left English active
    assert re.search(r'data-value="MN">Mongolie</a>', html)


def test_index_without_javascript_is_plain_links(client, library):
    html = get(client)
    aside = html[html.index('class="library__facets"') : html.index("</aside>")]
    assert "<script" not in aside
    assert "<form" not in aside


def test_index_queries_do_not_grow_with_facet_values(client):
    countries = list(Country.objects.all())
    themes = list(Theme.objects.all())

    def add(count):
        start = DocumentFactory._meta.model.objects.count()
        for i in range(start, start + count):
            document = DocumentFactory(
                published=True,
                countries=[countries[i % len(countries)]],
                organisation=f"Organisation {i}",
                published_on=dt.date(2000 + i, 1, 1),
                language=["fr", "en", "ru"][i % 3],
            )
            document.themes.set([themes[i % len(themes)]])

    assert_queries_do_not_grow(client, reverse("library:document_list") + "?langue=fr", add)
    assert_queries_do_not_grow(client, reverse("library:document_list"), add)
