from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from steppe.accounts.models import User
from steppe.accounts.tests.factories import OrganisationFactory, UserFactory
from steppe.core.models import PublicationStatus
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.moderation.models import AuditEvent, RefusalReason
from steppe.moderation.services import ModerationError, submission_refuse
from steppe.publishing import services as publishing
from steppe.publishing.models import Article, ArticleRevision
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db

QUEUE = "moderation:queue"


def _submitted(days_ago: float = 0, **kwargs) -> Article:
    return ArticleFactory(
        status=PublicationStatus.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


def _pending_edit(article: Article, title: str = "Titre corrigé") -> ArticleRevision:
    data = publishing.ArticleData.from_article(article)
    data.title = title
    return publishing.article_edit_propose(article=article, by=article.author, data=data)


def _listed(html: str, marker: str) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(rf'data-{marker}="(\d+)"', html)]


def test_queue_is_for_editors_only(client, contributor):
    article = _submitted()
    revision = _pending_edit(ArticleFactory(published=True, author=contributor))
    pages = [reverse(QUEUE), reverse("moderation:review", args=[article.pk])]
    posts = [
        (reverse("moderation:review_publish", args=[article.pk]), {}),
        (reverse("moderation:review_refuse", args=[article.pk]), {"text": "Non."}),
        (reverse("moderation:edit_apply", args=[revision.pk]), {}),
        (reverse("moderation:edit_reject", args=[revision.pk]), {"text": "Non."}),
    ]
    for url in pages:
        assert client.get(url).status_code == 302
    client.force_login(contributor)
    for url in pages:
        assert client.get(url).status_code == 403
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    article.refresh_from_db()
    revision.refresh_from_db()
    assert article.status == PublicationStatus.SUBMITTED
    assert revision.state == ArticleRevision.State.PENDING
    assert not AuditEvent.objects.exclude(action="published").exists()


def test_queue_lists_the_oldest_first_and_filters(client, editor):
    kz = Country.objects.get(code="KZ")
    mn = Country.objects.get(code="MN")
    ngo = OrganisationFactory()
    individual = UserFactory()
    old = _submitted(days_ago=10, kind=Article.Kind.OPINION, author=ngo, countries=[kz])
    middle = _submitted(days_ago=2, kind=Article.Kind.NEWS, author=individual, countries=[mn])
    new = _submitted(days_ago=0, kind=Article.Kind.NEWS, author=ngo, countries=[kz, mn])
    ArticleFactory(status=PublicationStatus.DRAFT)
    client.force_login(editor)
    url = reverse(QUEUE)

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return _listed(response.content.decode(), "article")

    assert listed() == [old.pk, middle.pk, new.pk]
    assert listed(kind="news") == [middle.pk, new.pk]
    assert listed(country="KZ") == [old.pk, new.pk]
    assert listed(author_kind=User.Kind.NGO) == [old.pk, new.pk]
    assert listed(age="1") == [old.pk, middle.pk]
    assert listed(age="7", country="KZ") == [old.pk]
    assert listed(country="ZZ") == [old.pk, middle.pk, new.pk]  # an unknown value filters nothing


def test_queue_filters_edits_too(client, editor):
    kz = Country.objects.get(code="KZ")
    opinion = ArticleFactory(published=True, kind=Article.Kind.OPINION, countries=[kz])
    news = ArticleFactory(published=True, kind=Article.Kind.NEWS)
    first = _pending_edit(opinion)
    second = _pending_edit(news)
    client.force_login(editor)
    html = client.get(reverse(QUEUE)).content.decode()
    assert _listed(html, "revision") == [first.pk, second.pk]
    html = client.get(reverse(QUEUE), {"country": "KZ"}).content.decode()
    assert _listed(html, "revision") == [first.pk]


