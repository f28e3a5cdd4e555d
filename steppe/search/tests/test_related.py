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


# --- stored lists (search/related.py) -------------------------------------------------------------


def _stored(item) -> list[tuple[str, int]] | None:
    from steppe.search.related import related_stored

    item_type = "document" if item._meta.model_name == "document" else "article"
    return related_stored(identity=(item_type, item.pk))


def test_publishing_stores_the_list_and_refreshes_the_neighbours(make_article):
    first = make_article(title="Les glaciers du Pamir reculent", days_ago=3)
    assert _stored(first) == []  # nothing close yet
    second = make_article(title="Pamir : les glaciers sous surveillance", days_ago=2)
    # The new item's list, and its neighbour's, now that it exists.
    assert _stored(second) == [("article", first.pk)]
    assert _stored(first) == [("article", second.pk)]


def test_page_reads_the_stored_list_with_two_queries(
    make_article, django_assert_num_queries, monkeypatch
):
    from steppe.search import related

    source = make_article(title="Les glaciers du Pamir fondent")
    other = make_article(title="Pamir : les glaciers sous surveillance")
    related_items(item_type="article", object_id=source.pk)  # the taxonomy cache, once

    def not_computed(**kwargs):
        raise AssertionError("computed at reading")

    monkeypatch.setattr(related, "related_compute", not_computed)
    with django_assert_num_queries(2):  # the stored list, then its entries
        hits = related_items(item_type="article", object_id=source.pk)
    assert [hit.entry.object_id for hit in hits] == [other.pk]
    assert hits[0].url == other.get_absolute_url()


def test_a_withdrawn_item_leaves_the_pages_at_once(
    make_article, django_capture_on_commit_callbacks
):
    from steppe.publishing.services import article_withdraw

    source = make_article(title="La route du coton en Ouzbékistan")
    gone = make_article(title="Le coton ouzbek et sa route")
    kept = make_article(title="Une route du coton", days_ago=2)
    assert set(_stored(source)) == {("article", gone.pk), ("article", kept.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        article_withdraw(article=gone, by=gone.author)
    # The stored list still names it (nothing recomputed), the page no longer shows it.
    assert ("article", gone.pk) in _stored(source)
    hits = related_items(item_type="article", object_id=source.pk)
    assert [hit.entry.object_id for hit in hits] == [kept.pk]
    assert _stored(gone) is None  # its own list went with its entry


def test_the_page_shows_at_most_limit_of_the_stored_items(make_article):
    source = make_article(title="Le lac Balkhach")
    others = [make_article(title=f"Le lac Balkhach, chapitre {n}") for n in range(6)]
    assert len(_stored(source)) == 6
    hits = related_items(item_type="article", object_id=source.pk, limit=4)
    assert len(hits) == 4
    assert {hit.entry.object_id for hit in hits} <= {other.pk for other in others}


def test_an_edit_recomputes_the_list(make_article, django_capture_on_commit_callbacks):
    from steppe.publishing.services import article_update

    source = make_article(title="Le barrage de Rogun", body_source="Le chantier du Vakhch.")
    dam = make_article(title="Rogun : le barrage avance", body_source="Turbines livrées.")
    spring = make_article(
        title="La steppe kazakhe au printemps", body_source="Les tulipes fleurissent."
    )
    assert _stored(source) == [("article", dam.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        article_update(article=source, title="La steppe au printemps, vue de Rogun")
    # Two shared title words beat one.
    assert _stored(source) == [("article", spring.pk), ("article", dam.pk)]


def test_an_item_without_a_stored_list_is_computed_at_reading(make_article):
    from steppe.search.models import RelatedItems

    source = make_article(title="Les glaciers du Pamir fondent")
    other = make_article(title="Pamir : les glaciers sous surveillance")
    RelatedItems.objects.all().delete()
    hits = related_items(item_type="article", object_id=source.pk)
    assert [hit.entry.object_id for hit in hits] == [other.pk]
    assert not RelatedItems.objects.exists()  # reading stores nothing: the worker does


def test_encode_and_decode_round_trip():
    from steppe.search.related import decode, encode

    identities = [("article", 812), ("document", 77), ("article", 1)]
    assert encode(identities) == "a812 d77 a1"
    assert decode(encode(identities)) == identities
    assert decode("a12 x3 dz d4") == [("article", 12), ("document", 4)]  # junk is skipped


def test_search_related_command_fills_the_missing_and_refreshes_the_old(make_article):
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from steppe.search.models import RelatedItems

    first = make_article(title="Les glaciers du Pamir reculent", body_source="Ils fondent.")
    second = make_article(title="Pamir : les glaciers sous surveillance", body_source="Relevés.")
    third = make_article(title="Un sujet sans rapport", body_source="Les marchés ouvrent tôt.")
    RelatedItems.objects.filter(object_id=first.pk).delete()
    RelatedItems.objects.filter(object_id=second.pk).update(
        related="", computed_at=timezone.now() - datetime.timedelta(days=9)
    )
    out = io.StringIO()
    call_command("search_related", no_progress=True, stdout=out)
    assert "for 1 items" in out.getvalue()
    assert _stored(first) == [("article", second.pk)]
    assert _stored(second) == []  # not old enough to be asked for
    call_command("search_related", older_than=7, no_progress=True, stdout=out)
    assert _stored(second) == [("article", first.pk)]
    assert _stored(third) == []
    old = RelatedItems.objects.filter(computed_at__lt=timezone.now() - datetime.timedelta(days=7))
    assert not old.exists()


@pytest.mark.django_db(transaction=True)
def test_backfill_in_worker_processes_stores_the_same_lists(monkeypatch):
    from steppe.publishing.tests.factories import ArticleFactory
    from steppe.search import related
    from steppe.search.models import RelatedItems

    monkeypatch.setattr(related, "BACKFILL_BATCH", 2)
    for n in range(5):
        ArticleFactory(published=True, title=f"Caravansérail numéro {n}")
    in_process = dict(RelatedItems.objects.values_list("object_id", "related"))
    assert len(in_process) == 5
    assert all(in_process.values())
    RelatedItems.objects.all().delete()
    pending = related.related_pending()
    assert len(pending) == 5
    assert related.related_backfill(pending, workers=2) == 5
    assert dict(RelatedItems.objects.values_list("object_id", "related")) == in_process
