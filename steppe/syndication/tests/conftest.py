"""Fixtures and readers shared by the syndication tests."""

import json
import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from steppe.accounts.tests.factories import OrganisationFactory, UserFactory
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.models import Article
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country, Region, Theme

DATA = Path(__file__).parent / "data"
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    """Render every feed and sitemap afresh: the cache has its own tests (test_cache.py)."""
    settings.STEPPE_FEED_CACHE_SECONDS = 0
    settings.STEPPE_SITEMAP_CACHE_SECONDS = 0


@pytest.fixture
def kazakhstan():
    return Country.objects.get(code="KZ")


@pytest.fixture
def central_asia():
    return Region.objects.get(slug="asie-centrale")


@pytest.fixture
def energy():
    return Theme.objects.get(slug="energie")


@pytest.fixture
def corpus(kazakhstan, energy):
    """One published piece of each kind, a library document, and things that must never show."""
    author = UserFactory(username="saule", display_name="Saule Amanova")
    ngo = OrganisationFactory(username="ong-steppe", organisation="ONG Steppe")
    articles = {
        kind: ArticleFactory(
            published=True,
            kind=kind,
            title=f"Pièce {kind}",
            author=ngo if kind == Article.Kind.ANALYSIS else author,
            countries=[kazakhstan],
            themes=[energy],
        )
        for kind in Article.Kind.values
    }
    document = DocumentFactory(
        published=True,
        title="Rapport sur l’eau",
        countries=[kazakhstan],
        chapters=["Introduction", "Les bassins"],
    )
    document.themes.set([energy])
    ArticleFactory(title="Brouillon secret", countries=[kazakhstan], themes=[energy], author=author)
    return {"author": author, "ngo": ngo, "articles": articles, "document": document}


def feed_urls(kazakhstan, central_asia, energy, author) -> list[str]:
    """Every feed of the site, RSS and Atom."""
    sections = [
        "/flux/",
        f"/flux/pays/{kazakhstan.slug}/",
        f"/flux/regions/{central_asia.slug}/",
        f"/flux/themes/{energy.slug}/",
        "/flux/types/actualites/",
        "/flux/types/opinions/",
        "/flux/types/analyses/",
        "/flux/types/entretiens/",
        f"/flux/auteurs/{author.username}/",
        "/flux/bibliotheque/",
    ]
    return [url for section in sections for url in (section, f"{section}atom/")]


def parse_feed(response) -> feedparser.FeedParserDict:
    """Parse a feed response strictly: well-formed XML and no feedparser complaint (bozo)."""
    assert response.status_code == 200
    parsed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def parse_xml(content: bytes) -> etree._Element:
    return etree.fromstring(
        content, parser=etree.XMLParser(resolve_entities=False, no_network=True)
    )


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / name)))


def assert_valid(xml: etree._Element, xsd: etree.XMLSchema) -> None:
    assert xsd.validate(xml), xsd.error_log


def json_ld_blocks(html: str) -> list[dict]:
    """Every JSON-LD block of a page, parsed."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(block) for block in blocks]
