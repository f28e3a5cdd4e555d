import re
from dataclasses import replace
from datetime import timedelta

from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

import pytest

from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.core.text import render_markdown
from steppe.library.models import Document
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.models import Article
from steppe.publishing.tests.factories import ArticleFactory
from steppe.syndication import feeds
from steppe.taxonomy.models import Country, Theme

from .conftest import ATOM_NS, CONTENT_NS, DC_NS, feed_urls, parse_feed, parse_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def all_feed_urls(corpus, kazakhstan, central_asia, energy):
    return feed_urls(kazakhstan, central_asia, energy, corpus["author"])


def test_every_feed_parses_without_error_and_declares_its_namespaces(client, all_feed_urls):
    for url in all_feed_urls:
        response = client.get(url)
        parsed = parse_feed(response)
        root = parse_xml(response.content)
        if url.endswith("/atom/"):
            assert response["Content-Type"].startswith("application/atom+xml"), url
            assert parsed.version == "atom10", url
            assert root.tag == f"{{{ATOM_NS}}}feed", url
        else:
            assert response["Content-Type"].startswith("application/rss+xml"), url
            assert parsed.version == "rss20", url
            assert root.tag == "rss", url
            assert root.get("version") == "2.0", url
            assert root.nsmap["content"] == CONTENT_NS, url
            assert root.nsmap["atom"] == ATOM_NS, url
        assert parsed.entries, url
        assert parsed.feed.link.startswith("http://testserver/"), url


def test_rss_item_carries_title_lead_author_date_categories_and_full_content(client, corpus):
    article = corpus["articles"][Article.Kind.NEWS]
    Article.objects.filter(pk=article.pk).update(
        lead="Un chapeau & des <précisions>.",
        body_html=render_markdown("Le **corps** complet.\n\n## Suite\n\nFin."),
    )
    response = client.get("/flux/types/actualites/")
    entry = parse_feed(response).entries[0]
    assert entry.title == "Pièce news"
    assert entry.link == f"http://testserver{article.get_absolute_url()}"
    assert entry.summary == "Un chapeau &amp; des &lt;précisions&gt;."
    assert entry.author == "Saule Amanova"
    assert entry.published_parsed[:5] == article.published_at.utctimetuple()[:5]
    assert [tag.term for tag in entry.tags] == ["Actualités", "Kazakhstan", "Énergie"]
    assert "<strong>corps</strong>" in entry.content[0].value
    assert "<h2>Suite</h2>" in entry.content[0].value
    item = parse_xml(response.content).find("channel/item")
    assert item.find(f"{{{DC_NS}}}creator").text == "Saule Amanova"
    assert "<strong>corps</strong>" in item.find(f"{{{CONTENT_NS}}}encoded").text


def test_atom_entry_carries_author_link_summary_content_and_dates(client, corpus):
    article = corpus["articles"][Article.Kind.ANALYSIS]
    response = client.get("/flux/types/analyses/atom/")
    entry = parse_feed(response).entries[0]
    assert entry.title == "Pièce analysis"
    assert entry.author_detail.name == corpus["ngo"].public_name
    assert entry.author_detail.href == f"http://testserver{corpus['ngo'].get_absolute_url()}"
    assert entry.summary == "Un chapeau court qui résume l'article."
    assert entry.content[0].type == "text/html"
    assert "Second paragraphe." in entry.content[0].value
    assert entry.published_parsed[:5] == article.published_at.utctimetuple()[:5]
    assert entry.updated_parsed is not None
    assert {"Kazakhstan", "Énergie"} <= {tag.term for tag in entry.tags}
    root = parse_xml(response.content)
    assert root.find(f"{{{ATOM_NS}}}author/{{{ATOM_NS}}}name").text == "Steppe"


def test_title_with_markup_characters_reads_back_unchanged(client):
    ArticleFactory(published=True, title="Gaz & pétrole : « 2 < 3 » <b>non</b>", slug="gaz-petrole")
    for url in ("/flux/", "/flux/atom/"):
        assert (
            parse_feed(client.get(url)).entries[0].title == "Gaz & pétrole : « 2 < 3 » <b>non</b>"
        )


