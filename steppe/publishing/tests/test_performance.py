"""The home page's featured article and the listings read the newest rows from an index."""

from django.db import connection
from django.urls import reverse

import pytest

from steppe.publishing import selectors
from steppe.publishing.models import Article
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db


def test_home_without_featured_article_shows_the_newest_first(client):
    older = ArticleFactory(published=True, title="Plus ancien")
    newest = ArticleFactory(published=True, title="Le plus récent")
    ArticleFactory(published=True, title="Brouillon à la une", is_featured=True, status="draft")
    response = client.get(reverse("publishing:home"))
    assert response.context["featured"] == newest
    assert response.context["items"] == [older]


def test_home_featured_article_is_not_repeated_in_the_latest(client):
    featured = ArticleFactory(published=True, is_featured=True)
    newer = ArticleFactory(published=True)
    featured_at, items = selectors.article_list_home(limit=12)
    assert featured_at == featured
    assert items == [newer]
    assert selectors.article_get_featured() == featured


def test_home_with_nothing_published(client):
    assert selectors.article_list_home(limit=12) == (None, [])
    assert client.get(reverse("publishing:home")).status_code == 200


def test_listings_load_authors_and_countries_without_a_query_per_row(
    django_assert_num_queries,
):
    kazakhstan = Country.objects.get(code="KZ")
    for _ in range(4):
        ArticleFactory(published=True, countries=[kazakhstan])
    with django_assert_num_queries(3):  # articles, their authors, their countries
        rows = list(selectors.article_list_for_country(country=kazakhstan)[:20])
        assert [row.signature for row in rows]
        assert [row.author.get_absolute_url() for row in rows]
        assert all(row.countries.all()[0] == kazakhstan for row in rows)
    assert len(rows) == 4


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_featured_article_is_found_through_its_partial_index():
    # Without the partial index, a site with no featured article walks every published one.
    query = Article.objects.published().for_listing().filter(is_featured=True)[:1]
    assert "article_featured" in _plan(query)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_latest_articles_are_read_from_the_index_without_joining_the_authors():
    # Joined to the users, SQLite starts from the users table and sorts every article.
    plan = _plan(selectors.article_list_published()[:13])
    assert "article_status_published" in plan
    assert "accounts_user" not in plan


@pytest.mark.parametrize("language", ["fr", "en"])
def test_attached_listing_urls_are_the_models_urls(language):
    from django.utils import translation

    from steppe.accounts.tests.factories import UserFactory

    kazakhstan = Country.objects.get(code="KZ")
    author = UserFactory(username="Ainur.B+ö@steppe")
    ArticleFactory(published=True, author=author, kind="opinion", countries=[kazakhstan])
    with translation.override(language):
        rows = list(selectors.article_list_for_country(country=kazakhstan))
        selectors.article_attach_urls(rows)
        (article,) = rows
        assert article.url == article.get_absolute_url()
        assert article.kind_url == article.get_kind_url()
        assert article.author_url == author.get_absolute_url()
        assert article.countries.all()[0].url == kazakhstan.get_absolute_url()
    assert article.url.startswith("/en/" if language == "en" else "/articles/")


def test_country_page_links_use_the_attached_urls(client, django_assert_max_num_queries):
    kazakhstan = Country.objects.get(code="KZ")
    article = ArticleFactory(published=True, countries=[kazakhstan])
    html = client.get(kazakhstan.get_absolute_url()).content.decode()
    assert f'href="{article.get_absolute_url()}"' in html
    assert f'href="{article.author.get_absolute_url()}"' in html
    assert f'href="{article.get_kind_url()}"' in html
