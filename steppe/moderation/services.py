"""Every moderation write: editors' decisions, readers' reports and the audit log."""

import re
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steppe.core.models import PublicationStatus
from steppe.core.text import clean_text
from steppe.library import services as library
from steppe.library.models import Document
from steppe.publishing import services as publishing
from steppe.publishing.models import Article, ArticleRevision

from . import conf, notifications
from .models import Appeal, AuditEvent, RefusalReason, Report, ReportCase, Sanction

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


def near_duplicates_record(obj) -> int:
    """Fingerprint a submission, flag its near-duplicates for the review queue and log them.

    `obj` may be an author's proposed edit of a published article (an `ArticleRevision`): it is
    compared with everything but that article, and the log entry goes on the article.
    """
    from . import duplicates

    is_edit = isinstance(obj, ArticleRevision)
    logged = obj.article if is_edit else obj
    flags = duplicates.submission_duplicates_flag(obj=obj, exclude=logged if is_edit else None)
    if flags:
        matches = ", ".join(f"{flag.match.object_repr} ({flag.percent} %)" for flag in flags)
        audit_record(
            action=AuditEvent.Action.NEAR_DUPLICATE,
            obj=logged,
            reason=_("Proposed edit: %(matches)s") % {"matches": matches} if is_edit else matches,
            status_before=logged.status,
            status_after=logged.status,
            details={
                "matches": [[flag.match_id, flag.similarity] for flag in flags],
                **({"revision": obj.pk} if is_edit else {}),
            },
        )
    return len(flags)


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


def _article_send_back(
    *, article: Article, by: "User", reasons, text: str, decide, action, status_after
) -> Article:
    """Refuse a submitted article or return it for changes (`decide` is the publishing service),
    with ready-made reasons and/or free text, and log it."""
    message = _reason_compose(reasons, text)
    waited = _waited_seconds(article.submitted_at)
    try:
        decide(article, message)
    except publishing.PublishingError as error:
        raise ModerationError(str(error)) from error
    audit_record(
        action=action,
        obj=article,
        actor=by,
        reason=message,
        status_before=PublicationStatus.SUBMITTED,
        status_after=status_after,
        details={"waited_seconds": waited, "reasons": [r.title for r in reasons]},
    )
    return article


@transaction.atomic
def submission_refuse(
    *, article: Article, by: "User", reasons: Sequence[RefusalReason] = (), text: str = ""
) -> Article:
    """Refuse a submitted article with ready-made reasons and/or free text, and log it."""
    return _article_send_back(
        article=article,
        by=by,
        reasons=reasons,
        text=text,
        decide=lambda art, reason: publishing.article_refuse(article=art, by=by, reason=reason),
        action=AuditEvent.Action.REFUSED,
        status_after=PublicationStatus.REFUSED,
    )


@transaction.atomic
def submission_request_changes(
    *, article: Article, by: "User", reasons: Sequence[RefusalReason] = (), text: str = ""
) -> Article:
    """Send a submitted article back to its author as a draft with the editor's message; log it."""
    return _article_send_back(
        article=article,
        by=by,
        reasons=reasons,
        text=text,
        decide=lambda art, message: publishing.article_changes_request(
            article=art, by=by, message=message
        ),
        action=AuditEvent.Action.CHANGES_REQUESTED,
        status_after=PublicationStatus.DRAFT,
    )


# --- Review queue: library documents ----------------------------------------------------------


def _document_locked(document: Document) -> Document:
    """The document's row, locked until the end of the transaction (two editors deciding at once)."""
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("contributor")
        .defer("text_content")
        .get(pk=document.pk)
    )


@transaction.atomic
def document_submission_publish(*, document: Document, by: "User") -> Document:
    """Publish a submitted document, tell its contributor, and log the decision."""
    document = _document_locked(document)
    if document.status != PublicationStatus.SUBMITTED:
        raise ModerationError(_("Only a submitted document can be published from the queue."))
    waited = _waited_seconds(document.submitted_at)
    library.document_publish(document=document, by=by, notify=True)
    audit_record(
        action=AuditEvent.Action.PUBLISHED,
        obj=document,
        actor=by,
        status_before=PublicationStatus.SUBMITTED,
        status_after=PublicationStatus.PUBLISHED,
        details={"waited_seconds": waited},
    )
    return document


