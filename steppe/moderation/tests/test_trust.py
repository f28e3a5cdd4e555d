"""Trusted contributors: automatic promotion after accepted pieces, revocation by an editor."""

from django.urls import reverse

import pytest

from steppe.core.models import PublicationStatus
from steppe.moderation.models import AuditEvent, ReportCase
from steppe.moderation.services import (
    ModerationError,
    account_sanction,
    case_decide,
    report_submit,
    submission_publish,
    trust_set,
)
from steppe.publishing import services as publishing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_pieces(settings):
    settings.STEPPE_TRUSTED_AFTER = 3


def _accept(author, editor, capture, n=1, start=0):
    articles = []
    for i in range(start, start + n):
        article = publishing.article_draft_save(
            author=author,
            data=publishing.ArticleData(title=f"Article {i}", body_source=f"Texte numéro {i}."),
        )
        publishing.article_submit(article=article, by=author)
        with capture(execute=True):
            submission_publish(article=article, by=editor)
        articles.append(article)
    return articles


def test_promoted_after_the_configured_number_of_accepted_pieces(
    contributor, editor, django_capture_on_commit_callbacks, settings
):
    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 100
    _accept(contributor, editor, django_capture_on_commit_callbacks, n=2)
    contributor.refresh_from_db()
    assert not contributor.is_trusted
    _accept(contributor, editor, django_capture_on_commit_callbacks, n=1, start=2)
    contributor.refresh_from_db()
    assert contributor.is_trusted
    event = AuditEvent.objects.for_object(contributor).get(action="trusted")
    assert event.actor is None
    assert event.details == {"automatic": True}
    # From now on a submission is published at once.
    article = publishing.article_draft_save(
        author=contributor, data=publishing.ArticleData(title="Direct", body_source="Texte.")
    )
    publishing.article_submit(article=article, by=contributor)
    assert article.status == PublicationStatus.PUBLISHED


def test_an_upheld_report_prevents_promotion(
    contributor, editor, second_editor, django_capture_on_commit_callbacks, settings
):
    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 100
    (first,) = _accept(contributor, editor, django_capture_on_commit_callbacks)
    report_submit(obj=first, category="disinformation", explanation="Chiffres inventés.")
    case_decide(
        case=ReportCase.objects.get(),
        by=second_editor,
        decision="withdraw",
        ground="disinformation",
        statement="Chiffres faux.",
    )
    _accept(contributor, editor, django_capture_on_commit_callbacks, n=3, start=1)
    contributor.refresh_from_db()
    assert not contributor.is_trusted


def test_a_sanction_prevents_promotion(
    contributor, editor, django_capture_on_commit_callbacks, settings
):
    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 100
    account_sanction(account=contributor, by=editor, kind="warning", ground="spam", statement="x")
    _accept(contributor, editor, django_capture_on_commit_callbacks, n=3)
    contributor.refresh_from_db()
    assert not contributor.is_trusted


def test_revoked_by_an_editor_and_never_promoted_again_automatically(
    contributor, editor, django_capture_on_commit_callbacks, settings
):
    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 100
    trust_set(account=contributor, trusted=True, by=editor, reason="Correspondante fiable.")
    with pytest.raises(ModerationError):
        trust_set(account=contributor, trusted=False, by=editor, reason="")  # a reason is required
    trust_set(account=contributor, trusted=False, by=editor, reason="Sources douteuses.")
    contributor.refresh_from_db()
    assert not contributor.is_trusted
    revoked = AuditEvent.objects.for_object(contributor).get(action="trust_revoked")
    assert (revoked.actor, revoked.reason) == (editor, "Sources douteuses.")
    # Revoked: submissions go to the queue, and more accepted pieces do not promote again.
    _accept(contributor, editor, django_capture_on_commit_callbacks, n=3)
    contributor.refresh_from_db()
    assert not contributor.is_trusted


def test_only_editors_change_the_trusted_status(client, contributor, editor):
    with pytest.raises(ModerationError):
        trust_set(account=contributor, trusted=True, by=contributor)
    client.force_login(contributor)
    url = reverse("moderation:account_trust", args=[contributor.pk])
    assert client.post(url, {"trusted": "1"}).status_code == 403
    client.force_login(editor)
    assert client.post(url, {"trusted": "1"}).status_code == 302
    contributor.refresh_from_db()
    assert contributor.is_trusted
    response = client.post(url, {"trusted": "0", "reason": ""})
    assert response.status_code == 400
    assert client.post(url, {"trusted": "0", "reason": "Plagiat."}).status_code == 302
    contributor.refresh_from_db()
    assert not contributor.is_trusted


def test_accepted_library_documents_count_towards_promotion(
    contributor, editor, django_capture_on_commit_callbacks, settings
):
    from steppe.moderation.services import document_submission_publish
    from steppe.moderation.tests.helpers import submitted_document

    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 100
    _accept(contributor, editor, django_capture_on_commit_callbacks, n=2)
    document = submitted_document(contributor)
    contributor.refresh_from_db()
    assert not contributor.is_trusted
    with django_capture_on_commit_callbacks(execute=True):
        document_submission_publish(document=document, by=editor)
    contributor.refresh_from_db()
    assert contributor.is_trusted
