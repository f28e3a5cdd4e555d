import datetime

import pytest

from steppe.accounts.tests.factories import UserFactory
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.tests.factories import ArticleFactory

from .conftest import hours_ago

pytestmark = pytest.mark.django_db

PUBLIC_FIELDS = {
    "username",
    "name",
    "api_url",
    "kind",
    "organisation",
    "website",
    "country",
    "bio",
    "url",
    "items_url",
}


def test_lists_only_active_accounts_that_published_something(client, corpus):
    UserFactory(username="lectrice")  # published nothing
    only_drafts = UserFactory(username="timide")
    ArticleFactory(author=only_drafts)
    gone = UserFactory(username="partie", is_active=False)
    ArticleFactory(published=True, author=gone)
    data = client.get("/api/v1/authors").json()
    assert [author["username"] for author in data["items"]] == [
        "aigerim-seitkali",
        "observatoire-steppes",
    ]


def test_authors_show_public_profile_fields_only(client, corpus):
    corpus["aigerim"].first_name = "Prénom-privé"
    corpus["aigerim"].save()
    response = client.get("/api/v1/authors")
    for author in response.json()["items"]:
        assert set(author) == PUBLIC_FIELDS
    content = response.content.decode()
    assert "@example.org" not in content  # e-mail addresses of both accounts
    assert "Prénom-privé" not in content
    profile = client.get("/api/v1/authors/aigerim-seitkali")
    assert set(profile.json()) == PUBLIC_FIELDS
    assert "aigerim@example.org" not in profile.content.decode()
    assert profile.json()["country"] == "KZ"


def test_filter_authors_by_kind(client, corpus):
    data = client.get("/api/v1/authors?kind=ngo").json()
    assert [author["username"] for author in data["items"]] == ["observatoire-steppes"]


@pytest.mark.parametrize("username", ["lectrice", "inconnue", "partie"])
def test_profile_of_a_non_author_is_404(client, corpus, username):
    UserFactory(username="lectrice")
    gone = UserFactory(username="partie", is_active=False)
    ArticleFactory(published=True, author=gone)
    assert client.get(f"/api/v1/authors/{username}").status_code == 404
    assert client.get(f"/api/v1/authors/{username}/items").status_code == 404


def test_items_mix_articles_and_documents_newest_first(client, corpus):
    data = client.get("/api/v1/authors/observatoire-steppes/items").json()
    assert [(item["type"], item["slug"]) for item in data["items"]] == [
        ("article", "rogun-financement-analyse"),
        ("document", "declaration-samarcande-ue-asie-centrale"),
    ]
    assert "body_html" not in data["items"][0]
    assert "chapters" not in data["items"][1]  # summaries; the detail URL has the rest
    assert data["items"][1]["api_url"].endswith(
        "/api/v1/documents/declaration-samarcande-ue-asie-centrale"
    )


def test_items_are_published_only(client, corpus):
    data = client.get("/api/v1/authors/aigerim-seitkali/items").json()
    assert [item["slug"] for item in data["items"]] == [
        "legislatives-mongolie-2024",
        "sommet-chine-asie-centrale-astana",
    ]


def test_items_pages_walk_every_item_once_even_with_equal_dates(client):
    author = UserFactory(username="prolifique")
    same = hours_ago(5)
    expected = set()
    for i in range(7):
        at = same if i < 4 else hours_ago(5 + i)
        expected.add(
            ("article", ArticleFactory(published=True, author=author, published_at=at).slug)
        )
        expected.add(
            ("document", DocumentFactory(published=True, contributor=author, published_at=at).slug)
        )
    seen: list = []
    url = "/api/v1/authors/prolifique/items?limit=3"
    pages = 0
    while url:
        data = client.get(url).json()
        seen += [(item["type"], item["slug"]) for item in data["items"]]
        assert len(data["items"]) <= 3
        url = data["next"]
        pages += 1
    assert pages == 5
    assert len(seen) == len(set(seen)) == 14
    assert set(seen) == expected
    dates = [
        datetime.datetime.fromisoformat(item["published_at"])
        for item in client.get("/api/v1/authors/prolifique/items?limit=100").json()["items"]
    ]
    assert dates == sorted(dates, reverse=True)


def test_items_cursor_of_another_list_is_400(client, corpus):
    articles = client.get("/api/v1/articles?limit=1").json()
    response = client.get(
        f"/api/v1/authors/aigerim-seitkali/items?cursor={articles['next_cursor']}"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_list_queries_do_not_grow(client):
    def add(n):
        for _ in range(n):
            ArticleFactory(published=True, author=UserFactory(country_id=None))

    assert_queries_do_not_grow(client, "/api/v1/authors?limit=100", add)


def test_items_queries_do_not_grow(client, kazakhstan):
    author = UserFactory(username="reguliere")

    def add(n):
        for _ in range(n):
            ArticleFactory(published=True, author=author, countries=[kazakhstan])
            DocumentFactory(published=True, contributor=author, countries=[kazakhstan])

    assert_queries_do_not_grow(client, "/api/v1/authors/reguliere/items?limit=100", add)