def _document_send_back(
    *, document: Document, by: "User", reasons, text: str, decide, action, status_after
) -> Document:
    """Refuse a submitted document or return it for changes (`decide` is the library service),
    with ready-made reasons and/or free text, and log it."""
    document = _document_locked(document)
    message = _reason_compose(reasons, text)
    waited = _waited_seconds(document.submitted_at)
    try:
        decide(document, message)
    except library.LibraryError as error:
        raise ModerationError(str(error)) from error
    audit_record(
        action=action,
        obj=document,
        actor=by,
        reason=document.decision_reason,
        status_before=PublicationStatus.SUBMITTED,
        status_after=status_after,
        details={"waited_seconds": waited, "reasons": [r.title for r in reasons]},
    )
    return document


@transaction.atomic
def document_submission_refuse(
    *, document: Document, by: "User", reasons: Sequence[RefusalReason] = (), text: str = ""
) -> Document:
    """Refuse a submitted document with ready-made reasons and/or free text, and log it."""
    return _document_send_back(
        document=document,
        by=by,
        reasons=reasons,
        text=text,
        decide=lambda doc, reason: library.document_refuse(document=doc, by=by, reason=reason),
        action=AuditEvent.Action.REFUSED,
        status_after=PublicationStatus.REFUSED,
    )


@transaction.atomic
def document_submission_request_changes(
    *, document: Document, by: "User", reasons: Sequence[RefusalReason] = (), text: str = ""
) -> Document:
    """Send a submitted document back to its contributor as a draft with the editor's message."""
    return _document_send_back(
        document=document,
        by=by,
        reasons=reasons,
        text=text,
        decide=lambda doc, message: library.document_changes_request(
            document=doc, by=by, message=message
        ),
        action=AuditEvent.Action.CHANGES_REQUESTED,
        status_after=PublicationStatus.DRAFT,
    )


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


def item_author(obj: models.Model):
    """The account an item belongs to (an article's author, a document's contributor, a profile)."""
    if isinstance(obj, get_user_model()):
        return obj
    if isinstance(obj, Article):
        return obj.author
    return getattr(obj, "contributor", None)


def _pending_case_locked(content_type: ContentType, object_id: int) -> ReportCase | None:
    """The item's open or hidden case, locked until the end of the transaction."""
    return (
        ReportCase.objects.select_for_update()
        .filter(
            content_type=content_type,
            object_id=object_id,
            status__in=[ReportCase.Status.OPEN, ReportCase.Status.HIDDEN],
        )
        .first()
    )


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
    case = _pending_case_locked(content_type, obj.pk)
    if case is None:
        # Two first reports may arrive together: both find no case, one INSERT wins the
        # one-pending-case constraint, and the other joins the case the winner created.
        try:
            with transaction.atomic():
                case = ReportCase.objects.create(
                    content_type=content_type,
                    object_id=obj.pk,
                    object_repr=str(obj)[:300],
                    object_url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
                )
        except IntegrityError:
            case = _pending_case_locked(content_type, obj.pk)
            if case is None:  # decided between the two statements: a new case, once more
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
    author = item_author(target) if target is not None else None
    return author.email if author is not None and author.is_active else ""


# --- Appeals -------------------------------------------------------------------------------

APPEALABLE = {
    ReportCase.Status.DISMISSED,
    ReportCase.Status.HIDDEN,
    ReportCase.Status.WITHDRAWN,
    ReportCase.Status.REINSTATED,
}


@transaction.atomic
def appeal_submit(
    *,
    case: ReportCase | None = None,
    sanction: Sanction | None = None,
    role: str,
    email: str,
    explanation: str,
) -> Appeal:
    """Record an appeal against a case's current decision or an account sanction (once each)."""
    if sanction is not None:
        return _sanction_appeal_submit(sanction=sanction, email=email, explanation=explanation)
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


