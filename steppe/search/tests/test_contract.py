"""The search contract: the same corpus gives the same results on SQLite FTS5 and PostgreSQL.

This module runs unchanged on both engines (`DATABASE_URL` selects PostgreSQL); the expected results
are written out, so both must produce exactly them.
"""

import datetime

from django.db import connection
from django.utils import timezone

import pytest

from steppe.accounts.tests.factories import OrganisationFactory
from steppe.core.models import Language
from steppe.publishing.models import Article
from steppe.search.backends import get_search_backend
from steppe.search.selectors import Filters, search_run
from steppe.taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db


class Params(dict):
    def getlist(self, key):
        return self.get(key, [])


def titles(text: str, **kwargs) -> list[str]:
    filters = kwargs.pop("filters", None)
    if filters is not None:
        kwargs["filters"] = Filters.from_querydict(Params(filters))
    return [hit.entry.title for hit in search_run(text=text, **kwargs).hits]


def test_the_backend_is_chosen_by_the_database():
    assert get_search_backend().vendor == connection.vendor


def test_french_stemming(make_article):
    make_article(title="Le sommet de Samarcande")
    make_article(title="Une coopération renforcée")
    assert titles("sommets") == ["Le sommet de Samarcande"]
    assert titles("coopérations") == ["Une coopération renforcée"]


def test_accents_and_case_do_not_matter(make_article):
    make_article(title="Kassym-Jomart Tokaïev à Astana")
    make_article(title="La sécurité régionale")
    assert titles("Tokaiev") == ["Kassym-Jomart Tokaïev à Astana"]
    assert titles("TOKAÏEV") == ["Kassym-Jomart Tokaïev à Astana"]
    assert titles("securite") == ["La sécurité régionale"]


def test_latin_and_cyrillic_find_each_other(make_article):
    make_article(title="Визит Токаев в Пекин", slug="vizit", language=Language.RUSSIAN)
    make_article(title="Tokaev in Beijing", language=Language.ENGLISH)
    assert sorted(titles("Tokaev")) == ["Tokaev in Beijing", "Визит Токаев в Пекин"]
    assert sorted(titles("Токаев")) == ["Tokaev in Beijing", "Визит Токаев в Пекин"]


def test_english_and_russian_items_use_their_own_stemmer(make_article):
    make_article(title="Water summits in Central Asia", language=Language.ENGLISH)
    make_article(title="Энергетические соглашения", slug="soglasheniya", language=Language.RUSSIAN)
    assert titles("summit") == ["Water summits in Central Asia"]
    assert titles("соглашение") == ["Энергетические соглашения"]


def test_phrases_need_the_words_together(make_article):
    make_article(title="Un", body_source="Les pays d'Asie centrale se réunissent.")
    make_article(title="Deux", body_source="L'Asie du Sud et la Banque centrale.")
    assert titles("asie centrale") == ["Deux", "Un"]
    assert titles('"Asie centrale"') == ["Un"]


def test_exclusion_and_or(make_article):
    make_article(title="Gaz à Astana")
    make_article(title="Pétrole à Astana")
    make_article(title="Uranium à Almaty")
    assert titles("Astana -gaz") == ["Pétrole à Astana"]
    assert sorted(titles("gaz OR uranium")) == ["Gaz à Astana", "Uranium à Almaty"]
    assert titles("astana gaz OR uranium") == ["Gaz à Astana"]


def test_title_ranks_above_lead_above_body_then_newest_first(make_article):
    make_article(title="Corps", body_source="Il est question d'hydrogène.", days_ago=1)
    make_article(title="Chapeau", lead="L'hydrogène vert.", days_ago=2)
    make_article(title="L'hydrogène en titre", days_ago=3)
    make_article(title="Autre hydrogène en titre", days_ago=5)
    assert titles("hydrogène") == [
        "L'hydrogène en titre",
        "Autre hydrogène en titre",
        "Chapeau",
        "Corps",
    ]
    assert titles("hydrogène", sort="date") == [
        "Corps",
        "Chapeau",
        "L'hydrogène en titre",
        "Autre hydrogène en titre",
    ]


def test_documents_are_indexed_with_subtitle_chapters_and_presentation(make_document):
    make_document(title="Rapport A", subtitle="Sur le lithium")
    make_document(title="Rapport B", chapters=["Le cuivre du Kazakhstan"])
    make_document(title="Rapport C", presentation_source="Le charbon et la steppe.")
    assert titles("lithium") == ["Rapport A"]
    assert titles("cuivre") == ["Rapport B"]
    assert titles("charbon") == ["Rapport C"]


def test_only_published_items_are_returned(make_article):
    make_article(title="Publié sur le barrage")
    make_article(title="Prévu sur le barrage", days_ago=-1)  # scheduled for tomorrow
    Article.objects.create(
        title="Brouillon sur le barrage",
        slug="brouillon",
        author=OrganisationFactory(),
        status="draft",
    )
    assert titles("barrage") == ["Publié sur le barrage"]


