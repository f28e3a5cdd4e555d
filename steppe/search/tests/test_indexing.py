"""Incremental indexing: publication, changes, withdrawal, deletion, and the reindex command."""

import io

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

import pytest

from steppe.accounts.models import User
from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.library.services import ChapterData, document_create, document_publish, document_update
from steppe.publishing.services import article_create, article_publish, article_withdraw
from steppe.publishing.tests.factories import ArticleFactory
from steppe.search.models import SearchEntry, SearchWord
from steppe.search.selectors import search_run
from steppe.search.services import search_reindex

pytestmark = pytest.mark.django_db


def found(text: str) -> list[str]:
    return [hit.entry.title for hit in search_run(text=text).hits]


def test_publishing_an_article_indexes_it_after_commit(django_capture_on_commit_callbacks):
    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article = article_create(author=author, title="La yourte connectée", body_source="Texte.")
        article_publish(article=article, by=None)
    assert found("yourte") == ["La yourte connectée"]
    assert SearchEntry.objects.get().author_kind == author.kind


def test_a_draft_is_not_indexed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article_create(author=UserFactory(), title="Brouillon sur la yourte", body_source="Texte.")
    assert found("yourte") == []
    assert not SearchEntry.objects.exists()


def test_withdrawing_removes_the_article_in_the_same_transaction(
    make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="Le barrage de Rogoun")
    assert found("Rogoun") == ["Le barrage de Rogoun"]
    with transaction.atomic():
        article_withdraw(article=article, by=article.author)
        # Not yet committed: other readers will see the change and the removal together.
        assert found("Rogoun") == []
    assert found("Rogoun") == []


@pytest.mark.parametrize("status", [PublicationStatus.REFUSED, PublicationStatus.DRAFT])
def test_any_status_that_leaves_published_removes_the_item(make_article, status):
    article = make_article(title="Le canal de Karakoum")
    article.status = status
    article.save()  # e.g. from the admin, which sends no publishing signal
    assert found("Karakoum") == []


def test_changing_a_published_article_reindexes_it(
    make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="Ancien titre sur le coton")
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Nouveau titre sur le blé"
        article.save()
    assert found("coton") == []
    assert found("blé") == ["Nouveau titre sur le blé"]


def test_a_document_change_without_signal_is_reindexed(django_capture_on_commit_callbacks):
    contributor = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_create(contributor=contributor, title="Rapport sur l'eau")
        document_publish(document=document, by=None)
    assert found("eau") == ["Rapport sur l'eau"]
    with django_capture_on_commit_callbacks(execute=True):
        document_update(document=document, chapters=[ChapterData("Les glaciers du Pamir")])
    assert found("glaciers") == ["Rapport sur l'eau"]


def test_deleting_removes_the_item_and_its_vocabulary(make_article):
    article = make_article(title="Samarcande la bleue")
    assert SearchWord.objects.filter(word="samarcande").exists()
    article.delete()
    assert found("Samarcande") == []
    assert not SearchWord.objects.filter(word="samarcande").exists()


def test_an_author_kind_change_updates_the_facet(make_article, django_capture_on_commit_callbacks):
    author = UserFactory(kind=User.Kind.INDIVIDUAL)
    make_article(title="Tribune sur la steppe", author=author)
    with django_capture_on_commit_callbacks(execute=True):
        author.kind = User.Kind.MEDIA
        author.organisation = "Radio Steppe"
        author.save()
    results = search_run(text="steppe")
    authors = next(facet for facet in results.facets if facet.name == "auteur")
    assert [(v.value, v.count) for v in authors.values] == [("media", 1)]


def test_refreshing_an_unchanged_item_writes_nothing(make_article, django_assert_max_num_queries):
    from steppe.search.services import identity_of, search_index_refresh

    article = make_article(title="Immuable")
    with django_assert_max_num_queries(5):  # load the item (3) and compare its fingerprint (1)
        search_index_refresh(identity=identity_of(article))


def test_reindex_rebuilds_everything():
    for n in range(3):
        ArticleFactory(published=True, title=f"Chameau de Bactriane {n}")
    ArticleFactory(title="Chameau en brouillon")
    assert found("chameau") == []  # factories bypass the services and their signals
    assert search_reindex() == 3
    assert len(found("chameau")) == 3


def test_reindex_command_reports_its_rate():
    ArticleFactory.create_batch(2, published=True)
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", stdout=out, stderr=err)
    assert "Indexed 2 items" in out.getvalue()
    assert "items/s" in out.getvalue()
    assert "Indexing" in err.getvalue()  # the progress bar
    assert SearchEntry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_reindex_in_worker_processes_gives_the_same_index():
    """Outside a transaction, reading and analysing run in forked workers."""
    for n in range(5):
        ArticleFactory(published=True, title=f"Caravansérail numéro {n}")
    assert search_reindex(workers=2, batch_size=2) == 5
    parallel = sorted(SearchEntry.objects.values_list("object_id", "fingerprint", "vocabulary"))
    assert search_reindex(workers=0) == 5
    assert (
        sorted(SearchEntry.objects.values_list("object_id", "fingerprint", "vocabulary"))
        == parallel
    )
    assert len(found("caravanserail")) == 5


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 settings: SQLite only")
def test_reindex_puts_the_sqlite_bulk_settings_back():
    """A reindex merges FTS5 segments once at the end and uses a larger page cache meanwhile."""
    for n in range(3):
        ArticleFactory(published=True, title=f"Steppe {n}")

    def state():
        with connection.cursor() as cursor:
            cursor.execute("SELECT k, v FROM search_fts_config WHERE k != 'version'")
            settings = dict(cursor.fetchall())
            cursor.execute("PRAGMA cache_size")
            return settings, cursor.fetchone()[0]

    search_reindex()
    settings, cache_size = state()
    assert settings == {"automerge": 4, "crisismerge": 16, "hashsize": 1024 * 1024}
    assert cache_size == -2000  # SQLite's default, as set by the project
    search_reindex()  # over a full index: the FTS5 table is dropped and created again
    assert state() == (settings, cache_size)
    assert len(found("steppe")) == 3


@pytest.mark.django_db(transaction=True)
def test_reindex_writes_in_ascending_key_order(monkeypatch):
    """FTS5 keeps buffering postings only while each row's key is above the previous one's.

    Items are written in publication order (their keys), not in primary-key order, across
    articles and documents and across batches, with or without workers.
    """
    from steppe.library.tests.factories import DocumentFactory
    from steppe.search.backends import get_search_backend

    now = timezone.now()
    for hours in (30, 2, 50, 7, 41, 13):  # primary-key order is not publication order
        ArticleFactory(published=True, published_at=now - timezone.timedelta(hours=hours))
        DocumentFactory(published=True, published_at=now - timezone.timedelta(hours=hours + 1))
    written: list[int] = []
    backend_class = type(get_search_backend())
    original = backend_class._write

    def recording(self, items, keys, *args):
        written.extend(keys)
        return original(self, items, keys, *args)

    monkeypatch.setattr(backend_class, "_write", recording)
    for workers in (2, 0):
        written.clear()
        assert search_reindex(workers=workers, batch_size=5) == 12
        assert written == sorted(written)
        assert sorted(written) == sorted(SearchEntry.objects.values_list("pk", flat=True))
