"""React to the publishing and library signals: the audit log, trust, near-duplicates, limits.

Status changes made outside the moderation services (authors, trusted contributors, the admin,
suspensions) are logged with the actor the signal carries (`by`, None for the system). A change the moderation services already logged is not logged twice: the log is up to date
when its last event for the item is newer than the item's last change and ends in the item's
current status.
"""

from django.db import transaction
from django.dispatch import receiver

from steppe.library.signals import (
    document_changed,
    document_published,
    document_submitted,
    document_submitting,
    document_unpublished,
)
from steppe.publishing.signals import (
    article_changed,
    article_published,
    article_submitted,
    article_submitting,
    article_unpublished,
)

from . import duplicates, services
from .models import AuditEvent
from .services import audit_record


def _record_unless_logged(obj, action: str, by=None) -> None:
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
        actor=by,
        status_before=last.status_after if last is not None else "",
        status_after=status,
    )


@receiver(article_published, dispatch_uid="moderation.audit_article_published")
def audit_article_published(sender, article, by=None, **kwargs):
    _record_unless_logged(article, AuditEvent.Action.PUBLISHED, by)
    _fingerprint_schedule(article)
    # An editor accepted a piece (not the author's own trusted publication): maybe earned trust.
    if by is not None and by.pk != article.author_id:
        with transaction.atomic():
            services.trust_promote_if_eligible(account=article.author)


@receiver(article_unpublished, dispatch_uid="moderation.audit_article_unpublished")
def audit_article_unpublished(sender, article, by=None, **kwargs):
    _record_unless_logged(article, AuditEvent.Action.WITHDRAWN, by)
    duplicates.fingerprint_publication_set(obj=article, is_published=False)


@receiver(article_changed, dispatch_uid="moderation.audit_article_changed")
def audit_article_changed(sender, article, by=None, **kwargs):
    _record_unless_logged(article, AuditEvent.Action.CHANGED, by)
    _fingerprint_schedule(article)


@receiver(article_submitted, dispatch_uid="moderation.article_submitted")
def article_submitted_check(sender, article, by=None, **kwargs):
    """Log the submission and flag near-duplicates for the review queue."""
    _record_unless_logged(article, AuditEvent.Action.SUBMITTED, by)
    _near_duplicates_schedule(article)


def _fingerprint_schedule(obj) -> None:
    from .tasks import fingerprint_task

    fingerprint_task.enqueue(obj._meta.model_name, obj.pk)


def _near_duplicates_schedule(obj) -> None:
    from .tasks import near_duplicates_task

    near_duplicates_task.enqueue(obj._meta.model_name, obj.pk)


@receiver(article_submitting, dispatch_uid="moderation.submission_allowed")
def submission_allowed(sender, article, by, kind, data=None, **kwargs):
    services.submission_allowed_check(article=article, by=by, kind=kind, data=data)


@receiver(article_submitting, dispatch_uid="moderation.edit_near_duplicates")
def edit_near_duplicates_schedule(sender, article, by, kind, **kwargs):
    """A proposed edit waits for the editors: compare its text too (an author could otherwise
    replace a published piece with a copy of someone else's), once the revision is committed."""
    if kind != "edit" or by.is_trusted:
        return  # a trusted author's edit is applied at once, as their submissions are published
    from .tasks import edit_near_duplicates_task

    transaction.on_commit(lambda: edit_near_duplicates_task.enqueue(article.pk))


@receiver(document_submitting, dispatch_uid="moderation.document_submission_allowed")
def document_submission_allowed(sender, document, by, **kwargs):
    services.document_submission_allowed_check(document=document, by=by)


@receiver(document_published, dispatch_uid="moderation.audit_document_published")
def audit_document_published(sender, document, by=None, **kwargs):
    _record_unless_logged(document, AuditEvent.Action.PUBLISHED, by)
    _fingerprint_schedule(document)
    if by is not None and document.contributor_id and by.pk != document.contributor_id:
        with transaction.atomic():
            services.trust_promote_if_eligible(account=document.contributor)


@receiver(document_changed, dispatch_uid="moderation.audit_document_changed")
def audit_document_changed(sender, document, by=None, **kwargs):
    _record_unless_logged(document, AuditEvent.Action.CHANGED, by)
    _fingerprint_schedule(document)


@receiver(document_unpublished, dispatch_uid="moderation.audit_document_unpublished")
def audit_document_unpublished(sender, document, by=None, **kwargs):
    _record_unless_logged(document, AuditEvent.Action.WITHDRAWN, by)
    duplicates.fingerprint_publication_set(obj=document, is_published=False)


@receiver(document_submitted, dispatch_uid="moderation.document_submitted")
def document_submitted_check(sender, document, by=None, **kwargs):
    """Log the submission and flag near-duplicates (of its record) for the review queue."""
    _record_unless_logged(document, AuditEvent.Action.SUBMITTED, by)
    _near_duplicates_schedule(document)
