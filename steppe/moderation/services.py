"""Every moderation write: editors' decisions, readers' reports and the audit log."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steppe.core.models import PublicationStatus
from steppe.core.text import clean_text
from steppe.library import services as library
from steppe.library.models import Document
from steppe.publishing import services as publishing
from steppe.publishing.models import Article, ArticleRevision

from . import notifications
from .models import Appeal, AuditEvent, RefusalReason, Report, ReportCase

if TYPE_CHECKING:
    from steppe.accounts.models import User


class ModerationError(Exception):
    """A moderation step that is not allowed in the current state."""


def audit_record(
    *,
    action: str,
    obj: models.Model,
    actor: "User | None" = None,
    reason: str = "",
    status_before: str = "",
    status_after: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_name=actor.public_name if actor is not None else "",
        reason=reason,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        status_before=status_before,
        status_after=status_after,
        details=details or {},
    )


def _waited_seconds(since) -> int | None:
    return int((timezone.now() - since).total_seconds()) if since else None


def _reason_compose(reasons: Sequence[RefusalReason], text: str) -> str:
    parts = [reason.text.strip() for reason in reasons] + [clean_text(text).strip()]
    return "\n\n".join(part for part in parts if part)


# --- Review queue --------------------------------------------------------------------------


@transaction.atomic
def submission_publish(*, article: Article, by: "User") -> Article:
    """Publish a submitted article and log the decision."""
    if article.status != PublicationStatus.SUBMITTED:
        raise ModerationError(_("Only a submitted article can be published from the queue."))
    waited = _waited_seconds(article.submitted_at)
    publishing.article_publish(article=article, by=by)
    audit_record(
        action=AuditEvent.Action.PUBLISHED,
        obj=article,
        actor=by,
        status_before=PublicationStatus.SUBMITTED,
        status_after=PublicationStatus.PUBLISHED,
        details={"waited_seconds": waited},
    )
    return article


@transaction.atomic
def submission_refuse(
    *, article: Article, by: "User", reasons: Sequence[RefusalReason] = (), text: str = ""
) -> Article:
    """Refuse a submitted article with ready-made reasons and/or free text, and log it."""
    reason = _reason_compose(reasons, text)
    waited = _waited_seconds(article.submitted_at)
    try:
        publishing.article_refuse(article=article, by=by, reason=reason)
    except publishing.PublishingError as error:
        raise ModerationError(str(error)) from error
    audit_record(
        action=AuditEvent.Action.REFUSED,
        obj=article,
        actor=by,
        reason=reason,
        status_before=PublicationStatus.SUBMITTED,
        status_after=PublicationStatus.REFUSED,
        details={"waited_seconds": waited, "reasons": [r.title for r in reasons]},
    )
    return article


@transaction.atomic
def edit_apply(*, revision: ArticleRevision, by: "User") -> Article:
    """Put a proposed edit online and log it."""
    try:
        article = publishing.revision_apply(revision=revision, by=by)
    except publishing.PublishingError as error:
        raise ModerationError(str(error)) from error
    audit_record(
        action=AuditEvent.Action.EDIT_APPLIED,
        obj=article,
        actor=by,
        reason=_("Version %(number)s") % {"number": revision.number},
        status_before=article.status,
        status_after=article.status,
    )
    return article


@transaction.atomic
def edit_reject(
    *,
    revision: ArticleRevision,
    by: "User",
    reasons: Sequence[RefusalReason] = (),
    text: str = "",
) -> ArticleRevision:
    """Turn a proposed edit down with ready-made reasons and/or free text, and log it."""
    reason = _reason_compose(reasons, text)
    try:
        publishing.revision_reject(revision=revision, by=by, reason=reason)
    except publishing.PublishingError as error:
        raise ModerationError(str(error)) from error
    article = revision.article
    audit_record(
        action=AuditEvent.Action.EDIT_REJECTED,
        obj=article,
        actor=by,
        reason=reason,
        status_before=article.status,
        status_after=article.status,
    )
    return revision


# --- Readers' reports ----------------------------------------------------------------------


def _item_author(obj: models.Model):
    """The account an item belongs to (an article's author, a document's contributor, a profile)."""
    if isinstance(obj, get_user_model()):
        return obj
    if isinstance(obj, Article):
        return obj.author
    return getattr(obj, "contributor", None)


@transaction.atomic
def report_submit(
    *, obj: models.Model, category: str, explanation: str, reporter_email: str = ""
) -> Report:
    """Record a reader's report, grouped with the other pending reports about the same item."""
    explanation = clean_text(explanation).strip()
    if not explanation:
        raise ModerationError(_("Explain what is wrong with this page."))
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    now = timezone.now()
    case = (
        ReportCase.objects.select_for_update()
        .filter(
            content_type=content_type,
            object_id=obj.pk,
            status__in=[ReportCase.Status.OPEN, ReportCase.Status.HIDDEN],
        )
        .first()
    )
    if case is None:
        case = ReportCase.objects.create(
            content_type=content_type,
            object_id=obj.pk,
            object_repr=str(obj)[:300],
            object_url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
        )
    ReportCase.objects.filter(pk=case.pk).update(
        report_count=models.F("report_count") + 1, last_reported_at=now
    )
    report = Report.objects.create(
        case=case, category=category, explanation=explanation, reporter_email=reporter_email
    )
    audit_record(
        action=AuditEvent.Action.REPORTED,
        obj=obj,
        reason=f"{report.get_category_display()}: {explanation[:500]}",
        status_before=getattr(obj, "status", ""),
        status_after=getattr(obj, "status", ""),
    )
    if reporter_email:
        notifications.report_acknowledge(case=case, email=reporter_email)
    return report


