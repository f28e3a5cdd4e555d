import pytest

from steppe.core.models import PublicationStatus
from steppe.moderation.models import AuditEvent, AuditLogError
from steppe.moderation.services import audit_record
from steppe.publishing import services as publishing
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_audit_event_cannot_be_changed_or_deleted(editor):
    article = ArticleFactory(published=True)
    event = audit_record(action=AuditEvent.Action.PUBLISHED, obj=article, actor=editor)
    event.reason = "rewritten"
    with pytest.raises(AuditLogError):
        event.save()
    with pytest.raises(AuditLogError):
        event.delete()
    with pytest.raises(AuditLogError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AuditLogError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.reason == ""
    assert event.actor_name == editor.public_name


def test_admin_of_audit_log_is_read_only(admin_client, editor, settings):
    settings.STEPPE_EDITOR_MFA_REQUIRED = False
    from django.urls import reverse

    article = ArticleFactory(published=True)
    event = audit_record(action=AuditEvent.Action.PUBLISHED, obj=article, actor=editor)
    assert admin_client.get(reverse("admin:moderation_auditevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:moderation_auditevent_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:moderation_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    detail = admin_client.get(reverse("admin:moderation_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert b'name="reason"' not in detail.content
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_signals_log_changes_made_outside_moderation(
    contributor, django_capture_on_commit_callbacks
):
    contributor.is_trusted = True
    contributor.save()
    article = publishing.article_draft_save(
        author=contributor, data=publishing.ArticleData(title="Titre", body_source="Corps")
    )
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_submit(article=article, by=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_withdraw(article=article, by=contributor)
    events = list(AuditEvent.objects.for_object(article).order_by("created_at", "id"))
    assert [(e.action, e.status_before, e.status_after) for e in events] == [
        (AuditEvent.Action.PUBLISHED, "", PublicationStatus.PUBLISHED),
        (AuditEvent.Action.WITHDRAWN, PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN),
    ]
    assert all(e.actor == contributor for e in events)  # the signals carry the actor


def test_signal_of_a_logged_decision_is_not_logged_twice(
    contributor, editor, django_capture_on_commit_callbacks
):
    from steppe.moderation.services import submission_publish

    article = ArticleFactory(author=contributor, status=PublicationStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        submission_publish(article=article, by=editor)
    events = list(AuditEvent.objects.for_object(article))
    assert len(events) == 1
    assert events[0].actor == editor
    # A later change from the admin (no moderation service) is logged.
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_update(article=article, title="Nouveau titre")
    actions = list(AuditEvent.objects.for_object(article).values_list("action", flat=True))
    assert sorted(actions) == sorted([AuditEvent.Action.PUBLISHED, AuditEvent.Action.CHANGED])


def test_audit_log_page_is_for_editors_only(client, editor, contributor):
    from django.urls import reverse

    url = reverse("moderation:audit_log")
    assert client.get(url).status_code == 302
    client.force_login(contributor)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    article = ArticleFactory(published=True, title="Objet journalisé")
    audit_record(action=AuditEvent.Action.HIDDEN, obj=article, actor=editor, reason="motif 42")
    html = client.get(url).content.decode()
    assert "Objet journalisé" in html
    assert "motif 42" in html


def test_audit_log_page_query_count(client, editor):
    from django.urls import reverse

    from steppe.core.tests.utils import assert_queries_do_not_grow

    client.force_login(editor)

    def add(n):
        for article in ArticleFactory.create_batch(n, published=True):
            audit_record(action=AuditEvent.Action.PUBLISHED, obj=article, actor=editor)

    assert_queries_do_not_grow(client, reverse("moderation:audit_log"), add)


def test_deleting_an_editor_keeps_their_events_with_their_name(editor):
    article = ArticleFactory(published=True)
    event = audit_record(action=AuditEvent.Action.HIDDEN, obj=article, actor=editor)
    name = editor.public_name
    editor.delete()
    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_name == name
