from datetime import timedelta

from django.utils import timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.models import Article
from steppe.publishing.tests.factories import ArticleFactory
from steppe.syndication.sitemaps import SITEMAPS, _PerLanguage

from .conftest import NEWS_NS, SITEMAP_NS, XHTML_NS, assert_valid, parse_xml, schema

pytestmark = pytest.mark.django_db

SM = f"{{{SITEMAP_NS}}}"


@pytest.fixture(scope="module")
def urlset_schema():
    return schema("urlset-with-extensions.xsd")


@pytest.fixture(scope="module")
def index_schema():
    return schema("siteindex.xsd")


def _locations(root) -> list[str]:
    return [loc.text for loc in root.iter(f"{SM}loc")]


def _section_urls(client, index_schema) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response.content)
    assert_valid(root, index_schema)
    return _locations(root)


def test_index_lists_every_section_with_its_last_change(client, corpus, index_schema):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "Last-Modified" in response
    root = parse_xml(response.content)
    assert_valid(root, index_schema)
    sections = {loc.rsplit("/", 1)[1] for loc in _locations(root)}
    assert sections == {f"sitemap-{name}.xml" for name in SITEMAPS}
    for sitemap in root.iter(f"{SM}sitemap"):
        assert sitemap.find(f"{SM}loc").text.startswith("http://testserver/sitemap-")
        assert sitemap.find(f"{SM}lastmod") is not None


def test_every_section_validates_against_the_sitemap_schema(
    client, corpus, index_schema, urlset_schema
):
    for url in _section_urls(client, index_schema):
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        root = parse_xml(response.content)
        assert_valid(root, urlset_schema)
        assert root.find(f"{SM}url") is not None, url


def test_schema_rejects_what_it_should(urlset_schema, index_schema):
    # The hand-written schemas are strict enough to catch real mistakes.
    bad_documents = [
        f'<urlset xmlns="{SITEMAP_NS}"/>',
        f'<urlset xmlns="{SITEMAP_NS}"><url><loc>/relative</loc></url></urlset>',
        f'<urlset xmlns="{SITEMAP_NS}"><url><loc>http://testserver/a/</loc>'
        "<lastmod>hier</lastmod></url></urlset>",
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:x="urn:unknown"><url><loc>http://testserver/a/</loc>'
        "<x:thing/></url></urlset>",
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}"><url><loc>http://testserver/a/</loc>'
        "<news:news><news:title>Sans publication</news:title></news:news></url></urlset>",
    ]
    for document in bad_documents:
        assert not urlset_schema.validate(parse_xml(document.encode())), document
    assert not index_schema.validate(parse_xml(f'<sitemapindex xmlns="{SITEMAP_NS}"/>'.encode()))


def test_article_section_lists_each_article_in_both_languages_with_alternates(client, corpus):
    article = corpus["articles"][Article.Kind.NEWS]
    root = parse_xml(client.get("/sitemap-articles.xml").content)
    french = f"http://testserver{article.get_absolute_url()}"
    english = f"http://testserver/en{article.get_absolute_url()}"
    locations = _locations(root)
    assert french in locations
    assert english in locations
    assert "Brouillon" not in client.get("/sitemap-articles.xml").content.decode()
    assert len(locations) == 2 * Article.objects.published().count()
    url = next(url for url in root.iter(f"{SM}url") if url.find(f"{SM}loc").text == english)
    alternates = {
        link.get("hreflang"): link.get("href") for link in url.iter(f"{{{XHTML_NS}}}link")
    }
    assert alternates == {"fr": french, "en": english, "x-default": french}
    assert url.find(f"{SM}lastmod").text.startswith(
        timezone.localtime(article.updated_at).strftime("%Y-%m-%dT%H:%M:%S")
    )


def test_sections_list_documents_countries_regions_themes_authors_and_pages(client, corpus):
    expected = {
        "documents": corpus["document"].get_absolute_url(),
        "countries": "/pays/kazakhstan/",
        "regions": "/regions/asie-centrale/",
        "themes": "/themes/energie/",
        "authors": corpus["author"].get_absolute_url(),
        "pages": "/bibliotheque/",
    }
    for section, path in expected.items():
        locations = _locations(parse_xml(client.get(f"/sitemap-{section}.xml").content))
        assert f"http://testserver{path}" in locations, section
        assert f"http://testserver/en{path}" in locations, section


def test_taxonomy_sections_skip_empty_pages_and_date_the_others(client, corpus):
    countries = parse_xml(client.get("/sitemap-countries.xml").content)
    by_location = {url.find(f"{SM}loc").text: url for url in countries.iter(f"{SM}url")}
    # China is not covered and has no content; Mongolia is covered, so listed even when empty.
    assert "http://testserver/pays/chine/" not in by_location
    assert by_location["http://testserver/pays/mongolie/"].find(f"{SM}lastmod") is None
    assert by_location["http://testserver/pays/kazakhstan/"].find(f"{SM}lastmod") is not None
    authors = _locations(parse_xml(client.get("/sitemap-authors.xml").content))
    silent = UserFactory()
    assert f"http://testserver{silent.get_absolute_url()}" not in authors


