from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from steppe.library.services import document_publish
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.services import article_publish, article_update
from steppe.publishing.tests.factories import ArticleFactory

from .conftest import parse_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.STEPPE_FEED_CACHE_SECONDS = 300
    settings.STEPPE_SITEMAP_CACHE_SECONDS = 300


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def test_feed_is_served_from_the_cache_until_an_article_is_published(
    client, cache_on, editor, django_capture_on_commit_callbacks
):
    ArticleFactory(published=True, title="Premier")
    first, queries = _get(client, "/flux/")
    assert queries > 0
    draft = ArticleFactory(title="Second")
    again, queries = _get(client, "/flux/")
    assert queries == 0
    assert again.content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=draft, by=editor)
    titles = [entry.title for entry in parse_feed(client.get("/flux/")).entries]
    assert titles[0] == "Second"


def test_a_change_to_a_published_article_renews_the_cache(
    client, cache_on, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, title="Avant")
    parse_feed(client.get("/flux/atom/"))
    with django_capture_on_commit_callbacks(execute=True):
        article_update(article=article, title="Après")
    assert parse_feed(client.get("/flux/atom/")).entries[0].title == "Après"


def test_a_published_document_renews_the_sitemaps(
    client, cache_on, editor, django_capture_on_commit_callbacks
):
    ArticleFactory(published=True)
    assert client.get("/sitemap-documents.xml").content.count(b"<url>") == 0
    document = DocumentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        document_publish(document=document, by=editor)
    assert document.slug in client.get("/sitemap-documents.xml").content.decode()
    assert b"sitemap-documents.xml" in client.get("/sitemap.xml").content


@pytest.mark.parametrize("url", ["/flux/", "/flux/pays/kazakhstan/atom/", "/sitemap.xml"])
def test_a_reader_that_has_the_current_version_gets_a_304(client, cache_on, url):
    ArticleFactory(published=True)
    response = client.get(url)
    assert response.status_code == 200
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_conditional_get_works_without_the_cache_too(client):
    ArticleFactory(published=True)
    etag = client.get("/flux/")["ETag"]
    assert client.get("/flux/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_cache_is_per_host_and_not_for_errors(client, cache_on):
    ArticleFactory(published=True)
    assert b"http://testserver/" in client.get("/flux/").content
    other = client.get("/flux/", HTTP_HOST="localhost").content
    assert b"http://localhost/" in other
    assert b"http://testserver/" not in other
    assert client.get("/flux/pays/atlantide/").status_code == 404
