import time

from django.core import signing
from django.urls import reverse

import pytest

from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library.tests.factories import DocumentFactory
from steppe.moderation.forms import FORM_STAMP_SALT, form_stamp
from steppe.moderation.models import AuditEvent, Report, ReportCase
from steppe.moderation.services import ModerationError, case_decide, report_submit
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _report(**overrides) -> dict:
    return {
        "category": "disinformation",
        "explanation": "Le chiffre du deuxième paragraphe est faux.",
        "reporter_email": "",
        "website": "",
        "stamp": form_stamp(),
        **overrides,
    }


def _url(kind, pk):
    return reverse("moderation:report_create", args=[kind, pk])


def test_report_link_on_article_document_and_profile(client):
    article = ArticleFactory(published=True)
    document = DocumentFactory(published=True)
    for page, kind, pk in [
        (article.get_absolute_url(), "article", article.pk),
        (document.get_absolute_url(), "document", document.pk),
        (article.author.get_absolute_url(), "profile", article.author.pk),
    ]:
        assert f'href="{_url(kind, pk)}"' in client.get(page).content.decode()


def test_report_is_acknowledged_and_grouped_per_item(
    client, smtp_server, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("article", article.pk), _report(reporter_email="lectrice@example.org")
        )
    assert response.status_code == 302
    assert response.url == reverse("moderation:report_thanks")
    assert client.get(response.url).status_code == 200
    client.post(_url("article", article.pk), _report(category="spam"))
    other = ArticleFactory(published=True)
    client.post(_url("article", other.pk), _report())
    case = ReportCase.objects.get(object_id=article.pk)
    assert case.report_count == 2
    assert sorted(case.reports.values_list("category", flat=True)) == ["disinformation", "spam"]
    assert ReportCase.objects.count() == 2
    receipt = smtp_server.to("lectrice@example.org")
    assert len(receipt) == 1
    assert article.get_absolute_url() in receipt[0].get_body().get_content()
    assert AuditEvent.objects.for_object(article).filter(action="reported").count() == 2


def test_report_form_rejects_bad_input_and_keeps_it(client):
    article = ArticleFactory(published=True)
    response = client.post(
        _url("article", article.pk),
        _report(category="nonsense", explanation="Texte gardé", reporter_email="pas-une-adresse"),
    )
    assert response.status_code == 400
    assert "Texte gardé" in response.content.decode()
    assert not Report.objects.exists()


def test_report_only_on_public_items(client):
    draft = ArticleFactory(status=PublicationStatus.DRAFT)
    assert client.get(_url("article", draft.pk)).status_code == 404
    assert client.get(_url("document", DocumentFactory().pk)).status_code == 404
    assert client.get(_url("anything", draft.pk)).status_code == 404


def test_honeypot_and_too_fast_forms_are_answered_but_not_stored(client, settings):
    article = ArticleFactory(published=True)
    response = client.post(_url("article", article.pk), _report(website="http://spam.example"))
    assert response.status_code == 302
    settings.STEPPE_FORM_MIN_FILL_SECONDS = 3
    assert client.post(_url("article", article.pk), _report()).status_code == 302
    assert client.post(_url("article", article.pk), _report(stamp="forged")).status_code == 302
    assert not Report.objects.exists()
    old_stamp = signing.dumps(time.time() - 10, salt=FORM_STAMP_SALT)
    assert client.post(_url("article", article.pk), _report(stamp=old_stamp)).status_code == 302
    assert Report.objects.count() == 1


def test_reports_are_rate_limited_per_ip(client, settings):
    settings.STEPPE_REPORT_RATE_LIMIT = (2, 3600)
    article = ArticleFactory(published=True)
    url = _url("article", article.pk)
    assert client.post(url, _report()).status_code == 302
    assert client.post(url, _report()).status_code == 302
    assert client.post(url, _report()).status_code == 429
    assert client.post(url, _report(), REMOTE_ADDR="203.0.113.9").status_code == 302
    assert Report.objects.count() == 3


def test_report_form_page_query_count(client):
    article = ArticleFactory(published=True)
    assert_queries_do_not_grow(
        client,
        _url("article", article.pk),
        lambda n: [report_submit(obj=article, category="spam", explanation="x") for _ in range(n)],
    )


# --- Triage --------------------------------------------------------------------------------------


def _reported_article(**kwargs):
    article = ArticleFactory(published=True, **kwargs)
    report_submit(
        obj=article, category="harassment", explanation="Insultes.", reporter_email="r1@example.org"
    )
    report_submit(obj=article, category="harassment", explanation="Idem.")
    return article, ReportCase.objects.get(object_id=article.pk)


def test_hide_then_reinstate_keeps_the_publication_date(
    contributor, editor, second_editor, smtp_server, django_capture_on_commit_callbacks
):
    article, case = _reported_article(author=contributor)
    published_at = article.published_at
    with django_capture_on_commit_callbacks(execute=True):
        case_decide(
            case=case,
            by=editor,
            decision="hide",
            ground="harassment",
            statement="Propos à vérifier.",
        )
    article.refresh_from_db()
    case.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    assert case.status == ReportCase.Status.HIDDEN
    author_mail = smtp_server.to(contributor.email)[-1].get_body().get_content()
    assert "Propos à vérifier." in author_mail
    assert str(case.pk) in author_mail
    assert "Propos à vérifier." in smtp_server.to("r1@example.org")[-1].get_body().get_content()
    # A new report while hidden joins the same case.
    report_submit(obj=article, category="spam", explanation="Encore.")
    case.refresh_from_db()
    assert case.report_count == 3
    with django_capture_on_commit_callbacks(execute=True):
        case_decide(
            case=case,
            by=second_editor,
            decision="reinstate",
            ground="harassment",
            statement="Rien d'illégal.",
        )
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED
    assert article.published_at == published_at
    events = AuditEvent.objects.for_object(article).order_by("created_at", "id")
    assert [(e.action, e.actor_id) for e in events if e.action != "reported"] == [
        (AuditEvent.Action.HIDDEN, editor.pk),
        (AuditEvent.Action.REINSTATED, second_editor.pk),
    ]


