"""Requests for changes, actors in the audit log, decisions on the author's dashboard."""

from django.urls import reverse

import pytest

from steppe.core.models import PublicationStatus
from steppe.moderation.models import AuditEvent, RefusalReason, ReportCase
from steppe.moderation.services import (
    ModerationError,
    case_decide,
    report_submit,
    submission_request_changes,
)
from steppe.publishing import services as publishing

pytestmark = pytest.mark.django_db


def _submitted(author, title="La route du Pamir", body="Le col est ouvert."):
    article = publishing.article_draft_save(
        author=author, data=publishing.ArticleData(title=title, body_source=body)
    )
    return publishing.article_submit(article=article, by=author)


def test_request_changes_sends_the_piece_back_as_a_draft_with_the_message(
    client, contributor, editor, smtp_server, django_capture_on_commit_callbacks
):
    article = _submitted(contributor)
    reason = RefusalReason.objects.create(title="Sources", text="Citez vos sources.")
    client.force_login(editor)
    url = reverse("moderation:review_request_changes", args=[article.pk])
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reasons": [reason.pk], "text": "Précisez la date du col."})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == PublicationStatus.DRAFT
    assert "Citez vos sources." in article.decision_reason
    mail = smtp_server.to(contributor.email)[-1]
    assert "Précisez la date du col." in mail.get_body().get_content()
    assert "modifications" in mail["Subject"].lower()
    event = AuditEvent.objects.for_object(article).get(action="changes_requested")
    assert (event.actor, event.status_before, event.status_after) == (editor, "submitted", "draft")
    # The author reads the message on the dashboard, edits and submits again.
    client.force_login(contributor)
    html = client.get(reverse("publishing:dashboard")).content.decode()
    assert "data-changes-requested" in html
    assert "Précisez la date du col." in html
    publishing.article_submit(article=article, by=contributor)
    assert article.status == PublicationStatus.SUBMITTED
    assert article.decision_reason == ""


def test_request_changes_only_on_a_submission(contributor, editor):
    article = publishing.article_draft_save(
        author=contributor, data=publishing.ArticleData(title="T", body_source="B")
    )
    with pytest.raises(ModerationError):
        submission_request_changes(article=article, by=editor, text="Non.")


def test_a_contributor_cannot_request_changes(client, contributor):
    article = _submitted(contributor)
    client.force_login(contributor)
    url = reverse("moderation:review_request_changes", args=[article.pk])
    assert client.post(url, {"text": "x"}).status_code == 403
    article.refresh_from_db()
    assert article.status == PublicationStatus.SUBMITTED


def test_publishing_signals_carry_the_actor_into_the_audit_log(
    contributor, editor, django_capture_on_commit_callbacks
):
    article = _submitted(contributor)
    # An editor acting outside /moderation/ (the admin, a script) through publishing's service.
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_publish(article=article, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_withdraw(article=article, by=contributor)
    events = list(AuditEvent.objects.for_object(article).order_by("created_at", "id"))
    assert [(e.action, e.actor) for e in events] == [
        ("published", editor),
        ("withdrawn", contributor),
    ]


def test_the_author_sees_report_decisions_about_their_items(
    client, contributor, editor, django_capture_on_commit_callbacks
):
    article = _submitted(contributor)
    publishing.article_publish(article=article, by=editor)
    report_submit(obj=article, category="privacy", explanation="Adresse privée publiée.")
    case_decide(
        case=ReportCase.objects.get(),
        by=editor,
        decision="hide",
        ground="privacy",
        statement="Une adresse personnelle figure dans le texte.",
    )
    client.force_login(contributor)
    html = client.get(reverse("publishing:dashboard")).content.decode()
    assert "Une adresse personnelle figure dans le texte." in html
    assert "/moderation/contester/" in html
    # Another contributor does not see it.
    from steppe.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert (
        "Une adresse personnelle"
        not in client.get(reverse("publishing:dashboard")).content.decode()
    )


def test_dashboard_query_count_does_not_grow_with_decisions(client, contributor, editor):
    from steppe.core.tests.utils import count_queries

    client.force_login(contributor)
    url = reverse("publishing:dashboard")

    def decided(n):
        for i in range(n):
            article = publishing.article_draft_save(
                author=contributor,
                data=publishing.ArticleData(title=f"Article {i}", body_source="Texte."),
            )
            publishing.article_publish(article=article, by=None)
            report_submit(obj=article, category="spam", explanation="Pub.")
            case = ReportCase.objects.get(object_id=article.pk, status="open")
            case_decide(case=case, by=editor, decision="dismiss", ground="spam", statement="Non.")

    decided(1)
    client.get(url)
    few = count_queries(client, url)
    decided(4)
    assert count_queries(client, url) == few
