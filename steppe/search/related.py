"""Related items: worked out once per item in the background, read by item pages with one query.

Finding an item's neighbours means merging the posting lists of a dozen of its terms over the whole
index (~14 ms of PostgreSQL at 100,000 items, and scoring 200 candidates in Python): too much for
every first view of an article. So the list is computed when the item is indexed, by the worker
(`related_refresh_task`), stored in `RelatedItems`, and refreshed:

- for the item itself each time its index entry changes (published, edited);
- for its neighbours when it is published or changed, so that a new item enters their lists;
- for every item by `manage.py search_related`, nightly (the lists computed longest ago) and once
  after deploying this (the items that have none yet).

A page whose item has no list yet computes it on the spot (not stored: the worker does that). An
item withdrawn, deleted or scheduled for later simply drops out at reading: the page shows the
first `limit` of the stored items that are in the index now.
"""

import multiprocessing
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from functools import partial

from django.db import connection, connections, router, transaction
from django.utils import timezone

from .backends import Criteria, get_search_backend
from .models import RelatedItems, SearchEntry, key_for
from .query import Any, Token

Identity = tuple[str, int]

RELATED_CANDIDATES = 200
RELATED_QUERY_TERMS = 12  # terms in the candidate query: 20 made it 40 % slower on PostgreSQL
RELATED_STORED = 8  # stored per item: enough for the 4 a page shows when some are withdrawn
RELATED_COLUMNS = (
    "id", "item_type", "object_id", "slug", "title", "summary", "kind", "language",
    "published_at", "country_ids",
)  # fmt: skip
_INITIALS = {SearchEntry.ItemType.ARTICLE: "a", SearchEntry.ItemType.DOCUMENT: "d"}
_TYPES = {initial: item_type for item_type, initial in _INITIALS.items()}


def encode(identities: list[Identity]) -> str:
    return " ".join(f"{_INITIALS[item_type]}{object_id}" for item_type, object_id in identities)


def decode(value: str) -> list[Identity]:
    identities = []
    for token in value.split():
        item_type = _TYPES.get(token[:1])
        if item_type is not None and token[1:].isdigit():
            identities.append((item_type, int(token[1:])))
    return identities


def related_compute(*, identity: Identity, limit: int = RELATED_STORED) -> list[Identity] | None:
    """The published items closest to this one: shared words (title, summary, body), themes, countries.

    Candidates are the first `RELATED_CANDIDATES` items, by tier then recency, that share a title or
    summary term or one of the item's keywords (its most frequent terms, body included). They are
    then scored: a shared title/summary term counts 3, a shared keyword up to 2 — less the more
    candidates have it, since a word common to most candidates tells little (an estimate of its
    rarity that needs no corpus statistics) —, a shared theme 2, a shared country 1. At most six
    queries, whatever the size of the index: the entry, up to three tiers, the candidates, and none
    more; None for an item that is not in the index.
    """
    item_type, object_id = identity
    entry = (
        SearchEntry.objects.filter(item_type=item_type, object_id=object_id)
        .only("id", "head_terms", "keywords", "country_ids", "theme_ids")
        .first()
    )
    if entry is None:
        return None
    own_terms = set(entry.head_terms.split())
    own_keywords = entry.keywords.split()
    # The query's terms (each one more posting list to merge: bounded): the title/summary terms
    # the item also uses most, then its other keywords, then its other title/summary terms.
    terms = list(
        dict.fromkeys(
            [term for term in own_keywords if term in own_terms]
            + own_keywords
            + entry.head_terms.split()
        )
    )[:RELATED_QUERY_TERMS]
    if terms:
        # Items whose title shares a word come first (tier 0), then their summary (tier 1).
        positive = Any(tuple(Token(term) for term in terms)) if len(terms) > 1 else Token(terms[0])
        facets = None
    else:
        tokens = [Token(f"_c{pk}") for pk in entry.countries]
        tokens += [Token(f"_t{pk}") for pk in entry.themes]
        if not tokens:
            return []
        positive, facets = None, Any(tuple(tokens)) if len(tokens) > 1 else tokens[0]
    criteria = Criteria(positive=positive, negative=None, facets=facets, max_key=_now_key())
    matches = get_search_backend().run(criteria, limit=RELATED_CANDIDATES, count=False)
    candidate_keys = [key for key, _tier in matches.ranked if key != entry.pk]
    if not candidate_keys:
        return []
    own_keywords = set(own_keywords)
    own_countries, own_themes = set(entry.countries), set(entry.themes)
    rows = list(
        SearchEntry.objects.filter(pk__in=candidate_keys).values_list(
            "id", "item_type", "object_id", "head_terms", "keywords", "country_ids", "theme_ids"
        )
    )
    shared_keywords = {row[0]: own_keywords.intersection(row[4].split()) for row in rows}
    # How many candidates share each keyword: a keyword most of them have weighs little.
    spread = Counter(term for shared in shared_keywords.values() for term in shared)
    pool = len(rows)
    scored = []
    for key, row_type, row_id, head_terms_text, _keywords, country_ids, theme_ids in rows:
        shared_terms = len(own_terms.intersection(head_terms_text.split()))
        text_score = sum(2 * (1 - (spread[term] - 1) / pool) for term in shared_keywords[key])
        shared_countries = len(own_countries.intersection(int(pk) for pk in country_ids.split()))
        shared_themes = len(own_themes.intersection(int(pk) for pk in theme_ids.split()))
        score = 3 * shared_terms + text_score + 2 * shared_themes + shared_countries
        scored.append((-score, -key, row_type, row_id))
    scored.sort()
    return [(row_type, row_id) for _score, _key, row_type, row_id in scored[:limit]]


