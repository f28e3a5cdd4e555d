import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from steppe.accounts.tests.factories import UserFactory
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.publishing.models import Article
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country, Tag, Theme

from .conftest import hours_ago

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles"


def slugs(client, query: str = "") -> list[str]:
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def test_lists_published_articles_newest_first(client, corpus):
    assert slugs(client) == [
        "legislatives-mongolie-2024",
        "rogun-financement-analyse",
        "sommet-chine-asie-centrale-astana",
    ]


def test_never_lists_drafts_nor_scheduled_articles(client, corpus):
    listed = slugs(client, "?country=kz&limit=100")
    assert "brouillon-secret" not in listed
    assert "article-programme" not in listed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?country=kz", ["rogun-financement-analyse", "sommet-chine-asie-centrale-astana"]),
        ("?country=KZ", ["rogun-financement-analyse", "sommet-chine-asie-centrale-astana"]),
        ("?country=mn", ["legislatives-mongolie-2024"]),
        (
            "?country=mn&country=uz",
            ["legislatives-mongolie-2024", "sommet-chine-asie-centrale-astana"],
        ),
        ("?country=zz", []),
        ("?region=asie-du-nord-est", ["legislatives-mongolie-2024"]),
        ("?theme=eau", ["rogun-financement-analyse"]),
        ("?kind=analysis", ["rogun-financement-analyse"]),
        ("?kind=news&country=kz", ["sommet-chine-asie-centrale-astana"]),
        ("?author=observatoire-steppes", ["rogun-financement-analyse"]),
        ("?language=en", ["legislatives-mongolie-2024"]),
    ],
)
def test_filters(client, corpus, query, expected):
    assert slugs(client, query) == expected


def test_country_and_region_filters_apply_each_to_any_country_of_the_item(client, corpus):
    france = Country.objects.get(code="FR")
    both = ArticleFactory(published=True, countries=[corpus["rogun"].countries.get(), france])
    assert slugs(client, "?country=kz&region=europe") == [both.slug]
    assert slugs(client, "?country=kz&region=caucase") == []


def test_an_article_about_two_countries_of_a_region_is_listed_once(client, corpus):
    assert slugs(client, "?region=asie-centrale") == [
        "rogun-financement-analyse",
        "sommet-chine-asie-centrale-astana",
    ]


def test_published_after_and_before_form_a_half_open_interval(client, corpus):
    rogun_at = corpus["rogun"].published_at
    after = rogun_at.isoformat()
    assert slugs(client, f"?published_after={after.replace('+', '%2B')}") == [
        "legislatives-mongolie-2024",
        "rogun-financement-analyse",
    ]
    assert slugs(client, f"?published_before={after.replace('+', '%2B')}") == [
        "sommet-chine-asie-centrale-astana"
    ]


def test_published_after_accepts_a_date_as_utc_midnight(client, corpus):
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).date().isoformat()
    assert slugs(client, f"?published_after={tomorrow}") == []
    assert len(slugs(client, "?published_after=2000-01-01")) == 3