def test_facets_count_and_filter(make_article, make_document):
    kazakhstan = Country.objects.get(code="KZ")
    mongolia = Country.objects.get(code="MN")
    energy = Theme.objects.get(slug="energie")
    make_article(title="Steppe un", countries=[kazakhstan], themes=[energy], kind="news")
    make_article(title="Steppe deux", countries=[kazakhstan, mongolia], kind="opinion")
    make_document(title="Steppe trois", countries=[mongolia])
    results = search_run(text="steppe")
    facets = {facet.name: {v.value: v.count for v in facet.values} for facet in results.facets}
    assert facets["pays"] == {"kz": 2, "mn": 2}
    assert facets["theme"] == {"energie": 1}
    assert facets["type"] == {"news": 1, "opinion": 1, "document": 1}
    assert facets["langue"] == {"fr": 3}
    assert sorted(titles("steppe", filters={"pays": ["kz"]})) == ["Steppe deux", "Steppe un"]
    assert titles("steppe", filters={"pays": ["mn"], "type": ["document"]}) == ["Steppe trois"]
    # Values of one facet are alternatives; facets combine with each other and with the query.
    assert len(titles("steppe", filters={"type": ["news", "document"]})) == 2
    assert titles("steppe", filters={"theme": ["energie"], "pays": ["mn"]}) == []


def test_year_facet_uses_the_document_date(make_document):
    make_document(title="Accord ancien", published_on=datetime.date(2019, 5, 2))
    results = search_run(text="accord")
    years = next(facet for facet in results.facets if facet.name == "annee")
    assert [(v.value, v.count) for v in years.values] == [("2019", 1)]
    assert titles("accord", filters={"annee": ["2019"]}) == ["Accord ancien"]
    assert titles("accord", filters={"annee": ["2020"]}) == []


def test_facets_without_a_query_browse_newest_first(make_article):
    mongolia = Country.objects.get(code="MN")
    make_article(title="Ancien", countries=[mongolia], days_ago=3)
    make_article(title="Récent", countries=[mongolia], days_ago=1)
    make_article(title="Ailleurs")
    assert titles("", filters={"pays": ["mn"]}) == ["Récent", "Ancien"]


def test_suggestions_come_from_the_vocabulary(make_article):
    make_article(title="Le sommet de Samarcande")
    results = search_run(text="Samarkande")
    assert results.total == 0
    assert results.suggestion == "samarcande"


def test_pagination_and_total(make_article, settings):
    settings.STEPPE_SEARCH_PAGE_SIZE = 2
    for n in range(5):
        make_article(title=f"Oasis {n}", days_ago=n + 1)
    first = search_run(text="oasis")
    assert first.total == 5
    assert [hit.entry.title for hit in first.hits] == ["Oasis 0", "Oasis 1"]
    assert first.has_next
    last = search_run(text="oasis", page=3)
    assert [hit.entry.title for hit in last.hits] == ["Oasis 4"]
    assert not last.has_next


def test_relevance_is_bounded_but_the_total_is_exact(make_article, settings):
    settings.STEPPE_SEARCH_RANKED_LIMIT = 3
    settings.STEPPE_SEARCH_PAGE_SIZE = 2
    for n in range(5):
        make_article(title=f"Caravane {n}", days_ago=n + 1)
    results = search_run(text="caravane")
    assert results.total == 5
    assert results.is_bounded
    assert sum(v.count for f in results.facets if f.name == "langue" for v in f.values) == 3
    assert not search_run(text="caravane", page=2).has_next
    assert search_run(text="caravane", sort="date", page=3).hits[0].entry.title == "Caravane 4"


def test_snippets_mark_the_matching_words(make_article):
    make_article(
        title="Titre", body_source="Début. " * 80 + "Le corridor <b>transcaspien</b> avance."
    )
    hit = search_run(text="corridor").hits[0]
    assert "<mark>corridor</mark>" in hit.snippet
    assert hit.snippet.startswith("…")
    assert "<b>" not in hit.snippet


def test_title_is_highlighted_and_escaped(make_article):
    make_article(title="Le <gaz> & le pétrole")
    hit = search_run(text="gaz").hits[0]
    assert str(hit.title) == "Le &lt;<mark>gaz</mark>&gt; &amp; le pétrole"


def test_a_published_timestamp_gives_the_newest_first_order(make_article):
    now = timezone.now()
    make_article(title="Yourte a", days_ago=0.5)
    make_article(title="Yourte b", days_ago=0.25)
    assert titles("yourte", sort="date") == ["Yourte b", "Yourte a"]
    assert now  # the keys are built from the publication time


def test_the_total_is_counted_up_to_a_limit(make_article, settings):
    settings.STEPPE_SEARCH_COUNT_LIMIT = 3
    settings.STEPPE_SEARCH_RANKED_LIMIT = 2
    for n in range(5):
        make_article(title=f"Steppe {n}")
    results = search_run(text="steppe")
    assert results.total == 4
    assert results.total_is_capped
    assert search_run(text="steppe 3").total == 1