# How long after a refusal its author may appeal it (as long as the appeal links of e-mails last).
REFUSAL_APPEAL_DAYS = 183


def _author_of(item: Article | Document):
    return item.author if isinstance(item, Article) else item.contributor


def refusal_last(item: Article | Document) -> AuditEvent | None:
    """The audit event of the item's refusal in force (None if it is not refused)."""
    if item.status != PublicationStatus.REFUSED:
        return None
    return (
        AuditEvent.objects.for_object(item)
        .filter(action=AuditEvent.Action.REFUSED)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def refusal_appealable(item: Article | Document, user: "User") -> bool:
    """May `user` appeal the refusal of this item now (its author, within the time limit, once)?"""
    if _author_of(item) != user or not user.is_active:
        return False
    refusal = refusal_last(item)
    if refusal is None:
        return False
    if refusal.created_at < timezone.now() - timedelta(days=REFUSAL_APPEAL_DAYS):
        return False
    return not Appeal.objects.filter(
        refused_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
        refused_id=item.pk,
        created_at__gte=refusal.created_at,
    ).exists()


@transaction.atomic
def refusal_appeal_submit(*, item: Article | Document, by: "User", explanation: str) -> Appeal:
    """The author contests the refusal of a submitted article or document; another editor decides."""
    item = type(item).objects.select_for_update(of=("self",)).get(pk=item.pk)
    explanation = clean_text(explanation).strip()
    if not explanation:
        raise ModerationError(_("Explain why the decision should be changed."))
    if _author_of(item) != by:
        raise ModerationError(_("Only the author can appeal the refusal of a submission."))
    if not refusal_appealable(item, by):
        raise ModerationError(_("This refusal can no longer be appealed, or was already appealed."))
    refusal = refusal_last(item)
    content_type = ContentType.objects.get_for_model(item, for_concrete_model=False)
    appeal = Appeal.objects.create(
        refused_type=content_type,
        refused_id=item.pk,
        refused_repr=str(item)[:300],
        role=Appeal.Role.AUTHOR,
        email=by.email,
        explanation=explanation,
        contested_status=PublicationStatus.REFUSED,
        contested_by=refusal.actor,
    )
    audit_record(
        action=AuditEvent.Action.APPEALED,
        obj=item,
        actor=by,
        reason=explanation[:500],
        status_before=item.status,
        status_after=item.status,
        details={"appeal": appeal.pk, "role": Appeal.Role.AUTHOR, "refusal": refusal.pk},
    )
    notifications.appeal_acknowledge(appeal=appeal)
    return appeal


def refusal_appeal_item(appeal: Appeal) -> Article | Document | None:
    """The refused article or document an appeal contests (None if it was deleted since)."""
    model = appeal.refused_type.model_class()
    return model.objects.filter(pk=appeal.refused_id).first()


def _appeal_decision_record(
    *,
    appeal: Appeal,
    by: "User",
    outcome: str,
    statement: str,
    obj: models.Model | None,
    details: dict,
    status_before: str = "",
    status_after: str = "",
    to: list[str] | None = None,
) -> Appeal:
    """Write the decision on the appeal, log it on `obj` (if it still exists) and mail it (to the
    appellant by default)."""
    appeal.outcome = outcome
    appeal.decided_by = by
    appeal.decided_at = timezone.now()
    appeal.statement = statement
    appeal.save(update_fields=["outcome", "decided_by", "decided_at", "statement"])
    if obj is not None:
        granted = outcome == Appeal.Outcome.GRANTED
        audit_record(
            action=AuditEvent.Action.APPEAL_GRANTED if granted else AuditEvent.Action.APPEAL_UPHELD,
            obj=obj,
            actor=by,
            reason=statement,
            status_before=status_before,
            status_after=status_after,
            details=details,
        )
    notifications.appeal_outcome_send(appeal=appeal, to=to or [appeal.email])
    return appeal


def _refusal_appeal_decide(*, appeal: Appeal, by: "User", outcome: str, statement: str) -> Appeal:
    """Uphold the refusal, or reverse it: the item is published, as the editor would have."""
    item = refusal_appeal_item(appeal)
    if item is None:
        raise ModerationError(_("The refused item no longer exists."))
    item = type(item).objects.select_for_update(of=("self",)).get(pk=item.pk)
    before = item.status
    if outcome == Appeal.Outcome.GRANTED:
        if item.status != PublicationStatus.REFUSED:
            raise ModerationError(_("The decision changed since this appeal was sent."))
        if isinstance(item, Article):
            publishing.article_publish(article=item, by=by)
        else:
            library.document_publish(document=item, by=by, notify=True)
    return _appeal_decision_record(
        appeal=appeal,
        by=by,
        outcome=outcome,
        statement=statement,
        obj=item,
        details={"appeal": appeal.pk},
        status_before=before,
        status_after=item.status,
    )


def appeal_can_decide(appeal: Appeal, user: "User") -> bool:
    """An appeal is decided by another editor than the one whose decision it contests."""
    return appeal.outcome == Appeal.Outcome.PENDING and appeal.contested_by_id != user.pk


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by: "User", outcome: str, statement: str) -> Appeal:
    """Uphold or reverse the contested decision; the appellant and the author are told why."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    statement = clean_text(statement).strip()
    if appeal.outcome != Appeal.Outcome.PENDING:
        raise ModerationError(_("This appeal was already decided."))
    if appeal.contested_by_id == by.pk:
        raise ModerationError(_("Another editor must decide the appeal of your own decision."))
    if not statement:
        raise ModerationError(_("Write the statement of reasons: the appellant reads it."))
    if outcome not in {Appeal.Outcome.UPHELD, Appeal.Outcome.GRANTED}:
        raise ModerationError(_("Choose whether the decision is upheld or reversed."))
    if appeal.sanction_id is not None:
        return _sanction_appeal_decide(appeal=appeal, by=by, outcome=outcome, statement=statement)
    if appeal.is_refusal:
        return _refusal_appeal_decide(appeal=appeal, by=by, outcome=outcome, statement=statement)
    case = ReportCase.objects.select_for_update().get(pk=appeal.case_id)
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
    author_email = _author_email(target)
    recipients = [appeal.email]
    if author_email and author_email.lower() != appeal.email.lower():
        recipients.append(author_email)
    return _appeal_decision_record(
        appeal=appeal,
        by=by,
        outcome=outcome,
        statement=statement,
        obj=target,
        details={"case": case.pk, "appeal": appeal.pk},
        status_before=before,
        status_after=getattr(target, "status", ""),
        to=recipients,
    )


# --- Account actions -------------------------------------------------------------------------

SANCTION_AUDIT_ACTION = {
    Sanction.Kind.WARNING: AuditEvent.Action.WARNED,
    Sanction.Kind.SUSPENSION: AuditEvent.Action.SUSPENDED,
    Sanction.Kind.BAN: AuditEvent.Action.BANNED,
}


def is_editor(user: "User") -> bool:
    return user.is_active and user.has_perm("publishing.review_article")


def account_sanction_active(account: "User") -> Sanction | None:
    """The suspension or ban in force on the account (a suspension past its end is ended first)."""
    sanction = (
        Sanction.objects.filter(
            account=account,
            status=Sanction.Status.ACTIVE,
            kind__in=[Sanction.Kind.SUSPENSION, Sanction.Kind.BAN],
        )
        .order_by("-created_at")
        .first()
    )
    if (
        sanction is not None
        and sanction.kind == Sanction.Kind.SUSPENSION
        and sanction.ends_at <= timezone.now()
    ):
        sanction_end(sanction=sanction)
        return account_sanction_active(account)
    return sanction


def _account_items_offline(account: "User", by: "User") -> list[list]:
    """Take the account's submitted and published items offline; return those that were online."""
    hidden: list[list] = []
    for article in Article.objects.select_for_update().filter(
        author=account, status__in=[PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED]
    ):
        if article.status == PublicationStatus.PUBLISHED:
            hidden.append(["publishing", "article", article.pk])
        publishing.article_withdraw(article=article, by=by)
    for document in Document.objects.select_for_update().filter(
        contributor=account,
        status__in=[PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED],
    ):
        if document.status == PublicationStatus.PUBLISHED:
            hidden.append(["library", "document", document.pk])
        library.document_withdraw(document=document, by=by)
    return hidden


