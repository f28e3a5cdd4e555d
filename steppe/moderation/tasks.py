"""Background work of moderation (Django's task API, queue "default").

Fingerprints need numpy and datasketch (which loads scipy): ~60 MB that a web worker would keep for
the rest of its life after the first submission or publication it handled. They are computed by the
worker instead; the review queue shows a submission's near-duplicate flags once the task has run
(seconds later; at once with the immediate backend of tests and `make run`).
"""

from django_tasks import task


def _item(kind: str, object_id: int):
    from steppe.library.models import Document
    from steppe.publishing.models import Article

    model = {"article": Article, "document": Document}[kind]
    return model.objects.filter(pk=object_id).first()


@task()
def fingerprint_task(kind: str, object_id: int) -> str:
    """Store the fingerprint of a published item ("article" or "document"); "gone" if deleted."""
    from steppe.core.models import PublicationStatus

    from . import duplicates

    obj = _item(kind, object_id)
    if obj is None:
        return "gone"
    # Read now, not when queued: a withdrawal in between leaves it out of the published corpus.
    duplicates.fingerprint_store(obj=obj, is_published=obj.status == PublicationStatus.PUBLISHED)
    return "stored"


@task()
def near_duplicates_task(kind: str, object_id: int) -> int:
    """Fingerprint a submission, flag its near-duplicates and log them; return how many."""
    from .services import near_duplicates_record

    obj = _item(kind, object_id)
    if obj is None:
        return 0
    return near_duplicates_record(obj)


@task()
def edit_near_duplicates_task(article_id: int) -> int:
    """Flag the near-duplicates of an article's pending proposed edit (0 if none is pending)."""
    from steppe.publishing.models import ArticleRevision

    from .services import near_duplicates_record

    revision = (
        ArticleRevision.objects.filter(article_id=article_id, state=ArticleRevision.State.PENDING)
        .select_related("article__author")
        .first()
    )
    if revision is None:
        return 0
    return near_duplicates_record(revision)
