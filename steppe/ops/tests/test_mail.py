"""SMTP down: the action succeeds, the message waits in the database and a later attempt sends it once."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from steppe.ops.models import OutgoingEmail
from steppe.publishing.services import article_publish
from steppe.publishing.tests.factories import ArticleFactory

from .conftest import run_worker


def _make_due() -> None:
    """Let the retry delay pass (for the worker's deferred task and for the sweep)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    DBTaskResult.objects.filter(status="READY").update(run_after=now - timedelta(seconds=1))
    OutgoingEmail.objects.filter(status="pending").update(
        next_attempt_at=now - timedelta(seconds=1)
    )


@pytest.mark.django_db(transaction=True)
def test_smtp_down_then_up_the_worker_delivers_once(
    mail_queue, database_tasks, contributor, editor, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    article = ArticleFactory(author=contributor, status="submitted", title="Steppe en fleurs")
    # SMTP is down: the editor's action succeeds all the same.
    article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.status == "published"
    outgoing = OutgoingEmail.objects.get()
    assert outgoing.recipients == [contributor.email]
    assert outgoing.status == OutgoingEmail.Status.PENDING
    assert DBTaskResult.objects.filter(queue_name="email", status="READY").count() == 1

    run_worker("email")  # first attempt: connection refused
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.PENDING
    assert outgoing.attempts == 1
    assert "Connection" in outgoing.last_error or "refused" in outgoing.last_error
    assert outgoing.next_attempt_at > timezone.now() + timedelta(seconds=50)
    retry = DBTaskResult.objects.get(queue_name="email", status="READY")
    assert retry.run_after == outgoing.next_attempt_at  # the worker waits before trying again
    run_worker("email")  # not due yet: nothing happens
    outgoing.refresh_from_db()
    assert outgoing.attempts == 1

    mail_queue.start()
    _make_due()
    run_worker("email")
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.SENT
    assert outgoing.attempts == 2
    assert len(mail_queue.messages) == 1
    received = mail_queue.messages[0]
    assert received["To"] == contributor.email
    assert received["Message-ID"] == outgoing.message_id
    assert "Steppe en fleurs" in received.get_body(preferencelist=("plain",)).get_content()

    # Running everything again sends nothing more.
    _make_due()
    run_worker("*")
    call_command("ops_sweep", stale_after=0)
    assert len(mail_queue.messages) == 1


@pytest.mark.django_db
def test_with_the_immediate_backend_the_sweep_sends_what_is_due(
    mail_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = mail.send_mail("Bonjour", "Un message.", None, ["lecteur@example.org"])
    assert sent == 1  # accepted: stored, not lost
    outgoing = OutgoingEmail.objects.get()
    assert outgoing.status == OutgoingEmail.Status.PENDING
    assert outgoing.attempts == 1  # the immediate backend tried at once
    call_command("ops_sweep")  # not due yet
    assert not mail_queue.messages
    mail_queue.start()
    _make_due()
    call_command("ops_sweep")
    call_command("ops_sweep")
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.SENT
    assert len(mail_queue.messages) == 1
    assert mail_queue.messages[0]["Subject"] == "Bonjour"


@pytest.mark.django_db
def test_gives_up_after_the_last_attempt_and_keeps_the_message(mail_queue, caplog):
    mail.send_mail("Relance", "Texte.", None, ["a@example.org"])
    for _ in range(3):
        _make_due()
        call_command("ops_sweep")
    outgoing = OutgoingEmail.objects.get()
    assert outgoing.status == OutgoingEmail.Status.FAILED
    assert outgoing.attempts == 3
    assert "given up" in caplog.text
    mail_queue.start()
    call_command("ops_sweep", retry_failed=True)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.SENT
    assert len(mail_queue.messages) == 1


@pytest.mark.django_db
def test_message_with_attachment_and_html_is_sent_byte_for_byte(
    mail_queue, django_capture_on_commit_callbacks
):
    mail_queue.start()
    message = mail.EmailMultiAlternatives(
        "Rapport joint",
        "Voir la pièce jointe.",
        "Steppe <no-reply@steppe.example>",
        ["b@example.org"],
    )
    message.attach_alternative("<p>Voir la <b>pièce</b> jointe.</p>", "text/html")
    message.attach("note.txt", "Contenu en français : é à ü", "text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        message.send()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    received = mail_queue.messages[0]
    assert received.get_body(preferencelist=("html",)).get_content().strip().startswith("<p>Voir")
    attachment = next(received.iter_attachments())
    assert attachment.get_filename() == "note.txt"
    assert attachment.get_content() == "Contenu en français : é à ü"


@pytest.mark.django_db
def test_idempotency_key_queues_one_message(mail_queue):
    from steppe.ops.services import email_enqueue

    first = email_enqueue(
        message=mail.EmailMessage("Une fois", "x", to=["c@example.org"]), idempotency_key="k"
    )
    second = email_enqueue(
        message=mail.EmailMessage("Une fois", "x", to=["c@example.org"]), idempotency_key="k"
    )
    assert first.pk == second.pk
    assert OutgoingEmail.objects.count() == 1
