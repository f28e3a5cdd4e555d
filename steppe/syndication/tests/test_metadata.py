import re
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import translation

import pytest

from steppe.accounts.models import User
from steppe.accounts.tests.factories import OrganisationFactory, UserFactory
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.models import Article
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country, Theme

from .conftest import json_ld_blocks, parse_feed

pytestmark = pytest.mark.django_db

# The properties each JSON-LD type must carry (schema.org, and what search engines read).
REQUIRED = {
    "NewsArticle": {
        "headline",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "url",
        "mainEntityOfPage",
        "inLanguage",
    },
    "Report": {"name", "headline", "datePublished", "author", "publisher", "url", "inLanguage"},
    "Person": {"name", "url"},
    "Organization": {"name", "url"},
    "BreadcrumbList": {"itemListElement"},
    "WebSite": {"name", "url", "potentialAction"},
}
REQUIRED["OpinionNewsArticle"] = REQUIRED["AnalysisNewsArticle"] = REQUIRED["NewsArticle"]


class HeadParser(HTMLParser):
    """The <link> and <meta> elements of a page's <head>."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.meta: list[dict] = []
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self._in_head = True
        elif self._in_head and tag == "link":
            self.links.append(dict(attrs))
        elif self._in_head and tag == "meta":
            self.meta.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False


def head(html: str) -> HeadParser:
    parser = HeadParser()
    parser.feed(html)
    return parser


def canonical(page: HeadParser) -> list[str]:
    return [link["href"] for link in page.links if link.get("rel") == "canonical"]


def hreflangs(page: HeadParser) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in page.links if "hreflang" in link}


def feeds(page: HeadParser) -> dict[str, str]:
    return {
        link["href"]: link["type"]
        for link in page.links
        if link.get("rel") == "alternate" and "type" in link
    }


def properties(page: HeadParser) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in page.meta:
        key = meta.get("property") or meta.get("name")
        found.setdefault(key, []).append(meta.get("content"))
    return found


def assert_required(block: dict) -> None:
    assert block["@context"] == "https://schema.org"
    missing = REQUIRED[block["@type"]] - {key for key, value in block.items() if value}
    assert not missing, (block["@type"], missing)


def blocks_by_type(html: str) -> dict[str, dict]:
    blocks = json_ld_blocks(html)
    for block in blocks:
        assert_required(block)
    return {block["@type"]: block for block in blocks}


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (Article.Kind.NEWS, "NewsArticle"),
        (Article.Kind.OPINION, "OpinionNewsArticle"),
        (Article.Kind.ANALYSIS, "AnalysisNewsArticle"),
        (Article.Kind.INTERVIEW, "NewsArticle"),
    ],
)
def test_article_page_describes_the_article_in_json_ld(
    client, kazakhstan, energy, kind, schema_type
):
    author = UserFactory(display_name="Saule Amanova")
    article = ArticleFactory(
        published=True, kind=kind, author=author, countries=[kazakhstan], themes=[energy]
    )
    blocks = blocks_by_type(client.get(article.get_absolute_url()).content.decode())
    assert set(blocks) == {schema_type, "BreadcrumbList"}
    data = blocks[schema_type]
    url = f"http://testserver{article.get_absolute_url()}"
    assert data["url"] == data["mainEntityOfPage"] == url
    assert data["headline"] == article.title
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Saule Amanova",
            "url": f"http://testserver{author.get_absolute_url()}",
        }
    ]
    assert data["publisher"]["name"] == "Steppe"
    assert data["datePublished"].startswith(article.published_at.astimezone().strftime("%Y-%m-%d"))
    assert data["keywords"] == ["Énergie"]
    assert data["contentLocation"][0]["name"] == "Kazakhstan"
    crumbs = blocks["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["item"]) for c in crumbs] == [
        (1, f"http://testserver{article.get_kind_url()}"),
        (2, url),
    ]


def test_organisation_author_and_imported_byline_are_described_as_such(client):
    ngo = OrganisationFactory(display_name="ONG Eau Vive")
    by_ngo = ArticleFactory(published=True, author=ngo)
    imported = ArticleFactory(published=True, byline="Aïgerim B.")
    data = blocks_by_type(client.get(by_ngo.get_absolute_url()).content.decode())["NewsArticle"]
    assert data["author"][0]["@type"] == "Organization"
    assert data["author"][0]["name"] == "ONG Eau Vive"
    data = blocks_by_type(client.get(imported.get_absolute_url()).content.decode())["NewsArticle"]
    assert data["author"] == [{"@type": "Person", "name": "Aïgerim B."}]


def test_document_page_is_a_report_with_the_files_breadcrumb(client, kazakhstan):
    document = DocumentFactory(published=True, countries=[kazakhstan], authors="A. Nurlanova")
    blocks = blocks_by_type(client.get(document.get_absolute_url()).content.decode())
    assert set(blocks) == {"Report", "BreadcrumbList"}
    report = blocks["Report"]
    assert report["name"] == document.title
    assert report["alternativeHeadline"] == document.subtitle
    assert report["datePublished"] == "2025-12-23"
    assert report["publisher"] == {"@type": "Organization", "name": "Observatoire fictif"}
    assert report["creditText"] == "A. Nurlanova"
    crumbs = blocks["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["item"]) for c in crumbs] == [
        (1, "http://testserver/bibliotheque/"),
        (2, f"http://testserver{kazakhstan.get_absolute_url()}"),
        (3, f"http://testserver{document.get_absolute_url()}"),
    ]
    assert crumbs[1]["name"] == "Le Kazakhstan"


def test_document_without_country_has_a_two_step_breadcrumb(client):
    document = DocumentFactory(published=True)
    crumbs = blocks_by_type(client.get(document.get_absolute_url()).content.decode())[
        "BreadcrumbList"
    ]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2]


@pytest.mark.parametrize(
    ("kind", "schema_type"), [(User.Kind.INDIVIDUAL, "Person"), (User.Kind.MEDIA, "Organization")]
)
def test_author_page_is_a_person_or_an_organisation(client, kind, schema_type):
    author = UserFactory(
        kind=kind,
        organisation="" if kind == User.Kind.INDIVIDUAL else "Radio Steppe",
        website="https://example.org/",
        bio="Une courte biographie.",
        country=Country.objects.get(code="MN"),
    )
    blocks = blocks_by_type(client.get(author.get_absolute_url()).content.decode())
    assert set(blocks) == {schema_type}
    data = blocks[schema_type]
    assert data["name"] == author.public_name
    assert data["url"] == f"http://testserver{author.get_absolute_url()}"
    assert data["sameAs"] == ["https://example.org/"]
    assert data["description"] == "Une courte biographie."
    page = head(client.get(author.get_absolute_url()).content.decode())
    assert properties(page)["og:type"] == ["profile"]
    assert properties(page)["profile:username"] == [author.username]


def test_home_page_declares_the_website_and_its_search(client):
    blocks = blocks_by_type(client.get("/").content.decode())
    assert set(blocks) == {"WebSite"}
    action = blocks["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/recherche/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    english = blocks_by_type(client.get("/en/").content.decode())["WebSite"]
    assert english["potentialAction"]["target"]["urlTemplate"] == (
        "http://testserver/en/recherche/?q={search_term_string}"
    )


HOSTILE_TITLE = 'Fin </script><script>alert("x")</script> <!-- & \u2028 »'


def test_json_ld_cannot_be_broken_out_of(client):
    article = ArticleFactory(published=True, title=HOSTILE_TITLE, lead="</SCRIPT>", slug="hostile")
    html = client.get(article.get_absolute_url()).content.decode()
    head_html = html[: html.index("</head>")]
    assert head_html.count("<script") == head_html.count("</script>") == 2
    assert "<script>alert" not in html
    data = blocks_by_type(html)["NewsArticle"]
    assert data["headline"] == HOSTILE_TITLE
    assert data["description"] == "</SCRIPT>"


def test_article_page_has_canonical_hreflang_opengraph_and_twitter_tags(client, energy):
    article = ArticleFactory(published=True, themes=[energy], lead="Un chapeau « précis ».")
    page = head(client.get(article.get_absolute_url() + "?utm_source=lettre").content.decode())
    french = f"http://testserver{article.get_absolute_url()}"
    english = f"http://testserver/en{article.get_absolute_url()}"
    assert canonical(page) == [french]
    assert hreflangs(page) == {"fr": french, "en": english, "x-default": french}
    found = properties(page)
    assert found["og:type"] == ["article"]
    assert found["og:title"] == found["twitter:title"] == [article.title]
    assert found["og:description"] == found["twitter:description"] == ["Un chapeau « précis »."]
    assert found["og:url"] == [french]
    assert found["og:site_name"] == ["Steppe"]
    assert found["og:locale"] == ["fr_FR"]
    assert found["og:locale:alternate"] == ["en_GB"]
    assert found["twitter:card"] == ["summary"]
    assert found["article:tag"] == ["Énergie"]
    assert found["article:author"] == [f"http://testserver{article.author.get_absolute_url()}"]
    assert found["article:published_time"][0].startswith(str(article.published_at.year))


def test_english_page_points_at_itself_and_its_french_twin(client):
    article = ArticleFactory(published=True)
    french = article.get_absolute_url()
    with translation.override("en"):
        url = article.get_absolute_url()
    page = head(client.get(url).content.decode())
    assert canonical(page) == [f"http://testserver{url}"]
    assert hreflangs(page) == {
        "fr": f"http://testserver{french}",
        "en": f"http://testserver{url}",
        "x-default": f"http://testserver{french}",
    }
    assert properties(page)["og:locale"] == ["en_GB"]


def test_listing_canonical_keeps_the_page_number_only(client, settings, kazakhstan):
    settings.STEPPE_PAGE_SIZE = 2
    ArticleFactory.create_batch(3, published=True, countries=[kazakhstan])
    page = head(client.get("/pays/kazakhstan/?page=2&utm_campaign=x").content.decode())
    assert canonical(page) == ["http://testserver/pays/kazakhstan/?page=2"]
    assert hreflangs(page)["en"] == "http://testserver/en/pays/kazakhstan/?page=2"
    first = head(client.get("/pays/kazakhstan/?page=1").content.decode())
    assert canonical(first) == ["http://testserver/pays/kazakhstan/"]


def test_not_found_page_has_no_canonical_url_nor_structured_data(client):
    response = client.get("/articles/inexistant/")
    assert response.status_code == 404
    html = response.content.decode()
    assert canonical(head(html)) == []
    assert json_ld_blocks(html) == []
    assert "/flux/" in feeds(head(html))


@pytest.fixture
def listing_pages(corpus, kazakhstan, central_asia, energy):
    """Each listing page and the section feed it must advertise."""
    author = corpus["author"]
    return {
        kazakhstan.get_absolute_url(): "/flux/pays/kazakhstan/",
        central_asia.get_absolute_url(): "/flux/regions/asie-centrale/",
        energy.get_absolute_url(): "/flux/themes/energie/",
        "/types/opinions/": "/flux/types/opinions/",
        author.get_absolute_url(): f"/flux/auteurs/{author.username}/",
        "/bibliotheque/": "/flux/bibliotheque/",
    }


def test_every_page_advertises_the_global_feed(client, corpus, listing_pages):
    pages = [
        "/",
        "/en/",
        corpus["articles"][Article.Kind.NEWS].get_absolute_url(),
        corpus["document"].get_absolute_url(),
        *listing_pages,
    ]
    for url in pages:
        found = feeds(head(client.get(url).content.decode()))
        assert found["/flux/"] == "application/rss+xml", url
        assert found["/flux/atom/"] == "application/atom+xml", url


def test_listing_pages_advertise_their_section_feed_and_it_works(client, listing_pages):
    for page_url, feed_url in listing_pages.items():
        for prefix in ("", "/en"):
            found = feeds(head(client.get(prefix + page_url).content.decode()))
            assert found[feed_url] == "application/rss+xml", page_url
            assert found[f"{feed_url}atom/"] == "application/atom+xml", page_url
            assert len(found) == 4, page_url
        assert parse_feed(client.get(feed_url)).entries, feed_url


def test_home_and_article_pages_advertise_only_the_global_feed(client, corpus):
    for url in ("/", corpus["articles"][Article.Kind.NEWS].get_absolute_url()):
        assert set(feeds(head(client.get(url).content.decode()))) == {"/flux/", "/flux/atom/"}


def test_metadata_is_free_of_control_characters_written_around_the_services(client):
    article = ArticleFactory(published=True)
    Article.objects.filter(pk=article.pk).update(title="Titre\x01\x1b sale", lead="Chapeau\x0b")
    html = client.get(article.get_absolute_url()).content.decode()
    head_html = html[: html.index("</head>")]
    metadata = head_html[head_html.index('rel="canonical"') :]
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", metadata)
    assert blocks_by_type(html)["NewsArticle"]["headline"] == "Titre sale"


# --- Cost: the metadata reads only what the view loaded. ---


def test_metadata_runs_no_query(client, corpus, listing_pages, django_assert_num_queries):
    pages = [
        "/",
        corpus["articles"][Article.Kind.OPINION].get_absolute_url(),
        corpus["document"].get_absolute_url(),
        *listing_pages,
    ]
    for url in pages:
        response = client.get(url)
        # A ContextList iterates over its contexts, not its keys.
        context = {key: response.context[key] for key in response.context.keys()}  # noqa: SIM118
        with django_assert_num_queries(0):
            html = render_to_string(
                "syndication/partials/head.html", context, request=response.wsgi_request
            )
        assert "og:title" in html, url


def test_document_page_queries_do_not_grow_with_countries_and_themes(client):
    document = DocumentFactory(published=True)
    countries = list(Country.objects.order_by("code"))

    def add(count):
        document.countries.add(*countries[: count * 2])
        document.themes.add(*Theme.objects.all()[:count])

    assert_queries_do_not_grow(client, document.get_absolute_url(), add)


def test_article_image_and_author_avatar_are_shared_without_a_query(client):
    article = ArticleFactory(published=True)
    Article.objects.filter(pk=article.pk).update(
        body_html='<p>Texte</p><figure><img src="/media/articles/2025/01/yourte.jpg" alt="Une yourte"'
        ' width="800" height="600"></figure><img src="/media/autre.jpg" alt="">'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    found = properties(head(html))
    assert found["og:image"] == ["http://testserver/media/articles/2025/01/yourte.jpg"]
    assert found["twitter:card"] == ["summary_large_image"]
    assert blocks_by_type(html)["NewsArticle"]["image"] == [
        "http://testserver/media/articles/2025/01/yourte.jpg"
    ]
    ngo = OrganisationFactory()
    User.objects.filter(pk=ngo.pk).update(avatar="avatars/logo.png")
    html = client.get(ngo.get_absolute_url()).content.decode()
    assert properties(head(html))["og:image"] == ["http://testserver/media/avatars/logo.png"]
    assert (
        blocks_by_type(html)["Organization"]["logo"] == "http://testserver/media/avatars/logo.png"
    )


def test_page_without_image_has_a_small_card(client):
    article = ArticleFactory(published=True)
    found = properties(head(client.get(article.get_absolute_url()).content.decode()))
    assert "og:image" not in found
    assert found["twitter:card"] == ["summary"]
