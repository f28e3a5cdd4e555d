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
        countries=[kazakhstan],
        themes=[water],
    )
    close = make_article(title="Kambarata relancé", countries=[kazakhstan])
    closer = make_document(title="Le barrage de Kambarata, rapport", countries=[kazakhstan])
    make_article(title="Un sujet sans rapport")
    hits = related_items(item_type="article", object_id=source.pk)
    assert [hit.entry.object_id for hit in hits] == [closer.pk, close.pk]
    assert source.pk not in [
        hit.entry.object_id for hit in hits if hit.entry.item_type == "article"
    ]


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