def _account_items_online(sanction: Sanction, by: "User | None") -> None:
    """Put back online what the sanction took offline, unless it changed or a report removed it."""
    removed_by_reports = {
        (case.content_type.app_label, case.content_type.model, case.object_id)
        for case in ReportCase.objects.filter(
            status__in=[ReportCase.Status.HIDDEN, ReportCase.Status.WITHDRAWN]
        )
        .filter(object_id__in=[pk for _app, _model, pk in sanction.hidden_items])
        .select_related("content_type")
    }
    for app_label, model, pk in sanction.hidden_items:
        if (app_label, model, pk) in removed_by_reports:
            continue
        queryset = Article.objects if model == "article" else Document.objects
        item = (
            queryset.select_for_update()
            .filter(pk=pk, status=PublicationStatus.WITHDRAWN, published_at__isnull=False)
            .first()
        )
        if item is None:  # edited (now a draft) or deleted meanwhile: the author decides
            continue
        if isinstance(item, Article):
            publishing.article_publish(article=item, by=by, at=item.published_at, notify=False)
        else:
            library.document_publish(document=item, by=by, at=item.published_at)


def _sanction_check(*, account: "User", by: "User", statement: str) -> str:
    if not is_editor(by):
        raise ModerationError(_("Only editors can act on accounts."))
    if account.pk == by.pk:
        raise ModerationError(_("You cannot act on your own account."))
    if account.is_superuser or is_editor(account):
        raise ModerationError(_("Editors' accounts are handled by the administrators."))
    statement = clean_text(statement).strip()
    if not statement:
        raise ModerationError(_("Write the statement of reasons: the account holder reads it."))
    return statement


