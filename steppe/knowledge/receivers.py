"""Extract an item after it is published or changed (signals are sent after commit)."""

from django.db import transaction
from django.dispatch import receiver

from steppe.library.signals import document_changed, document_published
from steppe.publishing.signals import article_changed, article_published

from . import conf


def _schedule(item_type: str, item_id: int) -> None:
    if not conf.auto_extract():
        return
    from .tasks import item_extract_task

    transaction.on_commit(lambda: item_extract_task.enqueue(item_type, item_id))


@receiver(article_published, dispatch_uid="knowledge.article_published")
@receiver(article_changed, dispatch_uid="knowledge.article_changed")
def article_extract(sender, article, **kwargs) -> None:
    _schedule("article", article.pk)


@receiver(document_published, dispatch_uid="knowledge.document_published")
@receiver(document_changed, dispatch_uid="knowledge.document_changed")
def document_extract(sender, document, **kwargs) -> None:
    _schedule("document", document.pk)