def test_news_sitemap_holds_articles_of_the_last_two_days(client, urlset_schema):
    fresh = ArticleFactory(published=True, title="Dépêche & suite", language="en")
    old = ArticleFactory(published=True, title="Vieille nouvelle")
    Article.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(hours=49))
    ArticleFactory(title="Brouillon du jour")
    response = client.get("/sitemap-news.xml")
    root = parse_xml(response.content)
    assert_valid(root, urlset_schema)
    assert _locations(root) == [f"http://testserver{fresh.get_absolute_url()}"]
    news = root.find(f"{SM}url/{{{NEWS_NS}}}news")
    assert news.find(f"{{{NEWS_NS}}}publication/{{{NEWS_NS}}}name").text == "Steppe"
    assert news.find(f"{{{NEWS_NS}}}publication/{{{NEWS_NS}}}language").text == "en"
    assert news.find(f"{{{NEWS_NS}}}title").text == "Dépêche & suite"
    assert news.find(f"{{{NEWS_NS}}}publication_date").text.startswith(
        timezone.localtime(fresh.published_at).strftime("%Y-%m-%dT%H:%M:%S")
    )


def test_news_sitemap_stays_well_formed_with_control_characters_in_a_title(client, urlset_schema):
    article = ArticleFactory(published=True)
    Article.objects.filter(pk=article.pk).update(title="Titre\x01\x0b\x1f\x7f sale")
    root = parse_xml(client.get("/sitemap-news.xml").content)
    assert_valid(root, urlset_schema)
    assert root.find(f"{SM}url/{{{NEWS_NS}}}news/{{{NEWS_NS}}}title").text == "Titre sale"


def test_empty_sections_are_left_out_of_the_index(client, index_schema):
    ArticleFactory(published=True)
    old = ArticleFactory(published=True)
    Article.objects.update(published_at=timezone.now() - timedelta(days=5))
    del old
    sections = {url.rsplit("/", 1)[1] for url in _section_urls(client, index_schema)}
    assert "sitemap-news.xml" not in sections
    assert "sitemap-documents.xml" not in sections
    assert "sitemap-articles.xml" in sections
    # Asked directly, an empty section is an empty list, not an error.
    assert client.get("/sitemap-news.xml").status_code == 200
    assert client.get("/sitemap-inconnu.xml").status_code == 404


def test_large_sections_are_split_into_pages(client, settings, index_schema, urlset_schema):
    settings.STEPPE_SITEMAP_PAGE_SIZE = 4  # two articles per page: each is listed in fr and en
    articles = ArticleFactory.create_batch(5, published=True)
    sections = _section_urls(client, index_schema)
    article_pages = [url for url in sections if "sitemap-articles.xml" in url]
    assert article_pages == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    seen = []
    for page in (1, 2, 3):
        root = parse_xml(client.get(f"/sitemap-articles.xml?p={page}").content)
        assert_valid(root, urlset_schema)
        seen += _locations(root)
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    expected = [
        f"http://testserver{prefix}{article.get_absolute_url()}"
        for article in articles
        for prefix in ("", "/en")
    ]
    assert seen == expected


@given(
    count=st.integers(min_value=0, max_value=9),
    languages=st.sampled_from([["fr"], ["fr", "en"], ["fr", "en", "ru"]]),
    start=st.integers(min_value=0, max_value=30),
    length=st.integers(min_value=0, max_value=30),
)
def test_per_language_slices_match_the_naive_expansion(count, languages, start, length):
    items = list(range(count))
    naive = [(item, language) for item in items for language in languages]
    pairs = _PerLanguage(items, languages)
    assert pairs.count() == len(naive)
    assert pairs[start : start + length] == naive[start : start + length]


# --- Query budgets: the index and each section cost the same with 3 or 15 items of each kind. ---


@pytest.fixture
def add_everything(kazakhstan, energy):
    def add(count: int) -> None:
        for _ in range(count):
            author = UserFactory()
            ArticleFactory(published=True, author=author, countries=[kazakhstan], themes=[energy])
            document = DocumentFactory(published=True, countries=[kazakhstan])
            document.themes.add(energy)
            ArticleFactory(status=PublicationStatus.DRAFT, author=author)

    return add


def test_sitemap_queries_do_not_grow(client, add_everything):
    assert_queries_do_not_grow(client, "/sitemap.xml", add_everything)


@pytest.mark.parametrize("section", list(SITEMAPS))
def test_sitemap_section_queries_do_not_grow(client, add_everything, section):
    assert_queries_do_not_grow(client, f"/sitemap-{section}.xml", add_everything)


def test_taxonomy_lastmod_follows_the_newest_item(client, kazakhstan, energy):
    article = ArticleFactory(published=True, countries=[kazakhstan], themes=[energy])
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=3))
    newer = DocumentFactory(published=True, countries=[kazakhstan])
    newer.themes.add(energy)
    stamp = timezone.localtime(newer.published_at).strftime("%Y-%m-%dT%H:%M:%S")
    for section, path in (("countries", "/pays/kazakhstan/"), ("themes", "/themes/energie/")):
        root = parse_xml(client.get(f"/sitemap-{section}.xml").content)
        url = next(u for u in root.iter(f"{SM}url") if u.find(f"{SM}loc").text.endswith(path))
        assert url.find(f"{SM}lastmod").text.startswith(stamp), section