class Decision(models.TextChoices):
    DISMISS = "dismiss", _("Dismiss the reports")
    HIDE = "hide", _("Hide pending review")
    WITHDRAW = "withdraw", _("Withdraw")
    REINSTATE = "reinstate", _("Reinstate")


ALLOWED_DECISIONS = {
    ReportCase.Status.OPEN: {Decision.DISMISS, Decision.HIDE, Decision.WITHDRAW},
    ReportCase.Status.HIDDEN: {Decision.REINSTATE, Decision.WITHDRAW},
}

CASE_STATUS_AFTER = {
    Decision.DISMISS: ReportCase.Status.DISMISSED,
    Decision.HIDE: ReportCase.Status.HIDDEN,
    Decision.WITHDRAW: ReportCase.Status.WITHDRAWN,
    Decision.REINSTATE: ReportCase.Status.REINSTATED,
}

AUDIT_ACTION = {
    Decision.DISMISS: AuditEvent.Action.REPORT_DISMISSED,
    Decision.HIDE: AuditEvent.Action.HIDDEN,
    Decision.WITHDRAW: AuditEvent.Action.WITHDRAWN,
    Decision.REINSTATE: AuditEvent.Action.REINSTATED,
}


def case_target(case: ReportCase) -> models.Model | None:
    """The reported item, or None when it no longer exists."""
    model = case.content_type.model_class()
    return model._default_manager.filter(pk=case.object_id).first() if model else None


def case_allowed_decisions(case: ReportCase, target: models.Model | None) -> list[str]:
    """What an editor may decide on this case now (profiles can only be dismissed, for now)."""
    allowed = ALLOWED_DECISIONS.get(case.status, set())
    if not _is_removable(target):
        allowed = allowed & {Decision.DISMISS}
    return [value for value in Decision.values if value in allowed]


def _is_removable(target: models.Model | None) -> bool:
    """Articles and library documents can be taken offline; profiles wait for account actions."""
    return isinstance(target, (Article, Document))


def _take_offline(item: models.Model, by: "User") -> None:
    if isinstance(item, Article):
        publishing.article_withdraw(article=item, by=by)
    else:
        library.document_withdraw(document=item, by=by)


def _put_back_online(item: models.Model, by: "User") -> None:
    # Keep the original publication date: the item comes back where it was in the listings.
    if isinstance(item, Article):
        publishing.article_publish(article=item, by=by, at=item.published_at)
    else:
        library.document_publish(document=item, by=by, at=item.published_at)


def _apply_to_item(item: models.Model, decision: str, by: "User") -> None:
    if decision in {Decision.HIDE, Decision.WITHDRAW}:
        if item.status in {PublicationStatus.PUBLISHED, PublicationStatus.SUBMITTED}:
            _take_offline(item, by)
    elif decision == Decision.REINSTATE:
        if item.status != PublicationStatus.WITHDRAWN or item.published_at is None:
            raise ModerationError(_("This item was changed since it was hidden: review it."))
        _put_back_online(item, by)


@transaction.atomic
def case_decide(
    *, case: ReportCase, by: "User", decision: str, ground: str, statement: str
) -> ReportCase:
    """Decide on the reports about an item; the author and the reporters get the statement of reasons."""
    case = ReportCase.objects.select_for_update().get(pk=case.pk)
    statement = clean_text(statement).strip()
    if not statement:
        raise ModerationError(
            _("Write the statement of reasons: the author and the reporters read it.")
        )
    target = case_target(case)
    if decision not in case_allowed_decisions(case, target):
        raise ModerationError(_("This decision is not possible on this case now."))
    before = getattr(target, "status", "")
    first_decision = case.decided_at is None
    if _is_removable(target):
        _apply_to_item(target, decision, by)
    case.status = CASE_STATUS_AFTER[decision]
    case.ground = ground
    case.statement = statement
    case.decided_by = by
    case.decided_at = timezone.now()
    case.save(update_fields=["status", "ground", "statement", "decided_by", "decided_at"])
    if target is not None:
        audit_record(
            action=AUDIT_ACTION[decision],
            obj=target,
            actor=by,
            reason=statement,
            status_before=before,
            status_after=getattr(target, "status", ""),
            details={
                "case": case.pk,
                "ground": ground,
                "waited_seconds": _waited_seconds(case.opened_at) if first_decision else None,
            },
        )
    notifications.statement_send(
        case=case,
        author_email=_author_email(target),
        reporter_emails=list(
            case.reports.exclude(reporter_email="").values_list("reporter_email", flat=True)
        ),
    )
    return case


