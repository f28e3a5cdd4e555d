"""Extract an item after it is published or changed (signals are sent after commit), and announce
changes of the knowledge rows (`knowledge_changed`, once per transaction)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from steppe.library.signals import document_changed, document_published
from steppe.publishing.signals import article_changed, article_published

from . import conf
from .models import Entity, EntityAlias, Event, ItemCountry, Mention
from .signals import knowledge_changed_schedule


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


def _rows_changed(sender, **kwargs) -> None:
    knowledge_changed_schedule()


# Every way these rows change — an extraction, the editors' review pages, the admin — passes
# through the ORM (bulk_create aside: an extraction also deletes and saves rows in the same
# transaction, which is enough to announce it).
for _model in (Entity, EntityAlias, Event, Mention, ItemCountry):
    post_save.connect(
        _rows_changed, sender=_model, dispatch_uid=f"knowledge.{_model.__name__}.save"
    )
    post_delete.connect(
        _rows_changed, sender=_model, dispatch_uid=f"knowledge.{_model.__name__}.delete"
    )