def test_latest_feed_mixes_articles_and_documents_newest_first(client):
    now = timezone.now()
    old = ArticleFactory(published=True, title="Ancien article")
    document = DocumentFactory(published=True, title="Rapport récent")
    new = ArticleFactory(published=True, title="Article du jour")
    Article.objects.filter(pk=old.pk).update(published_at=now - timedelta(days=3))
    Document.objects.filter(pk=document.pk).update(published_at=now - timedelta(days=2))
    Article.objects.filter(pk=new.pk).update(published_at=now - timedelta(days=1))
    entries = parse_feed(client.get("/flux/")).entries
    assert [entry.title for entry in entries] == [
        "Article du jour",
        "Rapport récent",
        "Ancien article",
    ]
    document_entry = entries[1]
    assert "Document" in {tag.term for tag in document_entry.tags}
    assert document_entry.author == "Observatoire fictif"


def test_document_entry_lists_its_key_chapters(client, corpus):
    entry = parse_feed(client.get("/flux/bibliotheque/")).entries[0]
    assert entry.title == "Rapport sur l’eau"
    assert "<li>Introduction</li><li>Les bassins</li>" in entry.content[0].value


def test_feeds_hold_only_published_items_of_their_section(client, kazakhstan, energy):
    author = UserFactory()
    inside = ArticleFactory(
        published=True, title="Dedans", countries=[kazakhstan], themes=[energy], author=author
    )
    elsewhere = ArticleFactory(
        published=True,
        title="Ailleurs",
        countries=[Country.objects.get(code="FR")] if Country.objects.filter(code="FR") else [],
        themes=[Theme.objects.get(slug="culture")],
        kind=Article.Kind.OPINION,
    )
    ArticleFactory(title="Brouillon", countries=[kazakhstan], themes=[energy], author=author)
    scheduled = ArticleFactory(
        published=True, title="Programmé", countries=[kazakhstan], themes=[energy], author=author
    )
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() + timedelta(days=1))
    withdrawn = ArticleFactory(
        published=True, title="Retiré", countries=[kazakhstan], themes=[energy], author=author
    )
    Article.objects.filter(pk=withdrawn.pk).update(status=PublicationStatus.WITHDRAWN)
    urls = [
        f"/flux/pays/{kazakhstan.slug}/",
        "/flux/regions/asie-centrale/",
        f"/flux/themes/{energy.slug}/",
        "/flux/types/actualites/",
        f"/flux/auteurs/{author.username}/",
    ]
    for url in urls:
        titles = [entry.title for entry in parse_feed(client.get(url)).entries]
        assert titles == [inside.title], url
    assert elsewhere.title in [entry.title for entry in parse_feed(client.get("/flux/")).entries]


def test_region_feed_shows_an_article_about_two_of_its_countries_once(client):
    ArticleFactory(published=True, countries=list(Country.objects.filter(code__in=["KZ", "UZ"])))
    assert len(parse_feed(client.get("/flux/regions/asie-centrale/")).entries) == 1


def test_feed_carries_at_most_the_configured_number_of_items(client, settings):
    settings.STEPPE_FEED_SIZE = 4
    ArticleFactory.create_batch(3, published=True)
    DocumentFactory.create_batch(3, published=True)
    assert len(parse_feed(client.get("/flux/")).entries) == 4
    assert len(parse_feed(client.get("/flux/bibliotheque/atom/")).entries) == 3


@pytest.mark.parametrize(
    "url",
    [
        "/flux/pays/atlantide/",
        "/flux/regions/atlantide/atom/",
        "/flux/themes/atlantide/",
        "/flux/types/inconnu/",
        "/flux/auteurs/personne/atom/",
    ],
)
def test_feed_of_unknown_section_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_feed_of_inactive_author_is_not_found(client):
    author = UserFactory(is_active=False)
    ArticleFactory(published=True, author=author)
    assert client.get(f"/flux/auteurs/{author.username}/").status_code == 404


def test_feed_content_is_the_sanitised_body(client):
    article = ArticleFactory(
        published=True,
        body_source="Texte <script>alert(1)</script> [lien](javascript:alert(1)) **gras**",
    )
    response = client.get("/flux/")
    encoded = parse_xml(response.content).find("channel/item").find(f"{{{CONTENT_NS}}}encoded")
    assert encoded.text == article.body_html
    assert "<strong>gras</strong>" in encoded.text
    assert not re.search(r"<script", encoded.text, re.IGNORECASE)
    assert not re.search(r"href=\"javascript:", encoded.text, re.IGNORECASE)


# --- Robustness: a bad character in one item must not break a feed for everyone. ---

CONTROL = "\x01\x02\x08\x0b\x0c\x0e\x1b\x1f\x7f\x80\x9f"


