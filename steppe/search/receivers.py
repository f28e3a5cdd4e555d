"""Keep the index in step with the publishing and library apps.

- `article_published`, `article_changed`, `article_unpublished`, `document_published`,
  `document_changed` (e.g. a new PDF version and its extracted text), `document_unpublished` (sent
  after commit): refresh the item (index it, or remove it).
- `post_save` of an article or document: if it is no longer published (withdrawn, refused, back to
  draft), remove it *now*, in the transaction that changed its status, so no search returns it
  once that transaction commits; if it is published, refresh it after commit. This also covers
  saves that send no signal (the admin).
- `post_delete`: remove it now.
- `post_save` of a user whose account kind changed: refresh their items (a facet).
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from steppe.core.models import PublicationStatus
from steppe.library.models import Document
from steppe.library.signals import document_changed, document_published, document_unpublished
from steppe.publishing.models import Article
from steppe.publishing.signals import article_changed, article_published, article_unpublished
from steppe.taxonomy.models import Country, Theme

from .selectors import taxonomy_invalidate
from .services import (
    identity_of,
    search_index_author_refresh,
    search_index_refresh,
    search_index_remove,
    search_index_schedule,
)


@receiver(article_published, dispatch_uid="search.article_published")
@receiver(article_changed, dispatch_uid="search.article_changed")
@receiver(article_unpublished, dispatch_uid="search.article_unpublished")
def index_article(sender, article: Article, **kwargs) -> None:
    search_index_refresh(identity=identity_of(article))


@receiver(document_published, dispatch_uid="search.document_published")
@receiver(document_changed, dispatch_uid="search.document_changed")
@receiver(document_unpublished, dispatch_uid="search.document_unpublished")
def index_document(sender, document: Document, **kwargs) -> None:
    search_index_refresh(identity=identity_of(document))


@receiver(post_save, sender=Article, dispatch_uid="search.article_saved")
@receiver(post_save, sender=Document, dispatch_uid="search.document_saved")
def item_saved(sender, instance: Article | Document, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata
        return
    if instance.status == PublicationStatus.PUBLISHED:
        search_index_schedule(identity=identity_of(instance))
    else:
        search_index_remove(identity=identity_of(instance))


@receiver(post_delete, sender=Article, dispatch_uid="search.article_deleted")
@receiver(post_delete, sender=Document, dispatch_uid="search.document_deleted")
def item_deleted(sender, instance: Article | Document, **kwargs) -> None:
    search_index_remove(identity=identity_of(instance))


@receiver(post_save, sender=get_user_model(), dispatch_uid="search.user_saved")
def user_saved(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and "kind" not in update_fields):
        return  # e.g. a login, which saves last_login only
    search_index_author_refresh(author_id=instance.pk, kind=instance.kind)


@receiver(post_save, sender=Country, dispatch_uid="search.country_saved")
@receiver(post_save, sender=Theme, dispatch_uid="search.theme_saved")
@receiver(post_delete, sender=Country, dispatch_uid="search.country_deleted")
@receiver(post_delete, sender=Theme, dispatch_uid="search.theme_deleted")
def taxonomy_changed(sender, **kwargs) -> None:
    taxonomy_invalidate()
