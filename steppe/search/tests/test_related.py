"""Related items, for article and document pages."""

from django.template import Context, Template
from django.test import RequestFactory

import pytest

from steppe.search.selectors import related_items
from steppe.taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db


def test_related_items_share_title_words_then_countries_and_themes(make_article, make_document):
    kazakhstan = Country.objects.get(code="KZ")
    water = Theme.objects.get(slug="eau")
    source = make_article(
        title="Le barrage de Kambarata et l'eau du Syr-Daria",
        body_source="Le réservoir alimentera la vallée.",
        countries=[kazakhstan],
        themes=[water],
    )
    close = make_article(
        title="Kambarata relancé", body_source="Le chantier reprend.", countries=[kazakhstan]
    )
    closer = make_document(
        title="Le barrage de Kambarata, rapport",
        presentation_source="Une étude d'ingénieurs.",
        countries=[kazakhstan],
    )
    make_article(title="Un sujet sans rapport", body_source="Les marchés ouvrent tôt.")
    hits = related_items(item_type="article", object_id=source.pk)
    assert [hit.entry.object_id for hit in hits] == [closer.pk, close.pk]
    assert source.pk not in [
        hit.entry.object_id for hit in hits if hit.entry.item_type == "article"
    ]


def test_related_items_use_the_body_text(make_article):
    """Titles that share nothing: the bodies, and how specific their shared words are, decide."""
    source = make_article(
        title="Notes de terrain",
        body_source=(
            "Les glaciers du Pamir reculent. La fonte des glaciers inquiète les bergers. "
            "Au Pamir, chaque été la fonte commence plus vite."
        ),
    )
    twin = make_article(
        title="Carnet d'altitude",
        body_source="Sur le Pamir, la fonte précoce des glaciers grossit les torrents.",
    )
    namesake = make_article(
        title="Le Pamir en hiver", body_source="La route est fermée par la neige.", days_ago=0.5
    )
    make_article(title="Chronique", body_source="Les marchés de Tachkent ouvrent tôt le matin.")
    hits = related_items(item_type="article", object_id=source.pk)
    assert [hit.entry.object_id for hit in hits] == [twin.pk, namesake.pk]


def test_keywords_are_the_most_frequent_terms():
    from collections import Counter

    from steppe.search.documents import keywords_of

    counts = Counter({"glaci": 3, "pamir": 3, "font": 2, "ete": 2, "2024": 5, "eu": 4, "tot": 1})
    assert keywords_of(counts, limit=4) == ["glaci", "pamir", "font", "ete"]


def test_related_items_of_an_unindexed_item_are_empty():
    assert related_items(item_type="article", object_id=123456) == []


def test_related_tag_renders_links(make_article, django_assert_max_num_queries):
    source = make_article(title="Les glaciers du Pamir fondent")
    other = make_article(title="Pamir : les glaciers sous surveillance")
    template = Template("{% load search %}{% related_to article %}")
    context = Context({"article": source, "request": RequestFactory().get("/")})
    # The entry, up to three tier queries, candidates, hits, countries and themes (then cached);
    # on PostgreSQL, a savepoint and the plan settings around the tier queries.
    with django_assert_max_num_queries(12):
        html = template.render(context)
    assert f'href="{other.get_absolute_url()}"' in html
    assert 'aria-labelledby="related-heading"' in html