def test_every_feed_survives_control_characters_written_around_the_services(
    client, corpus, kazakhstan, central_asia, energy
):
    # PostgreSQL refuses NUL in text; SQLite stores it: test it where it can exist.
    dirty = CONTROL + ("\x00" if connection.vendor == "sqlite" else "")
    Article.objects.update(
        title="Titre" + dirty + " sale",
        lead="Chapeau" + dirty,
        body_html="<p>Corps" + dirty + "</p>",
        byline="Signé" + dirty,
    )
    Document.objects.update(
        title="Rapport" + dirty, subtitle="Sous-titre" + dirty, authors="Auteurs" + dirty
    )
    Country.objects.filter(pk=kazakhstan.pk).update(name_fr="Kazakhstan" + dirty)
    Theme.objects.filter(pk=energy.pk).update(name_fr="Énergie" + dirty)
    corpus["author"].__class__.objects.filter(pk=corpus["author"].pk).update(
        display_name="Saule" + dirty
    )
    for url in feed_urls(kazakhstan, central_asia, energy, corpus["author"]):
        parsed = parse_feed(client.get(url))
        titles = {entry.title for entry in parsed.entries}
        assert titles <= {"Titre sale", "Rapport"}, url
        assert titles, url
        for entry in parsed.entries:
            assert not any(char in entry.content[0].value for char in dirty), url


def test_a_lone_surrogate_cannot_reach_the_database():
    # Both drivers encode text as UTF-8, which has no lone surrogates: the only way such text can
    # reach a feed is from memory (next test). If this ever changes, the feeds are still protected.
    with pytest.raises((UnicodeEncodeError, ValueError)):
        ArticleFactory(published=True, title="Titre \ud800")


class SurrogateFeed(feeds.LatestFeed):
    """The real feed, with a lone surrogate and control characters added to each item in memory."""

    def items(self, section):
        return [
            replace(
                entry,
                title=entry.title + "\ud800\x01",
                summary_html=entry.summary_html + "\udfff",
                content_html=entry.content_html + "<p>\ud83d\x0b</p>",
                author_name=entry.author_name + "\udc80",
                categories=(*entry.categories, "\ud800"),
            )
            for entry in super().items(section)
        ]


@pytest.mark.parametrize("atom", [False, True])
def test_feed_writer_drops_lone_surrogates_and_control_characters(corpus, atom):
    feed = SurrogateFeed.atom() if atom else SurrogateFeed()
    response = feed(RequestFactory().get("/flux/"))
    parsed = parse_feed(response)
    assert {entry.title for entry in parsed.entries} >= {"Pièce news", "Rapport sur l’eau"}
    assert "\ufffd" not in response.content.decode()


# --- Query budgets: a feed costs the same number of queries with 3 or 15 items. ---


def _add_content(kazakhstan, energy, author):
    def add(count: int) -> None:
        for _ in range(count):
            ArticleFactory(
                published=True,
                author=author,
                kind=Article.Kind.NEWS,
                countries=[kazakhstan],
                themes=[energy],
            )
            document = DocumentFactory(
                published=True, countries=[kazakhstan], chapters=["Un", "Deux"]
            )
            document.themes.add(energy)

    return add


def test_feed_queries_do_not_grow(client, kazakhstan, central_asia, energy):
    author = UserFactory(username="plume")
    add = _add_content(kazakhstan, energy, author)
    for url in feed_urls(kazakhstan, central_asia, energy, author):
        if "/types/" in url and "actualites" not in url:
            continue
        assert_queries_do_not_grow(client, url, add)


def test_links_and_images_of_the_content_are_absolute(client):
    article = ArticleFactory(published=True)
    Article.objects.filter(pk=article.pk).update(
        body_html='<p><a href="/articles/autre/">autre</a> <a href="https://example.org/x">x</a>'
        ' <a href="//cdn.example.org/y">y</a></p><img src="/media/a-800.jpg" alt=""'
        ' srcset="/media/a-480.jpg 480w, /media/a-800.jpg 800w">'
    )
    for url, path in (
        ("/flux/", f"channel/item/{{{CONTENT_NS}}}encoded"),
        ("/flux/atom/", f"{{{ATOM_NS}}}entry/{{{ATOM_NS}}}content"),
    ):
        response = client.get(url)
        parse_feed(response)
        # Read the raw XML: feedparser's own sanitiser drops srcset.
        content = parse_xml(response.content).find(path).text
        assert 'href="http://testserver/articles/autre/"' in content
        assert 'href="https://example.org/x"' in content
        assert 'href="//cdn.example.org/y"' in content
        assert 'src="http://testserver/media/a-800.jpg"' in content
        assert (
            'srcset="http://testserver/media/a-480.jpg 480w, http://testserver/media/a-800.jpg 800w"'
            in content
        )
