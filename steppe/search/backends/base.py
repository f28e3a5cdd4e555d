"""The search interface every engine implements.

A backend keeps `SearchEntry` rows and its engine's own index in step (`index`, `remove`, `clear`) and
answers `run(criteria)` with the keys of the matching entries. Engine-specific work is in a few hooks
(`_insert_tokens`, `_delete_tokens`, `_clear_tokens`, `_run`, `word_candidates`), so that both engines
share what decides the results: analysis, query tree, entry keys, tiers and their order.

Relevance is a *tier* (0: the whole query matches in the title; 1: in the title and head fields;
2: anywhere) then recency (the entry key). Tiers are precomputed weights: the title, head and full
token sets are indexed separately (FTS5 columns, one tsvector each on PostgreSQL), so ranking reads no
document text and needs no rank function. Only the first `limit` matches in that order are ranked.
"""

from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connections, transaction

from steppe.search.documents import IndexItem, ItemTokens
from steppe.search.models import SearchEntry
from steppe.search.query import Node

BATCH_SIZE = 500  # SQLite accepts at most 32,766 parameters per statement


@dataclass(frozen=True)
class Criteria:
    """What to match: required tree (None when only facets are chosen), exclusions, facets."""

    positive: Node | None
    negative: Node | None
    facets: Node | None
    max_key: int  # entries published later than now are not returned

    @property
    def is_empty(self) -> bool:
        return self.positive is None and self.facets is None


@dataclass(frozen=True)
class Matches:
    ranked: list[tuple[int, int]]  # (entry key, tier), best first, at most `limit`
    by_date: list[int] | None  # the requested page of keys, newest first, when asked for
    total: int  # exact up to conf.count_limit(), that limit + 1 past it


ENTRY_COLUMNS = (
    "item_type", "object_id", "slug", "title", "summary", "text", "author_name", "published_at",
    "document_date", "kind", "language", "year", "author_kind", "author_id", "country_ids",
    "theme_ids", "head_terms", "keywords", "vocabulary", "fingerprint",
)  # fmt: skip


@dataclass
class Prepared:
    """An item ready to write: plain values only (built in a worker process during a reindex)."""

    identity: tuple[str, int]
    base_key: int
    entry: tuple  # values of ENTRY_COLUMNS, adapted for the database
    tokens: tuple[str, ...]  # the engine's token columns (see `_token_values`)
    vocabulary: dict[str, str]