@transaction.atomic
def account_sanction(
    *,
    account: "User",
    by: "User",
    kind: str,
    ground: str,
    statement: str,
    days: int | None = None,
    case: ReportCase | None = None,
) -> Sanction:
    """Warn, suspend for `days` days, or ban an account; e-mail it the statement of reasons.

    A suspension takes the account's items offline until it ends (`sanctions_expire`) or is
    lifted; the account can still sign in, read the reasons and appeal, but cannot submit. A ban
    deactivates the account (it can no longer sign in) and withdraws its items.
    """
    statement = _sanction_check(account=account, by=by, statement=statement)
    account = type(account).objects.select_for_update().get(pk=account.pk)
    current = account_sanction_active(account)
    now = timezone.now()
    ends_at = None
    if kind == Sanction.Kind.SUSPENSION:
        if not days or days < 1:
            raise ModerationError(_("Say for how many days the account is suspended."))
        if current is not None:
            raise ModerationError(
                _("This account is already suspended or banned: lift that sanction first.")
            )
        ends_at = now + timedelta(days=days)
    elif kind == Sanction.Kind.BAN:
        if current is not None and current.kind == Sanction.Kind.BAN:
            raise ModerationError(_("This account is already banned."))
    elif kind != Sanction.Kind.WARNING:
        raise ModerationError(_("Choose a warning, a suspension or a ban."))
    hidden: list[list] = []
    if kind == Sanction.Kind.BAN and current is not None:
        # The ban replaces the suspension: what it took offline stays offline with the ban.
        hidden = list(current.hidden_items)
        _sanction_close(current, by=by, status=Sanction.Status.LIFTED, restore=False)
    if kind in {Sanction.Kind.SUSPENSION, Sanction.Kind.BAN}:
        hidden += _account_items_offline(account, by)
    if kind == Sanction.Kind.BAN:
        account.is_active = False
        account.save(update_fields=["is_active"])
        if account.is_trusted:
            trust_set(account=account, trusted=False, by=by, reason=statement)
    sanction = Sanction.objects.create(
        account=account,
        kind=kind,
        ground=ground,
        statement=statement,
        case=case,
        created_by=by,
        ends_at=ends_at,
        hidden_items=hidden,
    )
    audit_record(
        action=SANCTION_AUDIT_ACTION[kind],
        obj=account,
        actor=by,
        reason=statement,
        status_before="banned" if current and current.kind == Sanction.Kind.BAN else "",
        status_after={"warning": "", "suspension": "suspended", "ban": "banned"}[kind],
        details={
            "sanction": sanction.pk,
            "ground": ground,
            "days": days,
            "case": case.pk if case is not None else None,
            "items_offline": len(hidden),
        },
    )
    notifications.sanction_statement_send(sanction=sanction, email=account.email)
    return sanction


