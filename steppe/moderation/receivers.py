"""Log status changes made outside the moderation services (authors, trusted contributors, admin).

The publishing and library signals do not say who acted, so these events have no actor. A change the
moderation services already logged is not logged twice: the log is up to date when its last event for
the item is newer than the item's last change and ends in the item's current status.
"""

from django.dispatch import receiver

from steppe.library import signals as library_signals
from steppe.library.signals import document_changed, document_published
from steppe.publishing.signals import article_changed, article_published, article_unpublished

from .models import AuditEvent
from .services import audit_record


def _record_unless_logged(obj, action: str) -> None:
    status = getattr(obj, "status", "")
    last = AuditEvent.objects.for_object(obj).order_by("-created_at", "-id").first()
    if (
        last is not None
        and last.status_after == status
        and (obj.updated_at is None or last.created_at >= obj.updated_at)
    ):
        return
    audit_record(
        action=action,
        obj=obj,
        status_before=last.status_after if last is not None else "",
        status_after=status,
    )


@receiver(article_published, dispatch_uid="moderation.audit_article_published")
def audit_article_published(sender, article, **kwargs):
    _record_unless_logged(article, AuditEvent.Action.PUBLISHED)


@receiver(article_unpublished, dispatch_uid="moderation.audit_article_unpublished")
def audit_article_unpublished(sender, article, **kwargs):
    _record_unless_logged(article, AuditEvent.Action.WITHDRAWN)


@receiver(article_changed, dispatch_uid="moderation.audit_article_changed")
def audit_article_changed(sender, article, **kwargs):
    _record_unless_logged(article, AuditEvent.Action.CHANGED)


@receiver(document_published, dispatch_uid="moderation.audit_document_published")
def audit_document_published(sender, document, **kwargs):
    _record_unless_logged(document, AuditEvent.Action.PUBLISHED)


@receiver(document_changed, dispatch_uid="moderation.audit_document_changed")
def audit_document_changed(sender, document, **kwargs):
    _record_unless_logged(document, AuditEvent.Action.CHANGED)


# Sent since the library gained document_withdraw; connected only where it exists.
_document_unpublished = getattr(library_signals, "document_unpublished", None)
if _document_unpublished is not None:

    @receiver(_document_unpublished, dispatch_uid="moderation.audit_document_unpublished")
    def audit_document_unpublished(sender, document, **kwargs):
        _record_unless_logged(document, AuditEvent.Action.WITHDRAWN)