class BaseSearchBackend:
    vendor = ""

    def __init__(self, alias: str = "default", **options) -> None:
        self.alias = alias
        self.options = options

    @property
    def connection(self):
        return connections[self.alias]

    # Writes ---------------------------------------------------------------------------------------

    def index(self, items: Sequence[IndexItem]) -> None:
        """Add or replace these items in the index, in the current transaction."""
        for start in range(0, len(items), BATCH_SIZE):
            self._index_batch(items[start : start + BATCH_SIZE])

    def remove(self, identities: Iterable[tuple[str, int]]) -> None:
        """Remove items, given as (item_type, object_id), in the current transaction."""
        identities = list(identities)
        with transaction.atomic(using=self.alias):
            for start in range(0, len(identities), BATCH_SIZE):
                delta = self._remove_batch(identities[start : start + BATCH_SIZE])
                self._update_vocabulary(delta, {})

    def clear(self) -> None:
        """Empty the index."""
        with transaction.atomic(using=self.alias):
            self._clear_tokens()
            SearchEntry.objects.using(self.alias).all().delete()
            with self.connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_searchword")

    def _existing(self, identities: Sequence[tuple[str, int]]) -> list[tuple[int, str]]:
        by_type: dict[str, list[int]] = {}
        for item_type, object_id in identities:
            by_type.setdefault(item_type, []).append(object_id)
        rows: list[tuple[int, str]] = []
        for item_type, object_ids in by_type.items():
            rows += (
                SearchEntry.objects.using(self.alias)
                .filter(item_type=item_type, object_id__in=object_ids)
                .values_list("id", "vocabulary")
            )
        return rows

    def _remove_batch(self, identities: Sequence[tuple[str, int]]) -> Counter:
        old = self._existing(identities)
        delta: Counter = Counter()
        if not old:
            return delta
        keys = [key for key, _vocabulary in old]
        self._delete_tokens(keys)
        SearchEntry.objects.using(self.alias).filter(pk__in=keys).delete()
        for _key, vocabulary in old:
            for word in vocabulary.split():
                delta[word] -= 1
        return delta

    def _index_batch(self, items: Sequence[IndexItem]) -> None:
        with transaction.atomic(using=self.alias):
            delta = self._remove_batch([item.identity for item in items])
            prepared = [self.prepare(item) for item in items]
            keys = self._assign_keys([entry.base_key for entry in prepared])
            displays: dict[str, str] = {}
            self._write(prepared, keys, delta, displays)
            self._update_vocabulary(delta, displays)

    def prepare(self, item: IndexItem) -> Prepared:
        """Analyse an item and turn it into the values to write (no database access)."""
        analysed = item.analyse()
        ops = self.connection.ops
        entry = (
            item.item_type,
            item.object_id,
            item.slug,
            item.title[:500],
            item.summary,
            item.stored_text(),
            item.author_name[:255],
            ops.adapt_datetimefield_value(item.published_at),
            ops.adapt_datefield_value(item.document_date),
            item.kind,
            item.language,
            item.year,
            item.author_kind,
            item.author_id,
            _id_list(item.country_ids),
            _id_list(item.theme_ids),
            " ".join(analysed.head_terms),
            " ".join(analysed.keywords),
            " ".join(analysed.vocabulary),
            item.fingerprint(),
        )
        return Prepared(
            identity=item.identity,
            base_key=item.base_key(),
            entry=entry,
            tokens=self._token_values(analysed),
            vocabulary=analysed.vocabulary,
        )

    def bulk_load(self, batches: Iterable[Sequence[Prepared]]) -> Iterator[int]:
        """Fill an empty index (after `clear`) with prepared items; yield each batch's size.

        Faster than `index`: nothing to replace, keys are checked in memory and the vocabulary is
        counted in memory and written once at the end.
        """
        taken: set[int] = set()
        delta: Counter = Counter()
        displays: dict[str, str] = {}
        with transaction.atomic(using=self.alias):
            self._before_bulk_load()
            try:
                for items in batches:
                    # Ascending keys (see `search_reindex`): FTS5 keeps buffering new postings.
                    items = sorted(items, key=lambda prepared: prepared.base_key)
                    keys = []
                    for prepared in items:
                        key = prepared.base_key
                        while key in taken:
                            key += 1
                        taken.add(key)
                        keys.append(key)
                    self._write(items, keys, delta, displays)
                    yield len(items)
                self._after_bulk_load()
                words = [
                    (word, displays[word], count) for word, count in delta.items() if count > 0
                ]
                with self.connection.cursor() as cursor:
                    for start in range(0, len(words), 5000):
                        cursor.executemany(
                            "INSERT INTO search_searchword (word, display, doc_count) "
                            "VALUES (%s, %s, %s)",
                            words[start : start + 5000],
                        )
            finally:
                self._end_bulk_load()

    def after_reindex(self) -> None:
        """Hook, outside any transaction: housekeeping after a full rebuild (statistics…)."""

    def _before_bulk_load(self) -> None:
        """Hook: prepare the engine's tables for a bulk load into an empty index."""

    def _after_bulk_load(self) -> None:
        """Hook: finish a bulk load (merge segments, refresh statistics)."""

    def _end_bulk_load(self) -> None:
        """Hook, whether the bulk load succeeded or not: put connection settings back."""

    def _write(
        self,
        items: Sequence[Prepared],
        keys: Sequence[int],
        delta: Counter,
        displays: dict[str, str],
    ) -> None:
        # The writer's own Python work, once per item of a reindex: counted and kept in C loops
        # (a word's first spelling stays its display).
        setdefault = displays.setdefault
        for prepared in items:
            vocabulary = prepared.vocabulary
            delta.update(vocabulary.keys())
            deque(map(setdefault, vocabulary.keys(), vocabulary.values()), maxlen=0)
        self._insert_entries(
            [(key, *prepared.entry) for prepared, key in zip(items, keys, strict=True)]
        )
        self._insert_tokens(
            [(key, prepared.tokens) for prepared, key in zip(items, keys, strict=True)]
        )

    def _insert_entries(self, rows: list[tuple]) -> None:
        columns = ", ".join(("id", *ENTRY_COLUMNS))
        placeholders = ", ".join(["%s"] * (len(ENTRY_COLUMNS) + 1))
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_searchentry ({columns}) VALUES ({placeholders})",  # noqa: S608
                rows,
            )

    def _assign_keys(self, wanted: Sequence[int]) -> list[int]:
        """Sort keys: publication second << 20 plus a disambiguator, unique (probe on collision)."""
        taken = set(
            SearchEntry.objects.using(self.alias)
            .filter(pk__in=set(wanted))
            .values_list("pk", flat=True)
        )
        keys: list[int] = []
        for key in wanted:
            while key in taken:
                key += 1
                if SearchEntry.objects.using(self.alias).filter(pk=key).exists():
                    taken.add(key)
            taken.add(key)
            keys.append(key)
        return keys

    def _update_vocabulary(self, delta: Counter, displays: dict[str, str]) -> None:
        added = [(word, displays[word], count) for word, count in delta.items() if count > 0]
        removed = [(-count, word) for word, count in delta.items() if count < 0]
        with self.connection.cursor() as cursor:
            if added:
                cursor.executemany(
                    "INSERT INTO search_searchword (word, display, doc_count) VALUES (%s, %s, %s) "
                    "ON CONFLICT (word) DO UPDATE "
                    "SET doc_count = search_searchword.doc_count + excluded.doc_count",
                    added,
                )
            if removed:
                cursor.executemany(
                    "UPDATE search_searchword SET doc_count = doc_count - %s WHERE word = %s",
                    removed,
                )
                cursor.execute("DELETE FROM search_searchword WHERE doc_count <= 0")

    # Reads ----------------------------------------------------------------------------------------

    def run(
        self,
        criteria: Criteria,
        *,
        limit: int,
        date_page: tuple[int, int] | None = None,
        count: bool = True,
    ) -> Matches:
        """Matching keys: the first `limit` by relevance, the total, and a page by date if asked.

        `date_page` is (offset, size). Without `count`, `total` may stop at `limit`.
        """
        if criteria.is_empty:
            return Matches(ranked=[], by_date=[] if date_page else None, total=0)
        return self._run(criteria, limit=limit, date_page=date_page, count=count)

    # Hooks ----------------------------------------------------------------------------------------

    def _run(
        self, criteria: Criteria, *, limit: int, date_page: tuple[int, int] | None, count: bool
    ) -> Matches:
        raise NotImplementedError

    def _token_values(self, tokens: ItemTokens) -> tuple[str, ...]:
        """The engine's token columns for an item, as strings."""
        raise NotImplementedError

    def _insert_tokens(self, rows: list[tuple[int, tuple[str, ...]]]) -> None:
        raise NotImplementedError

    def _delete_tokens(self, keys: list[int]) -> None:
        raise NotImplementedError

    def _clear_tokens(self) -> None:
        raise NotImplementedError

    def word_candidates(self, word: str, *, limit: int) -> list[tuple[str, str, int]]:
        """Vocabulary words close to a folded word: (word, display, doc_count)."""
        raise NotImplementedError

    def explain(self, criteria: Criteria, *, limit: int) -> str:
        """The engine's query plan for `run` (docs and benchmark)."""
        raise NotImplementedError


def _id_list(ids: Sequence[int]) -> str:
    return f" {' '.join(str(pk) for pk in ids)} " if ids else ""


def distinct(tokens: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tokens))
