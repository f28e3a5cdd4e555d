"""Writes of the ops app: queueing and delivering e-mail, re-queueing tasks of dead workers."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import conf
from .models import OutgoingEmail

logger = logging.getLogger("steppe.ops")


def _backend_supports_defer() -> bool:
    from .tasks import email_deliver

    return email_deliver.get_backend().supports_defer


def _deliver_later(outgoing_id: int, *, at=None) -> None:
    from .tasks import email_deliver

    if at is not None and _backend_supports_defer():
        email_deliver.using(run_after=at).enqueue(outgoing_id)
    elif at is None:
        email_deliver.enqueue(outgoing_id)
    # Otherwise (the immediate backend of development and tests cannot wait): `manage.py ops_sweep`
    # sends it once it is due.


def email_enqueue(*, message: EmailMessage, idempotency_key: str | None = None) -> OutgoingEmail:
    """Store `message` and queue its delivery after the current transaction commits.

    With an `idempotency_key`, a second call returns the first message instead of queueing another.
    """
    if idempotency_key:
        existing = OutgoingEmail.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    mime = message.message()
    raw = mime.as_bytes()
    try:
        with transaction.atomic():
            outgoing = OutgoingEmail.objects.create(
                subject=str(message.subject)[:998],
                from_email=message.from_email or "",
                recipients=list(message.recipients()),
                message_id=str(mime.get("Message-ID", ""))[:255],
                mime=raw,
                idempotency_key=idempotency_key,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        if idempotency_key:
            return OutgoingEmail.objects.get(idempotency_key=idempotency_key)
        raise
    transaction.on_commit(lambda: _deliver_later(outgoing.pk))
    return outgoing


def _retry_delay(attempts: int) -> int:
    delays = conf.email_retry_delays() or [60]
    return delays[min(attempts - 1, len(delays) - 1)]


def email_attempt(*, email_id: int) -> str:
    """Try to send one stored message; on failure plan the next attempt. Returns the new status.

    The message is *claimed* first (pending → sending, in a short transaction), so two workers never
    send it both, and no database lock is held while the mail server answers. If the worker dies
    while sending, `ops_sweep` puts the message back to pending after `STEPPE_TASK_STALE_SECONDS`: the
    one case where it can go out twice, with the same Message-ID.
    """
    from .mail import StoredEmailMessage

    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.PENDING).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=now
    )
    if not claimed:
        status = OutgoingEmail.objects.filter(pk=email_id).values_list("status", flat=True).first()
        return status or "missing"  # sent already, being sent by another worker, or given up
    outgoing = OutgoingEmail.objects.get(pk=email_id)
    message = StoredEmailMessage(
        raw=bytes(outgoing.mime), from_email=outgoing.from_email, recipients=outgoing.recipients
    )
    outgoing.attempts += 1
    try:
        connection = get_connection(conf.email_delivery_backend(), fail_silently=False)
        connection.send_messages([message])
    except Exception as error:  # noqa: BLE001 (any failure of the mail server: keep it, retry)
        outgoing.last_error = f"{type(error).__name__}: {error}"[:2000]
        outgoing.claimed_at = None
        if outgoing.attempts >= conf.email_max_attempts():
            outgoing.status = OutgoingEmail.Status.FAILED
            outgoing.next_attempt_at = None
            logger.error(
                "e-mail %s given up after %s attempts: %s",
                outgoing.pk,
                outgoing.attempts,
                outgoing.last_error,
            )
        else:
            outgoing.status = OutgoingEmail.Status.PENDING
            outgoing.next_attempt_at = timezone.now() + timedelta(
                seconds=_retry_delay(outgoing.attempts)
            )
            logger.warning(
                "e-mail %s not sent (attempt %s), next attempt at %s: %s",
                outgoing.pk,
                outgoing.attempts,
                outgoing.next_attempt_at.isoformat(),
                outgoing.last_error,
            )
        outgoing.save()
        if outgoing.status == OutgoingEmail.Status.PENDING:
            transaction.on_commit(lambda: _deliver_later(outgoing.pk, at=outgoing.next_attempt_at))
        return outgoing.status
    outgoing.status = OutgoingEmail.Status.SENT
    outgoing.sent_at = timezone.now()
    outgoing.last_error = ""
    outgoing.next_attempt_at = None
    outgoing.save()
    return outgoing.status


def email_retry_due(*, now=None, include_failed: bool = False) -> int:
    """Send now the messages whose next attempt is due (and, if asked, those given up)."""
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    )
    if include_failed:
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).update(
            status=OutgoingEmail.Status.PENDING, attempts=0, next_attempt_at=now
        )
    done = 0
    for pk in due.values_list("pk", flat=True):
        email_attempt(email_id=pk)
        done += 1
    return done


def stale_release(*, stale_seconds: int | None = None, now=None) -> dict[str, int]:
    """Put back what a dead worker left half done: RUNNING tasks and messages being sent.

    django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: if
    that worker is killed, the task stays RUNNING for ever. It keeps no heartbeat either, so a task
    RUNNING for longer than `STEPPE_TASK_STALE_SECONDS` (set it above the longest task) is taken for
    an orphan and made READY again; its effect must be idempotent (see idempotency.py).
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(
        seconds=conf.task_stale_seconds() if stale_seconds is None else stale_seconds
    )
    tasks = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
    emails = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENDING, claimed_at__lt=cutoff
    ).update(status=OutgoingEmail.Status.PENDING, claimed_at=None, next_attempt_at=now)
    if tasks or emails:
        logger.warning("released %s stale task(s) and %s stale e-mail(s)", tasks, emails)
    return {"tasks": tasks, "emails": emails}
