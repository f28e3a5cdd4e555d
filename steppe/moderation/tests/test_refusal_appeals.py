"""Appeals against the refusal of a submitted article or library document, by its author."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from steppe.core.models import PublicationStatus
from steppe.moderation.forms import form_stamp
from steppe.moderation.models import Appeal, AuditEvent
from steppe.moderation.services import (
    REFUSAL_APPEAL_DAYS,
    ModerationError,
    appeal_decide,
    document_submission_refuse,
    refusal_appeal_submit,
    submission_refuse,
)
from steppe.moderation.tests.helpers import submitted_document
from steppe.publishing import services as publishing

pytestmark = pytest.mark.django_db

REASON = "Le texte ne cite aucune source pour les chiffres de production."
APPEAL = "Les chiffres viennent du rapport annuel du ministère, cité en fin de texte."


def _refused_article(author, editor, capture):
    article = publishing.article_draft_save(
        author=author,
        data=publishing.ArticleData(
            title="La récolte de coton en 2025", body_source="La récolte a progressé."
        ),
    )
    publishing.article_submit(article=article, by=author)
    with capture(execute=True):
        submission_refuse(article=article, by=editor, text=REASON)
    article.refresh_from_db()
    assert article.status == PublicationStatus.REFUSED
    return article


def _refused_document(contributor, editor, capture):
    document = submitted_document(contributor)
    with capture(execute=True):
        document_submission_refuse(document=document, by=editor, text=REASON)
    document.refresh_from_db()
    return document


def _post(client, url, explanation=APPEAL):
    return client.post(url, {"explanation": explanation, "website": "", "stamp": form_stamp()})


def test_the_author_appeals_a_refused_article_and_another_editor_reverses_it(
    client, contributor, editor, second_editor, smtp_server, django_capture_on_commit_callbacks
):
    article = _refused_article(contributor, editor, django_capture_on_commit_callbacks)
    refusal_mail = smtp_server.to(contributor.email)[-1].get_body().get_content()
    assert reverse("publishing:dashboard") in refusal_mail
    assert "contester" in refusal_mail.lower()
    client.force_login(contributor)
    dashboard = client.get(reverse("publishing:dashboard")).content.decode()
    url = reverse("moderation:refusal_appeal_create", args=["article", article.pk])
    assert url in dashboard
    page = client.get(url)
    assert page.status_code == 200
    assert REASON in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, url)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.refused_id, appeal.contested_by, appeal.email) == (
        article.pk,
        editor,
        contributor.email,
    )
    acknowledgement = smtp_server.to(contributor.email)[-1]
    assert acknowledgement["Subject"] == "Votre recours a bien été reçu"
    assert "La récolte de coton en 2025" in acknowledgement.get_body().get_content()
    # Once per refusal: the link now says so, and a second post changes nothing.
    assert url not in client.get(reverse("publishing:dashboard")).content.decode()
    assert _post(client, url).status_code == 409
    assert Appeal.objects.count() == 1
    # The editor who refused cannot decide; another one reverses the refusal: it is published.
    with pytest.raises(ModerationError):
        appeal_decide(appeal=appeal, by=editor, outcome="granted", statement="Sources vérifiées.")
    client.force_login(second_editor)
    detail = client.get(reverse("moderation:appeal_detail", args=[appeal.pk])).content.decode()
    assert reverse("moderation:review", args=[article.pk]) in detail
    assert APPEAL in detail
    assert REASON in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:appeal_decide", args=[appeal.pk]),
            {"outcome": "granted", "statement": "Les sources figurent bien dans le texte."},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.decided_by) == (Appeal.Outcome.GRANTED, second_editor)
    events = list(
        AuditEvent.objects.for_object(article)
        .order_by("id")
        .values_list("action", "actor", "status_before", "status_after")
    )
    assert events[-2:] == [
        (AuditEvent.Action.APPEALED, contributor.pk, "refused", "refused"),
        (AuditEvent.Action.APPEAL_GRANTED, second_editor.pk, "refused", "published"),
    ]
    outcome = smtp_server.to(contributor.email)[-1].get_body().get_content()
    assert "Les sources figurent bien dans le texte." in outcome
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_upheld_refusal_stays_and_a_later_refusal_can_be_appealed_again(
    contributor, editor, second_editor, django_capture_on_commit_callbacks
):
    article = _refused_article(contributor, editor, django_capture_on_commit_callbacks)
    appeal = refusal_appeal_submit(item=article, by=contributor, explanation=APPEAL)
    appeal_decide(appeal=appeal, by=second_editor, outcome="upheld", statement="Refus maintenu.")
    article.refresh_from_db()
    assert article.status == PublicationStatus.REFUSED
    with pytest.raises(ModerationError):
        refusal_appeal_submit(item=article, by=contributor, explanation=APPEAL)
    # Corrected, submitted again and refused again: that new refusal can be appealed.
    publishing.article_submit(article=article, by=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        submission_refuse(article=article, by=second_editor, text="Toujours sans source.")
    article.refresh_from_db()
    second = refusal_appeal_submit(item=article, by=contributor, explanation=APPEAL)
    assert second.contested_by == second_editor
    assert Appeal.objects.filter(refused_id=article.pk).count() == 2


def test_a_refused_document_can_be_appealed_and_published(
    client, contributor, editor, second_editor, django_capture_on_commit_callbacks
):
    document = _refused_document(contributor, editor, django_capture_on_commit_callbacks)
    client.force_login(contributor)
    url = reverse("moderation:refusal_appeal_create", args=["document", document.pk])
    assert url in client.get(reverse("publishing:dashboard")).content.decode()
    assert _post(client, url).status_code == 302
    appeal = Appeal.objects.get(refused_id=document.pk)
    appeal_decide(appeal=appeal, by=second_editor, outcome="granted", statement="Document utile.")
    document.refresh_from_db()
    assert document.status == PublicationStatus.PUBLISHED


def test_only_the_author_may_appeal_and_only_a_refusal_in_time(
    client, contributor, editor, django_capture_on_commit_callbacks
):
    from steppe.accounts.tests.factories import UserFactory

    article = _refused_article(contributor, editor, django_capture_on_commit_callbacks)
    url = reverse("moderation:refusal_appeal_create", args=["article", article.pk])
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert _post(client, url).status_code == 404
    with pytest.raises(ModerationError):
        refusal_appeal_submit(item=article, by=editor, explanation=APPEAL)
    client.force_login(contributor)
    bad_kind = reverse("moderation:refusal_appeal_create", args=["profile", article.pk])
    assert client.get(bad_kind).status_code == 404
    # Past the time limit (the refusal's audit event is what counts).
    old = timezone.now() - timedelta(days=REFUSAL_APPEAL_DAYS + 1)
    from django.db import connection

    with connection.cursor() as cursor:  # the audit log refuses updates through the ORM
        cursor.execute(
            "UPDATE moderation_auditevent SET created_at = %s WHERE object_id = %s AND action = %s",
            [old, article.pk, AuditEvent.Action.REFUSED],
        )
    assert url not in client.get(reverse("publishing:dashboard")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "data-appeal-closed" in page.content.decode()
    assert _post(client, url).status_code == 409
    assert not Appeal.objects.exists()
