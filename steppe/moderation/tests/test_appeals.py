import re

from django.urls import reverse

import pytest

from steppe.core.models import PublicationStatus
from steppe.moderation.models import Appeal, AuditEvent, ReportCase
from steppe.moderation.services import (
    ModerationError,
    appeal_decide,
    appeal_submit,
    case_decide,
    report_submit,
)
from steppe.moderation.tokens import appeal_right_read, appeal_url
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _hidden_case(author, editor):
    article = ArticleFactory(published=True, author=author)
    report_submit(
        obj=article, category="disinformation", explanation="Faux.", reporter_email="r@example.org"
    )
    case = ReportCase.objects.get(object_id=article.pk)
    case_decide(
        case=case, by=editor, decision="hide", ground="disinformation", statement="À vérifier."
    )
    case.refresh_from_db()
    return article, case


def test_statement_carries_a_personal_appeal_link_that_works(
    client, contributor, editor, second_editor, smtp_server, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, author=contributor)
    report_submit(obj=article, category="spam", explanation="Pub.", reporter_email="r@example.org")
    case = ReportCase.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        case_decide(
            case=case, by=editor, decision="withdraw", ground="spam", statement="Publicité."
        )
    mail = smtp_server.to(contributor.email)[-1].get_body().get_content()
    link = re.search(r"http://\S+/moderation/contester/\S+/", mail).group(0)
    path = link.split("8000", 1)[1]
    # The token carries a timestamp to the second: compare what it grants, not its text.
    expected = appeal_url(case_id=case.pk, role="author", email=contributor.email)
    assert appeal_right_read(path.rstrip("/").rsplit("/", 1)[1]) == appeal_right_read(
        expected.rstrip("/").rsplit("/", 1)[1]
    )
    reporter_mail = smtp_server.to("r@example.org")[-1].get_body().get_content()
    assert path not in reporter_mail  # each recipient has a link of their own
    page = client.get(path)
    assert page.status_code == 200
    assert "Publicité." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            path, {"explanation": "Ce n'est pas de la publicité.", "website": "", "stamp": _stamp()}
        )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.role, appeal.email, appeal.contested_by) == ("author", contributor.email, editor)
    assert smtp_server.to(contributor.email)[-1]["Subject"]
    # Once only.
    again = client.post(path, {"explanation": "Encore.", "website": "", "stamp": _stamp()})
    assert again.status_code == 409
    assert "data-appeal-sent" in again.content.decode()
    assert Appeal.objects.count() == 1


def _stamp():
    from steppe.moderation.forms import form_stamp

    return form_stamp()


def test_forged_appeal_link_is_refused(client, contributor, editor):
    _article, case = _hidden_case(contributor, editor)
    path = appeal_url(case_id=case.pk, role="author", email=contributor.email)
    assert client.get(path[:-3] + "xx/").status_code == 404


def test_appeal_needs_a_decision_and_an_explanation(contributor, editor):
    article = ArticleFactory(published=True)
    report_submit(obj=article, category="spam", explanation="Pub.")
    case = ReportCase.objects.get()
    with pytest.raises(ModerationError):
        appeal_submit(case=case, role="reporter", email="r@example.org", explanation="Non.")
    _article, hidden = _hidden_case(contributor, editor)
    with pytest.raises(ModerationError):
        appeal_submit(case=hidden, role="author", email=contributor.email, explanation=" ")


def test_editor_cannot_decide_the_appeal_of_their_own_decision(
    client, contributor, editor, second_editor
):
    article, case = _hidden_case(contributor, editor)
    appeal = appeal_submit(
        case=case, role="author", email=contributor.email, explanation="Sources jointes."
    )
    with pytest.raises(ModerationError):
        appeal_decide(appeal=appeal, by=editor, outcome="granted", statement="Je me corrige.")
    client.force_login(editor)
    page = client.get(reverse("moderation:appeal_detail", args=[appeal.pk])).content.decode()
    assert "data-own-decision" in page
    assert reverse("moderation:appeal_decide", args=[appeal.pk]) not in page
    response = client.post(
        reverse("moderation:appeal_decide", args=[appeal.pk]),
        {"outcome": "granted", "statement": "Je me corrige."},
    )
    assert response.status_code == 403
    appeal.refresh_from_db()
    article.refresh_from_db()
    assert appeal.outcome == Appeal.Outcome.PENDING
    assert article.status == PublicationStatus.WITHDRAWN