def _author_email(target: models.Model | None) -> str:
    author = _item_author(target) if target is not None else None
    return author.email if author is not None and author.is_active else ""


# --- Appeals -------------------------------------------------------------------------------

APPEALABLE = {
    ReportCase.Status.DISMISSED,
    ReportCase.Status.HIDDEN,
    ReportCase.Status.WITHDRAWN,
    ReportCase.Status.REINSTATED,
}


@transaction.atomic
def appeal_submit(*, case: ReportCase, role: str, email: str, explanation: str) -> Appeal:
    """Record an appeal against the case's current decision (once per person and case)."""
    case = ReportCase.objects.select_for_update().get(pk=case.pk)
    explanation = clean_text(explanation).strip()
    if not explanation:
        raise ModerationError(_("Explain why the decision should be changed."))
    if case.status not in APPEALABLE:
        raise ModerationError(_("There is no decision to appeal yet."))
    if Appeal.objects.filter(case=case, email__iexact=email).exists():
        raise ModerationError(_("You have already appealed this decision."))
    appeal = Appeal.objects.create(
        case=case,
        role=role,
        email=email,
        explanation=explanation,
        contested_status=case.status,
        contested_by=case.decided_by,
    )
    target = case_target(case)
    if target is not None:
        audit_record(
            action=AuditEvent.Action.APPEALED,
            obj=target,
            reason=explanation[:500],
            status_before=getattr(target, "status", ""),
            status_after=getattr(target, "status", ""),
            details={"case": case.pk, "appeal": appeal.pk, "role": role},
        )
    notifications.appeal_acknowledge(appeal=appeal)
    return appeal


def appeal_can_decide(appeal: Appeal, user: "User") -> bool:
    """An appeal is decided by another editor than the one whose decision it contests."""
    return appeal.outcome == Appeal.Outcome.PENDING and appeal.contested_by_id != user.pk


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by: "User", outcome: str, statement: str) -> Appeal:
    """Uphold or reverse the contested decision; the appellant and the author are told why."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    case = ReportCase.objects.select_for_update().get(pk=appeal.case_id)
    statement = clean_text(statement).strip()
    if appeal.outcome != Appeal.Outcome.PENDING:
        raise ModerationError(_("This appeal was already decided."))
    if appeal.contested_by_id == by.pk:
        raise ModerationError(_("Another editor must decide the appeal of your own decision."))
    if not statement:
        raise ModerationError(_("Write the statement of reasons: the appellant reads it."))
    if outcome not in {Appeal.Outcome.UPHELD, Appeal.Outcome.GRANTED}:
        raise ModerationError(_("Choose whether the decision is upheld or reversed."))
    target = case_target(case)
    before = getattr(target, "status", "")
    if outcome == Appeal.Outcome.GRANTED:
        if case.status != appeal.contested_status:
            raise ModerationError(_("The decision changed since this appeal was sent."))
        if not _is_removable(target):
            raise ModerationError(_("Decisions on profiles cannot be reversed yet."))
        if case.status in {ReportCase.Status.HIDDEN, ReportCase.Status.WITHDRAWN}:
            _apply_to_item(target, Decision.REINSTATE, by)
            case.status = ReportCase.Status.REINSTATED
        else:
            _apply_to_item(target, Decision.WITHDRAW, by)
            case.status = ReportCase.Status.WITHDRAWN
        case.decided_by = by
        case.decided_at = timezone.now()
        case.statement = statement
        case.save(update_fields=["status", "decided_by", "decided_at", "statement"])
    appeal.case = case
    appeal.outcome = outcome
    appeal.decided_by = by
    appeal.decided_at = timezone.now()
    appeal.statement = statement
    appeal.save(update_fields=["outcome", "decided_by", "decided_at", "statement"])
    if target is not None:
        granted = outcome == Appeal.Outcome.GRANTED
        audit_record(
            action=AuditEvent.Action.APPEAL_GRANTED if granted else AuditEvent.Action.APPEAL_UPHELD,
            obj=target,
            actor=by,
            reason=statement,
            status_before=before,
            status_after=getattr(target, "status", ""),
            details={"case": case.pk, "appeal": appeal.pk},
        )
    author_email = _author_email(target)
    recipients = [appeal.email]
    if author_email and author_email.lower() != appeal.email.lower():
        recipients.append(author_email)
    notifications.appeal_outcome_send(appeal=appeal, to=recipients)
    return appeal