@pytest.mark.parametrize(
    "instant",
    ["0579-09-21T02:22:07+22:32", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"],
)
def test_extreme_instants_are_accepted(client, corpus, instant):
    response = client.get(URL, {"published_after": instant, "published_before": instant})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_invalid_filter_values_are_422(client, corpus):
    for query in ("?kind=poem", "?language=de", "?published_after=yesterday", "?limit=101"):
        response = client.get(f"{URL}{query}")
        assert response.status_code == 422, query
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert error["details"][0]["loc"][0] == "query"


def test_summary_fields(client, corpus):
    item = client.get(f"{URL}?country=mn").json()["items"][0]
    assert item["type"] == "article"
    assert item["kind"] == "news"
    assert item["language"] == "en"
    assert item["countries"] == ["MN"]
    assert item["themes"] == ["diplomatie"]
    assert item["author"] == {
        "username": "aigerim-seitkali",
        "name": "Aïgerim Seitkali",
        "api_url": "http://testserver/api/v1/authors/aigerim-seitkali",
    }
    assert item["url"] == "http://testserver/articles/legislatives-mongolie-2024/"
    assert item["api_url"] == "http://testserver/api/v1/articles/legislatives-mongolie-2024"
    assert "body_html" not in item
    published_at = datetime.datetime.fromisoformat(item["published_at"])
    assert abs(published_at - corpus["election"].published_at) < datetime.timedelta(milliseconds=1)


def test_detail_has_body_and_tags(client, corpus):
    corpus["summit"].tags.create(name="Sommet", slug="sommet")
    data = client.get(f"{URL}/sommet-chine-asie-centrale-astana").json()
    assert data["title"] == "À Astana, un sommet Chine–Asie centrale"
    assert "<h2>Un intertitre</h2>" in data["body_html"]
    assert data["tags"] == ["Sommet"]
    assert data["countries"] == ["KZ", "UZ"]


def test_detail_body_is_sanitised_even_if_stored_unsafe(client, corpus):
    # A row written around the services (bulk update, old data) must not reach clients unsafe.
    Article.objects.filter(pk=corpus["rogun"].pk).update(
        body_html='<p onclick="steal()">Texte</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">lien</a>'
    )
    body = client.get(f"{URL}/rogun-financement-analyse").json()["body_html"]
    assert "<script" not in body
    assert "onclick" not in body
    assert "javascript:" not in body
    assert "Texte" in body


@pytest.mark.parametrize("slug", ["brouillon-secret", "article-programme", "inexistant"])
def test_detail_of_unpublished_or_unknown_article_is_404(client, corpus, slug):
    response = client.get(f"{URL}/{slug}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_withdrawn_article_disappears(client, corpus):
    Article.objects.filter(pk=corpus["rogun"].pk).update(status="withdrawn")
    assert client.get(f"{URL}/rogun-financement-analyse").status_code == 404
    assert "rogun-financement-analyse" not in slugs(client)


def test_list_queries_do_not_grow(client, kazakhstan, energy):
    def add(n):
        for _ in range(n):
            ArticleFactory(published=True, countries=[kazakhstan], themes=[energy])

    assert_queries_do_not_grow(client, f"{URL}?country=kz&theme=energie&limit=100", add)


def test_list_queries_do_not_grow_with_page_size(client, kazakhstan, energy):
    ArticleFactory.create_batch(60, published=True, countries=[kazakhstan], themes=[energy])
    counts = []
    for limit in (1, 10, 60):
        with CaptureQueriesContext(connection) as context:
            assert len(client.get(f"{URL}?limit={limit}").json()["items"]) == limit
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_detail_queries_do_not_grow(client):
    article = ArticleFactory(published=True, published_at=hours_ago(1))
    countries = iter(Country.objects.all())
    themes = iter(Theme.objects.all())
    tags = (Tag(name=f"Étiquette {i}", slug=f"etiquette-{i}") for i in range(1000))

    def add(n):
        article.countries.add(*(next(countries) for _ in range(n)))
        article.themes.add(*(next(themes) for _ in range(min(n, 3))))
        article.tags.add(*Tag.objects.bulk_create(next(tags) for _ in range(n)))

    assert_queries_do_not_grow(client, f"{URL}/{article.slug}", add)


def test_site_urls_are_canonical_whatever_the_language(client, corpus):
    english = client.get(f"{URL}?country=mn", headers={"Accept-Language": "en"}).json()
    assert english["items"][0]["url"] == "http://testserver/articles/legislatives-mongolie-2024/"


def test_urls_of_usernames_that_need_quoting(client, kazakhstan):
    author = UserFactory(username="jean.dupont@ong+1", display_name="Jean Dupont")
    ArticleFactory(published=True, author=author, slug="un-article")
    item = client.get(URL).json()["items"][0]
    assert item["author"]["api_url"] == "http://testserver/api/v1/authors/jean.dupont@ong+1"
    assert client.get(item["author"]["api_url"]).json()["username"] == "jean.dupont@ong+1"
