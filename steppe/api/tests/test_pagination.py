import base64
import json

import pytest

from steppe.api.pagination import PUBLISHED_KEYSET
from steppe.publishing.tests.factories import ArticleFactory

from .conftest import hours_ago

pytestmark = pytest.mark.django_db


def walk(client, url: str) -> list[str]:
    slugs = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        data = response.json()
        slugs += [item["slug"] for item in data["items"]]
        url = data["next"]
    return slugs


def test_pages_walk_every_article_once_even_with_equal_dates(client, kazakhstan):
    same = hours_ago(3)
    articles = [
        ArticleFactory(published=True, countries=[kazakhstan], published_at=same) for _ in range(5)
    ] + [
        ArticleFactory(published=True, countries=[kazakhstan], published_at=hours_ago(4 + i))
        for i in range(6)
    ]
    seen = walk(client, "/api/v1/articles?country=kz&limit=2")
    assert len(seen) == len(set(seen)) == 11
    assert set(seen) == {article.slug for article in articles}


def test_cursor_is_stable_when_items_are_published_meanwhile(client):
    old = [ArticleFactory(published=True, published_at=hours_ago(10 + i)) for i in range(6)]
    first = client.get("/api/v1/articles?limit=3").json()
    assert [item["slug"] for item in first["items"]] == [a.slug for a in old[:3]]
    # Newer items arrive between two page loads: the next page goes on where the first stopped.
    ArticleFactory.create_batch(4, published=True, published_at=hours_ago(1))
    second = client.get(first["next"]).json()
    assert [item["slug"] for item in second["items"]] == [a.slug for a in old[3:]]
    assert second["next"] is None


def test_next_url_keeps_the_filters(client, kazakhstan, mongolia):
    for _ in range(3):
        ArticleFactory(published=True, countries=[kazakhstan])
        ArticleFactory(published=True, countries=[mongolia])
    data = client.get("/api/v1/articles?country=kz&kind=news&limit=2").json()
    assert data["next"].startswith("http://testserver/api/v1/articles?")
    assert "country=kz" in data["next"]
    assert "kind=news" in data["next"]
    assert "limit=2" in data["next"]
    assert f"cursor={data['next_cursor']}" in data["next"]
    assert (
        walk(client, data["next"])
        == [
            item["slug"]
            for item in client.get("/api/v1/articles?country=kz&limit=100").json()["items"]
        ][2:]
    )


def test_last_page_has_no_next(client):
    ArticleFactory.create_batch(2, published=True)
    data = client.get("/api/v1/articles?limit=2").json()
    assert data["next"] is None
    assert data["next_cursor"] is None


def _encode(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "%%%",
        _encode("a string"),
        _encode(["published", "2025-01-01T00:00:00+00:00"]),  # one value missing
        _encode(["published", "2025-01-01T00:00:00", 3]),  # naive date-time
        _encode(["published", "2025-01-01T00:00:00+00:00", "3"]),  # id as a string
        _encode(["username", "someone"]),  # another list's cursor
        _encode(["published", 17, 3]),
        _encode(["published", "2025-01-01T00:00:00+00:00", 2**70]),  # overflows any integer
        _encode(["published", "2025-01-01T00:00:00+00:00", -1]),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_invalid_cursor_is_400(client, cursor):
    ArticleFactory(published=True)
    response = client.get("/api/v1/articles", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_cursor_with_an_unusual_offset_is_read_in_utc(client):
    ArticleFactory(published=True)
    cursor = _encode(["published", "2999-01-01T00:00:00+22:32", 3])
    response = client.get("/api/v1/articles", {"cursor": cursor})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 1


@pytest.mark.parametrize("username", ["a\u0000b", "", "x" * 151, 7])
def test_invalid_author_cursor_is_400(client, username):
    response = client.get("/api/v1/authors", {"cursor": _encode(["username", username])})
    assert response.status_code == 400


def test_overlong_cursor_is_422(client):
    response = client.get("/api/v1/articles", {"cursor": "A" * 600})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["query", "cursor"]


def test_cursor_round_trip():
    from datetime import UTC, datetime

    position = (datetime(2025, 6, 18, 8, 0, 0, 123456, tzinfo=UTC), 42)
    assert PUBLISHED_KEYSET.decode(PUBLISHED_KEYSET.encode(position)) == position


@pytest.mark.parametrize("limit", ["0", "101", "-1", "many"])
def test_page_size_is_bounded(client, limit):
    response = client.get(f"/api/v1/articles?limit={limit}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_default_and_maximum_page_sizes(client):
    ArticleFactory.create_batch(105, published=True)
    assert len(client.get("/api/v1/articles").json()["items"]) == 20
    assert len(client.get("/api/v1/articles?limit=100").json()["items"]) == 100
