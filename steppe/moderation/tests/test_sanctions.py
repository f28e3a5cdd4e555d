"""Account actions: warn, suspend (items offline, restored after), ban; appeals; permissions."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.library import services as library
from steppe.moderation.models import Appeal, AuditEvent, ReportCase, Sanction
from steppe.moderation.services import (
    ModerationError,
    account_sanction,
    appeal_decide,
    appeal_submit,
    sanction_lift,
    sanctions_expire,
)
from steppe.moderation.tokens import appeal_right_read
from steppe.publishing import services as publishing
from steppe.publishing.models import Article

pytestmark = pytest.mark.django_db


def _published(author, title="Les pâturages du Naryn", body="Les bergers montent en juin."):
    article = publishing.article_draft_save(
        author=author, data=publishing.ArticleData(title=title, body_source=body)
    )
    return publishing.article_publish(article=article, by=None)


def _suspend(account, by, days=7, **kwargs):
    return account_sanction(
        account=account,
        by=by,
        kind="suspension",
        ground="spam",
        statement="Publicité répétée pour un hôtel.",
        days=days,
        **kwargs,
    )


def test_warning_is_mailed_logged_and_shown_on_the_dashboard(
    client, contributor, editor, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sanction = account_sanction(
            account=contributor,
            by=editor,
            kind="warning",
            ground="harassment",
            statement="Propos insultants dans un article.",
        )
    mail = smtp_server.to(contributor.email)[-1]
    body = mail.get_body().get_content()
    assert "avertissement" in mail["Subject"].lower()
    assert "Propos insultants dans un article." in body
    assert "/moderation/contester/" in body
    event = AuditEvent.objects.for_object(contributor).get()
    assert (event.action, event.actor, event.details["sanction"]) == (
        AuditEvent.Action.WARNED,
        editor,
        sanction.pk,
    )
    client.force_login(contributor)
    html = client.get(reverse("publishing:dashboard")).content.decode()
    assert f'data-sanction="{sanction.pk}"' in html
    assert "Propos insultants dans un article." in html


def test_suspension_hides_items_blocks_submission_and_restores_after(
    contributor, editor, django_capture_on_commit_callbacks
):
    online = _published(contributor)
    draft = publishing.article_draft_save(
        author=contributor, data=publishing.ArticleData(title="Brouillon", body_source="Texte")
    )
    published_at = online.published_at
    with django_capture_on_commit_callbacks(execute=True):
        sanction = _suspend(contributor, editor)
    online.refresh_from_db()
    assert online.status == PublicationStatus.WITHDRAWN
    assert sanction.hidden_items == [["publishing", "article", online.pk]]
    withdrawn = AuditEvent.objects.for_object(online).filter(action="withdrawn").get()
    assert withdrawn.actor == editor  # the publishing signal carries the actor
    # The account can sign in but not submit: the draft stays a draft, text kept.
    contributor.refresh_from_db()
    assert contributor.is_active
    with pytest.raises(publishing.PublishingError, match="suspendu"):
        publishing.article_submit(article=draft, by=contributor)
    draft.refresh_from_db()
    assert (draft.status, draft.body_source) == (PublicationStatus.DRAFT, "Texte")
    # The period ends: the command puts the item back where it was.
    Sanction.objects.filter(pk=sanction.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sanctions_expire() == 1
    online.refresh_from_db()
    sanction.refresh_from_db()
    assert online.status == PublicationStatus.PUBLISHED
    assert online.published_at == published_at
    assert sanction.status == Sanction.Status.ENDED
    assert AuditEvent.objects.for_object(contributor).filter(action="sanction_ended").exists()
    publishing.article_submit(article=draft, by=contributor)  # allowed again


def test_a_suspension_past_its_end_is_ended_on_the_next_submission(contributor, editor):
    draft = publishing.article_draft_save(
        author=contributor, data=publishing.ArticleData(title="T", body_source="B")
    )
    sanction = _suspend(contributor, editor)
    Sanction.objects.filter(pk=sanction.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    publishing.article_submit(article=draft, by=contributor)
    sanction.refresh_from_db()
    assert sanction.status == Sanction.Status.ENDED


def test_an_item_withdrawn_by_a_report_during_the_suspension_stays_offline(
    contributor, editor, second_editor
):
    from steppe.moderation.services import case_decide, report_submit

    reported = _published(contributor, title="Contrefaçon")
    kept = _published(contributor, title="Reportage", body="Autre texte.")
    report_submit(obj=reported, category="copyright", explanation="Copié d'un journal.")
    sanction = _suspend(contributor, editor)
    case = ReportCase.objects.get()
    case_decide(case=case, by=second_editor, decision="withdraw", ground="copyright", statement="x")
    sanction_lift(sanction=sanction, by=second_editor, reason="Erreur de compte.")
    reported.refresh_from_db()
    kept.refresh_from_db()
    assert reported.status == PublicationStatus.WITHDRAWN
    assert kept.status == PublicationStatus.PUBLISHED


def test_ban_closes_the_account_and_withdraws_its_items(
    client, contributor, editor, django_capture_on_commit_callbacks
):
    contributor.set_password("un-mot-de-passe-solide")
    contributor.is_trusted = True
    contributor.save()
    article = _published(contributor)
    document = library.document_create(contributor=contributor, title="Rapport sur l'eau")
    library.document_publish(document=document, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        sanction = account_sanction(
            account=contributor, by=editor, kind="ban", ground="illegal", statement="Escroquerie."
        )
    contributor.refresh_from_db()
    article.refresh_from_db()
    document.refresh_from_db()
    assert not contributor.is_active
    assert not contributor.is_trusted  # revoked through the trust service, audited
    assert AuditEvent.objects.for_object(contributor).filter(action="trust_revoked").exists()
    assert article.status == document.status == PublicationStatus.WITHDRAWN
    assert len(sanction.hidden_items) == 2
    response = client.post(
        reverse("account_login"),
        {"login": contributor.email, "password": "un-mot-de-passe-solide"},
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert "tableau-de-bord" not in response.url


def test_a_granted_appeal_by_another_editor_lifts_the_ban(
    client, contributor, editor, second_editor, smtp_server, django_capture_on_commit_callbacks
):
    article = _published(contributor)
    with django_capture_on_commit_callbacks(execute=True):
        sanction = account_sanction(
            account=contributor, by=editor, kind="ban", ground="spam", statement="Spam."
        )
    link = re.search(
        r"/moderation/contester/\S+/",
        smtp_server.to(contributor.email)[-1].get_body().get_content(),
    ).group(0)
    right = appeal_right_read(link.rstrip("/").rsplit("/", 1)[1])
    assert right.sanction_id == sanction.pk
    from steppe.moderation.antispam import form_stamp

    form_page = client.get(link).content.decode()
    assert "Spam." in form_page
    assert f"S{sanction.pk}" in form_page
    response = client.post(link, {"explanation": "Je ne vends rien.", "stamp": form_stamp()})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.sanction, appeal.case, appeal.contested_by) == (sanction, None, editor)
    # The editor who banned cannot decide the appeal, neither in the service nor in the page.
    with pytest.raises(ModerationError):
        appeal_decide(appeal=appeal, by=editor, outcome="granted", statement="Non.")
    client.force_login(editor)
    url = reverse("moderation:appeal_decide", args=[appeal.pk])
    listing = client.get(reverse("moderation:appeal_list")).content.decode()
    assert f'data-appeal="{appeal.pk}"' in listing
    assert contributor.public_name in listing
    assert client.post(url, {"outcome": "granted", "statement": "x"}).status_code == 403
    assert (
        "data-own-decision"
        in client.get(reverse("moderation:appeal_detail", args=[appeal.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(
            appeal=appeal, by=second_editor, outcome="granted", statement="Pas de spam avéré."
        )
    contributor.refresh_from_db()
    article.refresh_from_db()
    sanction.refresh_from_db()
    assert contributor.is_active
    assert article.status == PublicationStatus.PUBLISHED
    assert sanction.status == Sanction.Status.LIFTED
    assert "Pas de spam avéré." in smtp_server.to(contributor.email)[-1].get_body().get_content()
    assert (
        AuditEvent.objects.for_object(contributor)
        .filter(action="appeal_granted", actor=second_editor)
        .exists()
    )


def test_a_sanction_is_appealed_once(contributor, editor):
    sanction = account_sanction(
        account=contributor, by=editor, kind="warning", ground="spam", statement="x"
    )
    appeal_submit(sanction=sanction, role="author", email=contributor.email, explanation="Non.")
    with pytest.raises(ModerationError):
        appeal_submit(sanction=sanction, role="author", email=contributor.email, explanation="Re.")


def test_sanction_rules(contributor, editor, second_editor):
    other = UserFactory()
    with pytest.raises(ModerationError):  # only editors sanction
        account_sanction(
            account=contributor, by=other, kind="warning", ground="spam", statement="x"
        )
    with pytest.raises(ModerationError):  # editors are handled by the administrators
        account_sanction(
            account=second_editor, by=editor, kind="warning", ground="spam", statement="x"
        )
    with pytest.raises(ModerationError):  # a statement is required
        account_sanction(
            account=contributor, by=editor, kind="warning", ground="spam", statement=" "
        )
    with pytest.raises(ModerationError):  # a suspension has a period
        _suspend(contributor, editor, days=0)
    _suspend(contributor, editor)
    with pytest.raises(ModerationError):  # one suspension at a time
        _suspend(contributor, editor)
    ban = account_sanction(account=contributor, by=editor, kind="ban", ground="spam", statement="x")
    assert Sanction.objects.filter(kind="suspension", status="lifted").count() == 1
    assert ban.status == Sanction.Status.ACTIVE


def test_account_pages_are_for_editors_only(client, contributor, editor):
    target = UserFactory()
    urls = [
        ("get", reverse("moderation:account_detail", args=[target.pk]), {}),
        (
            "post",
            reverse("moderation:account_sanction", args=[target.pk]),
            {"kind": "warning", "ground": "spam", "statement": "x"},
        ),
        ("post", reverse("moderation:account_trust", args=[target.pk]), {"trusted": "1"}),
    ]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302
        assert reverse("account_login") in response.url
    client.force_login(contributor)
    for method, url, data in urls:
        assert getattr(client, method)(url, data).status_code == 403
    assert not Sanction.objects.exists()
    target.refresh_from_db()
    assert not target.is_trusted


def test_editor_suspends_and_lifts_through_the_account_page(
    client, contributor, editor, django_capture_on_commit_callbacks
):
    article = _published(contributor)
    client.force_login(editor)
    page = reverse("moderation:account_detail", args=[contributor.pk])
    assert client.get(page).status_code == 200
    url = reverse("moderation:account_sanction", args=[contributor.pk])
    missing_days = client.post(url, {"kind": "suspension", "ground": "spam", "statement": "Pub."})
    assert missing_days.status_code == 400
    assert "Pub." in missing_days.content.decode()  # nothing typed is lost
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"kind": "suspension", "days": "3", "ground": "spam", "statement": "Pub."}
        )
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.ends_at > timezone.now() + timedelta(days=2)
    html = client.get(page).content.decode()
    assert f'data-active-sanction="{sanction.pk}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:sanction_lift", args=[sanction.pk]), {"reason": "Regrets."}
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED


def test_account_page_query_count(client, editor):
    from steppe.core.tests.utils import count_queries

    target = UserFactory()
    client.force_login(editor)
    url = reverse("moderation:account_detail", args=[target.pk])
    client.get(url)
    few = count_queries(client, url)
    for _ in range(5):
        account_sanction(account=target, by=editor, kind="warning", ground="spam", statement="x")
    assert count_queries(client, url) == few


# --- A suspended account's items are nowhere public ----------------------------------------------


def test_a_suspended_accounts_items_are_not_shown_anywhere_public(
    client, contributor, editor, django_capture_on_commit_callbacks
):
    from steppe.taxonomy.models import Country

    kazakhstan = Country.objects.get(code="KZ")
    with django_capture_on_commit_callbacks(execute=True):
        article = publishing.article_draft_save(
            author=contributor,
            data=publishing.ArticleData(
                title="Transhumance vers les alpages",
                body_source="Les troupeaux gagnent les alpages du Tian Shan.",
                countries=[kazakhstan],
            ),
        )
        publishing.article_publish(article=article, by=None)
    pages = [
        reverse("publishing:home"),
        reverse("publishing:kind_detail", args=["actualites"]),
        reverse("publishing:country_detail", args=[kazakhstan.slug]),
        contributor.get_absolute_url(),
        "/flux/",
        "/api/v1/articles",
        reverse("search:search") + "?q=transhumance",
    ]
    marker = article.slug  # in every link to it (titles may be highlighted in search results)
    for url in pages:
        assert marker in client.get(url).content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        _suspend(contributor, editor)
    from django.core.cache import cache

    cache.clear()  # feeds and pages cached until the signal: make sure the signal did the job
    for url in pages:
        assert marker not in client.get(url).content.decode(), url
    assert client.get(article.get_absolute_url()).status_code == 404


def test_sanctioned_items_query_nothing_extra_in_public_listings(contributor, editor):
    """Hiding goes through the item's status: listings need no join on sanctions."""
    _published(contributor)
    _suspend(contributor, editor)
    sql = str(Article.objects.published().query)
    assert "moderation" not in sql