def _sanction_close(sanction: Sanction, *, by: "User | None", status: str, restore: bool) -> None:
    sanction.status = status
    sanction.ended_at = timezone.now()
    sanction.ended_by = by
    sanction.save(update_fields=["status", "ended_at", "ended_by"])
    if sanction.kind == Sanction.Kind.BAN:
        account = sanction.account
        account.is_active = True
        account.save(update_fields=["is_active"])
    if restore:
        _account_items_online(sanction, by)


@transaction.atomic
def sanction_lift(*, sanction: Sanction, by: "User", reason: str) -> Sanction:
    """Lift a sanction before its end (an editor's decision or a granted appeal); items come back."""
    sanction = Sanction.objects.select_for_update().select_related("account").get(pk=sanction.pk)
    if not is_editor(by):
        raise ModerationError(_("Only editors can act on accounts."))
    if sanction.status != Sanction.Status.ACTIVE:
        raise ModerationError(_("This sanction is no longer in force."))
    reason = clean_text(reason).strip()
    if not reason:
        raise ModerationError(_("Say why the sanction is lifted."))
    _sanction_close(sanction, by=by, status=Sanction.Status.LIFTED, restore=True)
    audit_record(
        action=AuditEvent.Action.SANCTION_LIFTED,
        obj=sanction.account,
        actor=by,
        reason=reason,
        status_before={"warning": "", "suspension": "suspended", "ban": "banned"}[sanction.kind],
        details={"sanction": sanction.pk, "items_online": len(sanction.hidden_items)},
    )
    notifications.sanction_lifted_send(sanction=sanction, reason=reason)
    return sanction


@transaction.atomic
def sanction_end(*, sanction: Sanction) -> Sanction:
    """End a suspension whose period is over, and put the account's items back online."""
    sanction = Sanction.objects.select_for_update().select_related("account").get(pk=sanction.pk)
    if sanction.status != Sanction.Status.ACTIVE or sanction.kind != Sanction.Kind.SUSPENSION:
        return sanction
    _sanction_close(sanction, by=None, status=Sanction.Status.ENDED, restore=True)
    audit_record(
        action=AuditEvent.Action.SANCTION_ENDED,
        obj=sanction.account,
        status_before="suspended",
        details={"sanction": sanction.pk, "items_online": len(sanction.hidden_items)},
    )
    return sanction