def test_second_editor_reinstates_on_appeal(
    client, contributor, editor, second_editor, smtp_server, django_capture_on_commit_callbacks
):
    article, case = _hidden_case(contributor, editor)
    appeal = appeal_submit(
        case=case, role="author", email=contributor.email, explanation="Sources jointes."
    )
    client.force_login(second_editor)
    assert (
        f'data-appeal="{appeal.pk}"'
        in client.get(reverse("moderation:appeal_list")).content.decode()
    )
    decide = reverse("moderation:appeal_decide", args=[appeal.pk])
    assert client.post(decide, {"outcome": "granted", "statement": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"outcome": "granted", "statement": "Les sources tiennent."})
    assert response.status_code == 302
    article.refresh_from_db()
    case.refresh_from_db()
    appeal.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED
    assert case.status == ReportCase.Status.REINSTATED
    assert (appeal.outcome, appeal.decided_by) == (Appeal.Outcome.GRANTED, second_editor)
    assert "Les sources tiennent." in smtp_server.to(contributor.email)[-1].get_body().get_content()
    event = AuditEvent.objects.for_object(article).filter(action="appeal_granted").get()
    assert (event.actor, event.status_before, event.status_after) == (
        second_editor,
        "withdrawn",
        "published",
    )
    with pytest.raises(ModerationError):
        appeal_decide(appeal=appeal, by=second_editor, outcome="upheld", statement="Encore.")


def test_reporter_appeal_of_a_dismissal_can_withdraw(contributor, editor, second_editor):
    article = ArticleFactory(published=True, author=contributor)
    report_submit(
        obj=article,
        category="privacy",
        explanation="Adresse privée.",
        reporter_email="r@example.org",
    )
    case = ReportCase.objects.get()
    case_decide(
        case=case, by=editor, decision="dismiss", ground="privacy", statement="Donnée publique."
    )
    appeal = appeal_submit(
        case=case, role="reporter", email="r@example.org", explanation="Elle ne l'est pas."
    )
    appeal_decide(appeal=appeal, by=second_editor, outcome="granted", statement="Donnée privée.")
    article.refresh_from_db()
    case.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    assert case.status == ReportCase.Status.WITHDRAWN


def test_upheld_appeal_changes_nothing(contributor, editor, second_editor):
    article, case = _hidden_case(contributor, editor)
    appeal = appeal_submit(case=case, role="author", email=contributor.email, explanation="Non.")
    appeal_decide(
        appeal=appeal, by=second_editor, outcome="upheld", statement="Décision maintenue."
    )
    article.refresh_from_db()
    case.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    assert case.status == ReportCase.Status.HIDDEN


def test_appeal_pages_are_for_editors_only(client, contributor, editor):
    _article, case = _hidden_case(contributor, editor)
    appeal = appeal_submit(case=case, role="author", email=contributor.email, explanation="Non.")
    urls = [
        reverse("moderation:appeal_list"),
        reverse("moderation:appeal_detail", args=[appeal.pk]),
    ]
    decide = reverse("moderation:appeal_decide", args=[appeal.pk])
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(contributor)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(decide, {"outcome": "granted", "statement": "Oui."}).status_code == 403
    appeal.refresh_from_db()
    assert appeal.outcome == Appeal.Outcome.PENDING


def test_appeal_list_query_count(client, editor, second_editor):
    from steppe.core.tests.utils import assert_queries_do_not_grow

    client.force_login(second_editor)

    def add(n):
        for _ in range(n):
            _article, case = _hidden_case(ArticleFactory().author, editor)
            appeal_submit(case=case, role="reporter", email="r@example.org", explanation="Non.")

    assert_queries_do_not_grow(client, reverse("moderation:appeal_list"), add)
