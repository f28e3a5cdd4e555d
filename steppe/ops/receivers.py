"""Start a new page-cache generation when published content or the taxonomy changes (pagecache.py)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from steppe.knowledge import signals as knowledge_signals
from steppe.library import signals as library_signals
from steppe.publishing import signals as publishing_signals
from steppe.syndication.cache import syndication_cache_invalidate
from steppe.taxonomy.models import Country, Region, Tag, Theme

from .pagecache import content_generation_bump

CONTENT_SIGNALS = (
    (publishing_signals, ("article_published", "article_changed", "article_unpublished")),
    (library_signals, ("document_published", "document_changed", "document_unpublished")),
    # Knowledge panels, actor pages and timelines (fragments and pages cached by generation).
    (knowledge_signals, ("knowledge_changed",)),
)


def content_changed(sender, **kwargs) -> None:
    content_generation_bump()


def taxonomy_changed(sender, **kwargs) -> None:
    # Names of countries and themes show on every page and in feeds (categories), which the
    # syndication app refreshes only on publication signals.
    content_generation_bump()
    syndication_cache_invalidate()


for module, names in CONTENT_SIGNALS:
    for name in names:
        getattr(module, name).connect(content_changed, dispatch_uid=f"ops.pagecache.{name}")

for model in (Country, Region, Theme, Tag):
    post_save.connect(
        taxonomy_changed, sender=model, dispatch_uid=f"ops.pagecache.{model.__name__}.save"
    )
    post_delete.connect(
        taxonomy_changed, sender=model, dispatch_uid=f"ops.pagecache.{model.__name__}.delete"
    )


def author_changed(sender, instance, update_fields=None, **kwargs) -> None:
    # Author names and profiles show on article pages and listings; signing in only touches
    # last_login, which no page shows.
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    content_generation_bump()


post_save.connect(
    author_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="ops.pagecache.user"
)