def sanctions_expire(*, now=None) -> int:
    """End every suspension past its end (run periodically: `manage.py sanctions_expire`)."""
    due = Sanction.objects.filter(
        status=Sanction.Status.ACTIVE,
        kind=Sanction.Kind.SUSPENSION,
        ends_at__lte=now or timezone.now(),
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        sanction_end(sanction=Sanction(pk=pk))
        count += 1
    return count


@transaction.atomic
def _sanction_appeal_submit(*, sanction: Sanction, email: str, explanation: str) -> Appeal:
    sanction = Sanction.objects.select_for_update().select_related("account").get(pk=sanction.pk)
    explanation = clean_text(explanation).strip()
    if not explanation:
        raise ModerationError(_("Explain why the decision should be changed."))
    if sanction.status == Sanction.Status.LIFTED:
        raise ModerationError(_("This sanction was already lifted."))
    if Appeal.objects.filter(sanction=sanction, email__iexact=email).exists():
        raise ModerationError(_("You have already appealed this decision."))
    appeal = Appeal.objects.create(
        sanction=sanction,
        role=Appeal.Role.AUTHOR,
        email=email,
        explanation=explanation,
        contested_status=sanction.kind,
        contested_by=sanction.created_by,
    )
    audit_record(
        action=AuditEvent.Action.APPEALED,
        obj=sanction.account,
        reason=explanation[:500],
        details={"sanction": sanction.pk, "appeal": appeal.pk, "role": appeal.role},
    )
    notifications.appeal_acknowledge(appeal=appeal)
    return appeal


def _sanction_appeal_decide(*, appeal: Appeal, by: "User", outcome: str, statement: str) -> Appeal:
    sanction = (
        Sanction.objects.select_for_update().select_related("account").get(pk=appeal.sanction_id)
    )
    if outcome == Appeal.Outcome.GRANTED and sanction.status == Sanction.Status.ACTIVE:
        _sanction_close(sanction, by=by, status=Sanction.Status.LIFTED, restore=True)
    elif outcome == Appeal.Outcome.GRANTED and sanction.status == Sanction.Status.ENDED:
        pass  # a suspension already over: the granted appeal clears the record only
    return _appeal_decision_record(
        appeal=appeal,
        by=by,
        outcome=outcome,
        statement=statement,
        obj=sanction.account,
        details={"sanction": sanction.pk, "appeal": appeal.pk},
    )


# --- Trusted contributors ------------------------------------------------------------------


@transaction.atomic
def trust_set(*, account: "User", trusted: bool, by: "User | None", reason: str = "") -> "User":
    """Promote an account to trusted contributor or revoke it; the only writer of `is_trusted`."""
    if by is not None and not is_editor(by):
        raise ModerationError(_("Only editors can change a contributor's trusted status."))
    reason = clean_text(reason).strip()
    if by is not None and not trusted and not reason:
        raise ModerationError(_("Say why the trusted status is revoked."))
    account = type(account).objects.select_for_update().get(pk=account.pk)
    if account.is_trusted == trusted:
        return account
    account.is_trusted = trusted
    account.save(update_fields=["is_trusted"])
    audit_record(
        action=AuditEvent.Action.TRUSTED if trusted else AuditEvent.Action.TRUST_REVOKED,
        obj=account,
        actor=by,
        reason=reason,
        status_before="" if trusted else "trusted",
        status_after="trusted" if trusted else "",
        details={"automatic": by is None},
    )
    return account


def trust_eligible(account: "User") -> bool:
    """Enough accepted pieces, no upheld report, no sanction, never revoked by an editor."""
    threshold = conf.trusted_after()
    if threshold <= 0 or account.is_trusted or not account.is_active:
        return False
    # Pieces an editor accepted: articles and library documents that went through the queue.
    accepted = Article.objects.filter(
        author=account, status=PublicationStatus.PUBLISHED, submitted_at__isnull=False
    ).count()
    if accepted < threshold:
        accepted += Document.objects.filter(
            contributor=account, status=PublicationStatus.PUBLISHED, submitted_at__isnull=False
        ).count()
    if accepted < threshold:
        return False
    if Sanction.objects.filter(account=account).exists():
        return False
    if (
        AuditEvent.objects.for_object(account)
        .filter(action=AuditEvent.Action.TRUST_REVOKED)
        .exists()
    ):
        return False
    article_type = ContentType.objects.get_for_model(Article)
    document_type = ContentType.objects.get_for_model(Document)
    upheld = ReportCase.objects.filter(
        status__in=[ReportCase.Status.HIDDEN, ReportCase.Status.WITHDRAWN]
    ).filter(
        models.Q(
            content_type=article_type,
            object_id__in=Article.objects.filter(author=account).values("pk"),
        )
        | models.Q(
            content_type=document_type,
            object_id__in=Document.objects.filter(contributor=account).values("pk"),
        )
    )
    return not upheld.exists()


def trust_promote_if_eligible(*, account: "User") -> bool:
    """Promote the account automatically when it has earned it (after an editor accepted a piece)."""
    if not trust_eligible(account):
        return False
    trust_set(
        account=account,
        trusted=True,
        by=None,
        reason=ngettext(
            "%(count)s piece accepted by the editors, no upheld report.",
            "%(count)s pieces accepted by the editors, no upheld report.",
            conf.trusted_after(),
        )
        % {"count": conf.trusted_after()},
    )
    return True


# --- Limits before a submission ------------------------------------------------------------

LINK_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+", re.IGNORECASE)


def links_count(text: str) -> int:
    """Distinct web addresses in a text (Markdown links, bare URLs, sources)."""
    return len({match.rstrip(".,;:!?").lower() for match in LINK_RE.findall(text)})


def is_new_account(account: "User") -> bool:
    """Younger than `STEPPE_NEW_ACCOUNT_DAYS`, or nothing published yet (trusted accounts and
    editors: never new)."""
    if account.is_trusted or is_editor(account):
        return False
    if account.date_joined > timezone.now() - timedelta(days=conf.new_account_days()):
        return True
    return not Article.objects.filter(author=account, status=PublicationStatus.PUBLISHED).exists()


def _sanction_refusal(by: "User") -> str | None:
    """Why a suspended or banned account may not send anything to the editors (None if it may)."""
    sanction = account_sanction_active(by)
    if sanction is None:
        return None
    if sanction.kind == Sanction.Kind.BAN:
        return _("This account is banned.")
    return _(
        "Your account is suspended until %(date)s: you cannot submit nor propose edits "
        "meanwhile. Your text is kept among your drafts."
    ) % {"date": timezone.localtime(sanction.ends_at).strftime("%d/%m/%Y %H:%M")}


def _submissions_last_day(by: "User", *, article: Article | None = None, document=None) -> int:
    """What a contributor sent to the editors in the last 24 hours: articles, edits, documents."""
    since = timezone.now() - timedelta(days=1)
    articles = Article.objects.filter(author=by, submitted_at__gte=since)
    documents = Document.objects.filter(contributor=by, submitted_at__gte=since)
    if article is not None:
        articles = articles.exclude(pk=article.pk)
    if document is not None:
        documents = documents.exclude(pk=document.pk)
    edits = ArticleRevision.objects.filter(created_by=by, created_at__gte=since).exclude(
        state=ArticleRevision.State.SAVED
    )
    return articles.count() + edits.count() + documents.count()


def _daily_limit_refusal(sent: int) -> str | None:
    max_sent = conf.new_account_max_submissions_per_day()
    if sent < max_sent:
        return None
    return ngettext(
        "New accounts may send %(max)s piece or edit per day. Your text is kept among "
        "your drafts: send it again tomorrow.",
        "New accounts may send %(max)s pieces or edits per day. Your text is kept among "
        "your drafts: send it again tomorrow.",
        max_sent,
    ) % {"max": max_sent}


def document_submission_allowed_check(*, document: Document, by: "User") -> None:
    """Refuse a document's submission from a suspended or banned account, or over a new account's
    daily limit. Raises LibraryError (the library pages and the API show it)."""
    refusal = _sanction_refusal(by)
    if refusal is None and is_new_account(by):
        refusal = _daily_limit_refusal(_submissions_last_day(by, document=document))
    if refusal is not None:
        raise library.LibraryError(refusal)


def submission_allowed_check(*, article: Article, by: "User", kind: str, data=None) -> None:
    """Refuse a submission or proposed edit from a suspended account, or over a new account's
    limits. Raises PublishingError (the publishing views show it next to the kept text)."""
    refusal = _sanction_refusal(by)
    if refusal is not None:
        raise publishing.PublishingError(refusal)
    if not is_new_account(by):
        return
    body = data.body_source if data is not None else article.body_source
    sources = data.sources if data is not None else article.sources
    links = links_count(f"{body}\n{sources}")
    max_links = conf.new_account_max_links()
    if links > max_links:
        raise publishing.PublishingError(
            ngettext(
                "New accounts may put at most %(max)s link in a piece; this one has %(count)s. "
                "Remove some links and send it again: your text is kept.",
                "New accounts may put at most %(max)s links in a piece; this one has %(count)s. "
                "Remove some links and send it again: your text is kept.",
                max_links,
            )
            % {"max": max_links, "count": links}
        )
    refusal = _daily_limit_refusal(_submissions_last_day(by, article=article))
    if refusal is not None:
        raise publishing.PublishingError(refusal)