def test_withdraw_and_dismiss(editor, contributor):
    article, case = _reported_article(author=contributor)
    case_decide(case=case, by=editor, decision="withdraw", ground="illegal", statement="Illégal.")
    article.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    other, other_case = _reported_article()
    case_decide(
        case=other_case, by=editor, decision="dismiss", ground="other", statement="Conforme."
    )
    other.refresh_from_db()
    other_case.refresh_from_db()
    assert other.status == PublicationStatus.PUBLISHED
    assert other_case.status == ReportCase.Status.DISMISSED
    # A report after the decision opens a new case.
    report_submit(obj=other, category="spam", explanation="Nouveau.")
    assert ReportCase.objects.filter(object_id=other.pk).count() == 2


def test_decision_rules(editor):
    _article, case = _reported_article()
    with pytest.raises(ModerationError):
        case_decide(case=case, by=editor, decision="hide", ground="spam", statement="  ")
    with pytest.raises(ModerationError):
        case_decide(case=case, by=editor, decision="reinstate", ground="spam", statement="Non.")
    report_submit(obj=UserFactory(), category="spam", explanation="Faux profil.")
    profile_case = ReportCase.objects.get(content_type__model="user")
    with pytest.raises(ModerationError):
        case_decide(case=profile_case, by=editor, decision="hide", ground="spam", statement="Non.")
    case_decide(case=profile_case, by=editor, decision="dismiss", ground="spam", statement="Vrai.")
    with pytest.raises(ModerationError):
        case_decide(
            case=profile_case, by=editor, decision="dismiss", ground="spam", statement="Bis."
        )


def test_documents_are_hidden_and_reinstated_through_the_library(editor, second_editor):
    document = DocumentFactory(published=True)
    published_at = document.published_at
    report_submit(obj=document, category="copyright", explanation="Copie d'un rapport payant.")
    case = ReportCase.objects.get()
    case_decide(case=case, by=editor, decision="hide", ground="copyright", statement="À vérifier.")
    document.refresh_from_db()
    assert document.status == PublicationStatus.WITHDRAWN
    case.refresh_from_db()
    case_decide(
        case=case,
        by=second_editor,
        decision="reinstate",
        ground="copyright",
        statement="Licence libre.",
    )
    document.refresh_from_db()
    assert document.status == PublicationStatus.PUBLISHED
    assert document.published_at == published_at
    actions = AuditEvent.objects.for_object(document).values_list("action", flat=True)
    assert set(actions) == {"reported", "hidden", "reinstated"}


def test_profile_report_reaches_the_profile_owner(
    contributor, editor, smtp_server, django_capture_on_commit_callbacks
):
    report_submit(obj=contributor, category="spam", explanation="Faux profil.")
    case = ReportCase.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        case_decide(
            case=case, by=editor, decision="dismiss", ground="spam", statement="Profil authentique."
        )
    assert "Profil authentique." in smtp_server.to(contributor.email)[-1].get_body().get_content()


def test_case_pages_are_for_editors_only(client, contributor, editor):
    _article, case = _reported_article()
    urls = [
        reverse("moderation:case_list"),
        reverse("moderation:case_detail", args=[case.pk]),
    ]
    decide = reverse("moderation:case_decide", args=[case.pk])
    data = {"decision": "withdraw", "ground": "spam", "statement": "Non."}
    for url in urls:
        assert client.get(url).status_code == 302
    assert client.post(decide, data).status_code == 302
    client.force_login(contributor)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(decide, data).status_code == 403
    case.refresh_from_db()
    assert case.status == ReportCase.Status.OPEN


def test_editor_decides_through_the_case_page(client, editor):
    article, case = _reported_article(title="Article signalé")
    client.force_login(editor)
    assert "Article signalé" in client.get(reverse("moderation:case_list")).content.decode()
    page = client.get(reverse("moderation:case_detail", args=[case.pk])).content.decode()
    assert "Insultes." in page
    assert 'value="hide"' in page
    assert 'value="reinstate"' not in page
    decide = reverse("moderation:case_decide", args=[case.pk])
    response = client.post(decide, {"decision": "hide", "ground": "harassment", "statement": ""})
    assert response.status_code == 400
    response = client.post(
        decide, {"decision": "hide", "ground": "harassment", "statement": "Vérification."}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    page = client.get(reverse("moderation:case_detail", args=[case.pk])).content.decode()
    assert 'value="reinstate"' in page
    assert 'value="dismiss"' not in page


def test_case_list_query_count(client, editor):
    client.force_login(editor)
    assert_queries_do_not_grow(
        client,
        reverse("moderation:case_list"),
        lambda n: [_reported_article() for _ in range(n)],
    )


def test_case_detail_query_count(client, editor):
    client.force_login(editor)
    article, case = _reported_article()
    assert_queries_do_not_grow(
        client,
        reverse("moderation:case_detail", args=[case.pk]),
        lambda n: [report_submit(obj=article, category="spam", explanation="x") for _ in range(n)],
    )