def _now_key() -> int:
    return key_for(timezone.now())


def related_stored(*, identity: Identity) -> list[Identity] | None:
    """The stored list (best first), or None if the item has none yet."""
    item_type, object_id = identity
    # In SQL, as the entries below: on every first view of an item page, compiling the queryset
    # cost more CPU than running it.
    with connections[router.db_for_read(RelatedItems)].cursor() as cursor:
        cursor.execute(
            f"SELECT related FROM {RelatedItems._meta.db_table} "  # noqa: S608 (our table name)
            "WHERE item_type = %s AND object_id = %s",
            [item_type, object_id],
        )
        row = cursor.fetchone()
    return None if row is None else decode(row[0])


def related_entries(*, identity: Identity, limit: int) -> list[SearchEntry]:
    """The first `limit` related items that are in the index now, as entries (pages' read)."""
    identities = related_stored(identity=identity)
    if identities is None:
        identities = related_compute(identity=identity)
    if not identities:
        return []
    by_type: dict[str, list[int]] = {}
    for item_type, object_id in identities:
        by_type.setdefault(item_type, []).append(object_id)
    conditions, params = [], [_now_key()]
    for item_type, object_ids in by_type.items():
        conditions.append(
            f"(item_type = %s AND object_id IN ({', '.join(['%s'] * len(object_ids))}))"
        )
        params += [item_type, *object_ids]
    # Only what the block shows (an entry's text and vocabulary are its widest columns).
    # Withdrawn or deleted items are no longer entries; scheduled ones have a key in the future.
    sql = (
        f"SELECT {', '.join(RELATED_COLUMNS)} FROM {SearchEntry._meta.db_table} "  # noqa: S608
        f"WHERE id <= %s AND ({' OR '.join(conditions)})"
    )
    found = {
        (entry.item_type, entry.object_id): entry for entry in SearchEntry.objects.raw(sql, params)
    }
    return [found[identity] for identity in identities if identity in found][:limit]


def related_store(*, identity: Identity, at: datetime | None = None) -> list[Identity]:
    """Compute an item's related items and store them (nothing stored for an item not indexed)."""
    identities = related_compute(identity=identity)
    item_type, object_id = identity
    if identities is None:  # not in the index (any more)
        related_forget(identity=identity)
        return []
    RelatedItems.objects.update_or_create(
        item_type=item_type,
        object_id=object_id,
        defaults={"related": encode(identities), "computed_at": at or timezone.now()},
    )
    return identities


def related_refresh(*, identity: Identity, neighbours: bool = True) -> int:
    """Store an item's related items and, if `neighbours`, theirs too; return how many were stored.

    Refreshing the neighbours is what lets a new item appear on the pages of the items it is close
    to: they are the items most likely to count it among theirs. Bounded: 1 + RELATED_STORED.
    """
    identities = related_store(identity=identity)
    done = 1
    if neighbours:
        for neighbour in identities:
            related_store(identity=neighbour)
            done += 1
    return done


def related_forget(*, identity: Identity) -> None:
    """Drop an item's stored list (the item left the index)."""
    item_type, object_id = identity
    RelatedItems.objects.filter(item_type=item_type, object_id=object_id).delete()


def related_schedule(*, identity: Identity) -> None:
    """Refresh the item's and its neighbours' lists in the worker, once the transaction commits."""
    from .tasks import related_refresh_task

    item_type, object_id = identity
    transaction.on_commit(lambda: related_refresh_task.enqueue(item_type, object_id))


def related_pending(*, older_than: datetime | None = None) -> list[Identity]:
    """Indexed items with no stored list, then (if `older_than`) those computed before that time,
    oldest first: what `manage.py search_related` works through."""
    entries = SearchEntry.objects.values_list("item_type", "object_id")
    have = set(RelatedItems.objects.values_list("item_type", "object_id"))
    pending = [identity for identity in entries.order_by("-id") if identity not in have]
    if older_than is not None:
        pending += list(
            RelatedItems.objects.filter(computed_at__lt=older_than)
            .order_by("computed_at")
            .values_list("item_type", "object_id")
        )
    return pending


BACKFILL_BATCH = 200


def _backfill_batch(identities: list[Identity], at: datetime) -> int:
    for identity in identities:
        related_store(identity=identity, at=at)
    return len(identities)


def related_backfill(
    identities: list[Identity],
    *,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
) -> int:
    """Store the related items of each of `identities` (neighbours not included).

    With `workers` > 0, batches run in that many forked processes (most of the cost is the
    database's own work on the candidate query, so more workers than cores buys nothing).
    """
    at = timezone.now()
    batches = [
        identities[start : start + BACKFILL_BATCH]
        for start in range(0, len(identities), BACKFILL_BATCH)
    ]
    if workers <= 0 or len(batches) < 2 or connection.in_atomic_block:
        results = (_backfill_batch(batch, at) for batch in batches)
        pool = None
    else:
        from .services import _worker_init

        connections.close_all()  # forked children must not share the parent's connections
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init)
        results = pool.imap_unordered(partial(_backfill_batch, at=at), batches)
    done = 0
    try:
        for size in results:
            done += size
            if progress is not None:
                progress(size)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return done
