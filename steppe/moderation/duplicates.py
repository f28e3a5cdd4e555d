"""Near-duplicate detection: word shingles, MinHash signatures (datasketch) and LSH bands.

Each published item and each submission gets a `Fingerprint`: the MinHash signature of its word
4-shingles and `BANDS` band keys. Candidates are the fingerprints sharing a band key (one indexed
query, whatever the size of the corpus); their similarity is estimated from the signatures, and a
submission closer than `conf.near_duplicate_threshold()` to a published item or to another of its
author's pieces is flagged (`NearDuplicate`) for the review queue.

With 32 bands of 4 rows, two texts with a Jaccard similarity of 0.6 share a band with a
probability above 0.98, and texts below 0.2 rarely do.
"""

import hashlib
import re
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q

from . import conf
from .models import Fingerprint, FingerprintBand, NearDuplicate

if TYPE_CHECKING:
    import numpy as np

    from steppe.accounts.models import User

SHINGLE_WORDS = 4
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SEED = 20260101  # fixed: stored signatures must stay comparable
WORD_RE = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of `size`-word sequences of the text, case-folded (a short text is one shingle)."""
    words = WORD_RE.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> "np.ndarray":
    """The MinHash signature of the text's shingles."""
    # Imported here: datasketch loads scipy (~80 MB with numpy) in every process that imports
    # this module, and the web workers import it at start (moderation.receivers).
    import numpy as np
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype(np.uint64)


def band_keys(values: "np.ndarray") -> list[int]:
    """One signed 64-bit key per band (fits a BigIntegerField)."""
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def similarity(a: bytes | memoryview, b: bytes | memoryview) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    import numpy as np

    left = np.frombuffer(bytes(a), dtype=np.uint64)
    right = np.frombuffer(bytes(b), dtype=np.uint64)
    return float(np.mean(left == right))


def item_text(obj: models.Model) -> str:
    """What is compared: the title, lead and body of an article (or of a proposed edit's text);
    a document's record."""
    data = getattr(obj, "data", None)  # an ArticleRevision: its text is in `data`
    source = data if isinstance(data, dict) else None
    names = ("title", "lead", "body_source", "subtitle", "presentation_source")
    if source is not None:
        parts = [str(source.get(name) or "") for name in names]
    else:
        parts = [getattr(obj, name, "") for name in names]
    return "\n".join(part for part in parts if part)


def _author_of(obj: models.Model) -> "User | None":
    if hasattr(obj, "article") and isinstance(getattr(obj, "data", None), dict):
        return obj.article.author  # a proposed edit: the article's author
    return getattr(obj, "author", None) or getattr(obj, "contributor", None)


@transaction.atomic
def fingerprint_store(*, obj: models.Model, is_published: bool) -> Fingerprint | None:
    """Compute and store the item's fingerprint (None when it has no words)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    text = item_text(obj)
    if not shingles(text):
        Fingerprint.objects.filter(content_type=content_type, object_id=obj.pk).delete()
        return None
    values = signature(text)
    author = _author_of(obj)
    fingerprint, _created = Fingerprint.objects.update_or_create(
        content_type=content_type,
        object_id=obj.pk,
        defaults={
            "object_repr": str(obj)[:300],
            "object_url": _url_of(obj),
            "author_id": author.pk if author is not None else None,
            "is_published": is_published,
            "signature": values.tobytes(),
        },
    )
    fingerprint.bands.all().delete()
    FingerprintBand.objects.bulk_create(
        FingerprintBand(fingerprint=fingerprint, key=key) for key in band_keys(values)
    )
    return fingerprint


def _url_of(obj: models.Model) -> str:
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    article = getattr(obj, "article", None)  # a proposed edit
    return article.get_absolute_url() if article is not None else ""


def fingerprint_publication_set(*, obj: models.Model, is_published: bool) -> None:
    """Mark the item's fingerprint as (no longer) part of the published corpus."""
    Fingerprint.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
    ).update(is_published=is_published)


def near_duplicates_find(
    *, fingerprint: Fingerprint, exclude: models.Model | None = None
) -> list[tuple[Fingerprint, float]]:
    """Published items and the author's own pieces whose text is close to this one, closest first
    (`exclude`: an item not to compare with, e.g. the article a proposed edit changes)."""
    import numpy as np

    keys = band_keys(np.frombuffer(bytes(fingerprint.signature), dtype=np.uint64))
    corpus = Q(is_published=True)
    if fingerprint.author_id is not None:
        corpus |= Q(author_id=fingerprint.author_id)
    candidate_ids = (
        FingerprintBand.objects.filter(key__in=keys)
        .exclude(fingerprint_id=fingerprint.pk)
        .values("fingerprint_id")
    )
    from steppe.publishing.models import ArticleRevision

    # Proposed edits are compared, never compared with: an applied one is its article's text.
    candidates = Fingerprint.objects.filter(corpus, pk__in=candidate_ids).exclude(
        content_type=ContentType.objects.get_for_model(ArticleRevision)
    )
    if exclude is not None:
        candidates = candidates.exclude(
            content_type=ContentType.objects.get_for_model(exclude, for_concrete_model=False),
            object_id=exclude.pk,
        )
    candidates = candidates.only(
        "id", "signature", "object_repr", "object_url", "content_type_id", "object_id"
    )
    threshold = conf.near_duplicate_threshold()
    found = [(other, similarity(fingerprint.signature, other.signature)) for other in candidates]
    return sorted(
        [(other, value) for other, value in found if value >= threshold],
        key=lambda pair: -pair[1],
    )


@transaction.atomic
def submission_duplicates_flag(
    *, obj: models.Model, exclude: models.Model | None = None
) -> list[NearDuplicate]:
    """Fingerprint a submission (or a proposed edit: `exclude` its article) and flag its
    near-duplicates, replacing earlier flags."""
    fingerprint = fingerprint_store(obj=obj, is_published=False)
    if fingerprint is None:
        return []
    fingerprint.near_duplicates.all().delete()
    return NearDuplicate.objects.bulk_create(
        NearDuplicate(fingerprint=fingerprint, match=other, similarity=value)
        for other, value in near_duplicates_find(fingerprint=fingerprint, exclude=exclude)[:10]
    )


def near_duplicates_for(objects: list[models.Model]) -> dict[int, list[NearDuplicate]]:
    """The flags of these items (of one model), by item id, in one query."""
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(objects[0], for_concrete_model=False)
    flags: dict[int, list[NearDuplicate]] = {}
    rows = (
        NearDuplicate.objects.filter(
            fingerprint__content_type=content_type,
            fingerprint__object_id__in=[obj.pk for obj in objects],
        )
        .select_related("fingerprint", "match")
        .defer("fingerprint__signature", "match__signature")
        .order_by("-similarity")
    )
    for row in rows:
        flags.setdefault(row.fingerprint.object_id, []).append(row)
    return flags
