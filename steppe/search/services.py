"""Writes to the search index: refresh one item, remove one, rebuild everything."""

import itertools
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterator

from django.db import connection, connections, transaction

from steppe.core.models import PublicationStatus
from steppe.library.models import Document
from steppe.publishing.models import Article

from . import analysis, conf
from .backends import get_search_backend
from .backends.base import Prepared
from .documents import IndexItem, article_items, base_key, document_items
from .models import SearchEntry
from .related import related_forget, related_schedule

Identity = tuple[str, int]
ARTICLE = SearchEntry.ItemType.ARTICLE
DOCUMENT = SearchEntry.ItemType.DOCUMENT
REINDEX_BATCH = 500
# Batches each worker may prepare ahead of the writer (a batch of 500 items is ~5 MB of results):
# enough to keep the workers busy while the writer clears the old index (6-9 s of CPU at 100,000
# items on SQLite), bounded so that the results do not pile up in memory.
READ_AHEAD = 8

_local = threading.local()


def identity_of(obj: Article | Document) -> Identity:
    return (ARTICLE if isinstance(obj, Article) else DOCUMENT, obj.pk)


def _articles():
    return Article.objects.filter(status=PublicationStatus.PUBLISHED)


def _documents():
    return Document.objects.filter(status=PublicationStatus.PUBLISHED)


def _items(item_type: str, pks: list[int]) -> list[IndexItem]:
    return article_items(pks) if item_type == ARTICLE else document_items(pks)


def _load(identity: Identity) -> IndexItem | None:
    item_type, pk = identity
    items = _items(item_type, [pk])
    return items[0] if items else None


def search_index_refresh(*, identity: Identity) -> None:
    """Bring one item's index entry in line with the database: index, replace or remove it.

    Idempotent and cheap when nothing changed (the entry keeps a fingerprint of what it indexed).
    """
    item = _load(identity)
    backend = get_search_backend()
    if item is None:
        backend.remove([identity])
        related_forget(identity=identity)
        return
    item_type, pk = identity
    current = (
        SearchEntry.objects.filter(item_type=item_type, object_id=pk)
        .values_list("fingerprint", flat=True)
        .first()
    )
    if current == item.fingerprint():
        return
    backend.index([item])
    # Its words, countries or themes may have changed: its related items and its neighbours' too.
    related_schedule(identity=identity)


def search_index_remove(*, identity: Identity) -> None:
    """Remove an item from the index now, inside the caller's transaction."""
    get_search_backend().remove([identity])
    related_forget(identity=identity)


def search_index_schedule(*, identity: Identity) -> None:
    """Refresh an item once the current transaction commits (now, outside one).

    Several saves of the same item in one transaction (create, set relations, publish) refresh it
    once, after the chapters, countries and themes are in place.
    """
    if not connection.in_atomic_block:
        search_index_refresh(identity=identity)
        return
    queued: set[Identity] = _local.__dict__.setdefault("queued", set())
    if identity in queued and any(
        getattr(entry[1], "identity", None) == identity for entry in connection.run_on_commit
    ):
        return  # already waiting for this commit (a rollback would have dropped the callback)
    queued.add(identity)
    transaction.on_commit(_Refresh(identity))


class _Refresh:
    def __init__(self, identity: Identity) -> None:
        self.identity = identity

    def __call__(self) -> None:
        _local.__dict__.setdefault("queued", set()).discard(self.identity)
        search_index_refresh(identity=self.identity)


def search_index_author_refresh(*, author_id: int, kind: str) -> None:
    """Re-index an author's items when their account kind changed (a facet)."""
    stale = SearchEntry.objects.filter(author_id=author_id).exclude(author_kind=kind)
    for item_type, object_id in stale.values_list("item_type", "object_id"):
        search_index_schedule(identity=(item_type, object_id))


def _load_batch(identities: list[Identity]) -> list[Prepared]:
    """Read, analyse and prepare published items (in a worker process during a reindex)."""
    items = []
    for item_type in (ARTICLE, DOCUMENT):
        pks = [pk for kind, pk in identities if kind == item_type]
        if pks:
            items += _items(item_type, pks)
    backend = get_search_backend()
    return [backend.prepare(item) for item in items]


def _in_parallel(pool, tasks: list, *, window: int) -> Iterator[list[Prepared]]:
    """Results of `_load_batch` in order, with at most `window` batches read ahead (memory)."""
    pending: deque = deque()
    remaining = iter(tasks)
    for task in itertools.islice(remaining, window):
        pending.append(pool.apply_async(_load_batch, (task,)))
    while pending:
        result = pending.popleft().get()
        task = next(remaining, None)
        if task is not None:
            pending.append(pool.apply_async(_load_batch, (task,)))
        yield result


REINDEX_CACHE_ENTRIES = 500_000  # per language: a reindex's vocabulary stays in the caches


def _worker_init() -> None:
    # A forked worker opens its own database connections (the parent closed its own before forking).
    for conn in connections.all(initialized_only=True):
        conn.connection = None
    analysis.cache_limit_set(REINDEX_CACHE_ENTRIES)


def search_reindex_count() -> int:
    return _articles().count() + _documents().count()


def search_reindex(
    *,
    progress: Callable[[int], None] | None = None,
    batch_size: int = REINDEX_BATCH,
    workers: int | None = None,
) -> int:
    """Rebuild the whole index from the published articles and documents; return their number.

    The new index is written in one transaction: readers see the old one until it is complete.
    Reading and analysing the items (most of the work, in Python) runs in `workers` forked
    processes (`STEPPE_SEARCH_INDEX_WORKERS`, default: the number of cores) while this process
    writes, in the order of the entry keys; inside an outer transaction, whose rows other
    processes cannot see, it all runs here.
    """
    backend = get_search_backend()
    workers = conf.index_workers() if workers is None else workers
    tasks = list(_chunks(_identities_in_key_order(), batch_size))
    pool = None
    if workers > 0 and len(tasks) > 1 and not connection.in_atomic_block:
        connections.close_all()  # forked children must not share the parent's connections
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init)
        batches = _in_parallel(pool, tasks, window=READ_AHEAD * workers)
    else:
        batches = (_load_batch(task) for task in tasks)
    done = 0
    try:
        with transaction.atomic():
            backend.clear()
            for size in backend.bulk_load(batches):
                done += size
                if progress is not None:
                    progress(size)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    if not connection.in_atomic_block:
        backend.after_reindex()
    return done


def _identities_in_key_order() -> list[Identity]:
    """Every published item, in the order of the entry keys it will get (publication time).

    Writing the index in ascending key order matters on SQLite: FTS5 buffers new postings in memory
    only while each row's key is greater than the previous one's, and writes a segment of what it
    holds whenever a key goes back (docs/SEARCH.md). In the order of primary keys, which is random
    with respect to publication time, that was every other row: ~50,000 tiny segments for 100,000
    items, each posting then rewritten by several levels of merging.
    """
    wanted = []
    for item_type, queryset in ((ARTICLE, _articles()), (DOCUMENT, _documents())):
        for pk, published_at in queryset.values_list("pk", "published_at"):
            key = base_key(item_type, pk, published_at) if published_at is not None else 0
            wanted.append((key, item_type, pk))
    wanted.sort()
    return [(item_type, pk) for _key, item_type, pk in wanted]


def _chunks(values, size: int) -> Iterator[list]:
    chunk: list = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