def test_publish_from_queue_is_logged(
    client, editor, contributor, smtp_server, django_capture_on_commit_callbacks
):
    article = _submitted(author=contributor)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("moderation:review_publish", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED
    event = AuditEvent.objects.for_object(article).get()
    assert (event.action, event.actor, event.status_before, event.status_after) == (
        "published",
        editor,
        "submitted",
        "published",
    )
    assert smtp_server.to(contributor.email)


def test_refuse_with_templates_and_free_text(
    client, editor, contributor, smtp_server, django_capture_on_commit_callbacks
):
    sources = RefusalReason.objects.create(
        title="Sources", text="Les sources manquent.", position=1
    )
    RefusalReason.objects.create(title="Hors sujet", text="Hors du champ de Steppe.", position=2)
    RefusalReason.objects.create(title="Archivé", text="Ancien motif.", is_active=False)
    article = _submitted(author=contributor)
    client.force_login(editor)
    page = client.get(reverse("moderation:review", args=[article.pk])).content.decode()
    assert "Hors sujet" in page
    assert "Archivé" not in page
    refuse = reverse("moderation:review_refuse", args=[article.pk])
    response = client.post(refuse, {"text": "  "})
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.status == PublicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(refuse, {"reasons": [sources.pk], "text": "Citez le rapport."})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == PublicationStatus.REFUSED
    assert article.decision_reason == "Les sources manquent.\n\nCitez le rapport."
    mail = smtp_server.to(contributor.email)[-1].get_body().get_content()
    assert "Les sources manquent." in mail
    assert "Citez le rapport." in mail
    event = AuditEvent.objects.for_object(article).get()
    assert event.action == "refused"
    assert event.reason == article.decision_reason


def test_refuse_service_needs_a_reason_and_a_submission(editor):
    with pytest.raises(ModerationError):
        submission_refuse(article=_submitted(), by=editor, text="")
    with pytest.raises(ModerationError):
        submission_refuse(article=ArticleFactory(published=True), by=editor, text="Non.")


def test_edit_review_shows_diff_and_applies_or_rejects(
    client, editor, contributor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, author=contributor, title="Titre initial")
    revision = _pending_edit(article, title="Titre amélioré")
    client.force_login(editor)
    page = client.get(reverse("moderation:review", args=[article.pk])).content.decode()
    assert "-Titre initial" in page
    assert "+Titre amélioré" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:edit_apply", args=[revision.pk]))
    article.refresh_from_db()
    assert article.title == "Titre amélioré"
    other = _pending_edit(article, title="Encore un titre")
    response = client.post(reverse("moderation:edit_reject", args=[other.pk]), {"text": ""})
    assert response.status_code == 400
    client.post(reverse("moderation:edit_reject", args=[other.pk]), {"text": "Titre trompeur."})
    other.refresh_from_db()
    assert other.state == ArticleRevision.State.REJECTED
    assert other.reason == "Titre trompeur."
    actions = list(
        AuditEvent.objects.for_object(article).order_by("id").values_list("action", "actor")
    )
    assert actions == [("edit_applied", editor.pk), ("edit_rejected", editor.pk)]


def test_queue_query_count(client, editor):
    kz = Country.objects.get(code="KZ")
    client.force_login(editor)

    def add(n):
        for _ in range(n):
            _submitted(author=OrganisationFactory(), countries=[kz])
            _pending_edit(ArticleFactory(published=True, countries=[kz]))

    assert_queries_do_not_grow(client, reverse(QUEUE), add)
    assert_queries_do_not_grow(
        client, reverse(QUEUE) + "?country=KZ&kind=news&author_kind=ngo", add
    )


def test_review_page_query_count(client, editor):
    kz = Country.objects.get(code="KZ")
    article = _submitted(countries=[kz])
    RefusalReason.objects.create(title="A", text="a")
    client.force_login(editor)

    def add(n):
        for i in range(n):
            RefusalReason.objects.create(
                title=f"Motif {RefusalReason.objects.count()} {i}", text="x"
            )

    assert_queries_do_not_grow(client, reverse("moderation:review", args=[article.pk]), add)
