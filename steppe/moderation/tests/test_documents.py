"""Library documents in the review queue: listing, review page, decisions, e-mails, audit, appeals."""

import io
import re

from django.urls import reverse
from django.utils import timezone

import pytest

from steppe.accounts.models import User
from steppe.accounts.tests.factories import OrganisationFactory, UserFactory
from steppe.core.models import PublicationStatus
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library import services as library
from steppe.library.models import Document, DocumentVersion
from steppe.library.signals import document_changed, document_published, document_unpublished
from steppe.library.tests import pdfs
from steppe.library.tests.factories import DocumentFactory
from steppe.moderation import services
from steppe.moderation.models import Appeal, AuditEvent, RefusalReason, ReportCase
from steppe.moderation.tests.helpers import submitted_document
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db

QUEUE = "moderation:queue"


@pytest.fixture(autouse=True)
def library_temp_dir(settings, tmp_path):
    settings.STEPPE_LIBRARY_TEMP_DIR = str(tmp_path / "library-tmp")
    return tmp_path / "library-tmp"


def _submitted(contributor=None, *, days_ago: float = 0, countries=(), **kwargs) -> Document:
    return submitted_document(contributor, days_ago=days_ago, countries=countries, **kwargs)


def _uploaded_and_submitted(contributor, capture) -> Document:
    """The real path: a PDF uploaded, analysed (immediate tasks) and submitted by its contributor."""
    data = pdfs.make_pdf(pages=4, outline=[("Introduction", 1), ("Recommandations", 3)])
    with capture(execute=True):
        outcome = library.document_upload(
            by=contributor,
            record=library.DocumentRecord(
                title="Rapport sur les pâturages",
                presentation_source="Un rapport sur la gestion des pâturages d'altitude.",
            ),
            upload=io.BytesIO(data),
            filename="pâturages.pdf",
        )
    with capture(execute=True):
        library.document_submit(document=outcome.document, by=contributor)
    outcome.document.refresh_from_db()
    return outcome.document


def _listed(html: str, marker: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'data-{marker}="(\d+)"', html)]


# --- Queue -------------------------------------------------------------------------------------


def test_submitted_documents_are_in_the_queue_oldest_first_and_filtered(client, editor):
    kz = Country.objects.get(code="KZ")
    mn = Country.objects.get(code="MN")
    ngo = OrganisationFactory()
    old = _submitted(ngo, days_ago=10, countries=[kz])
    middle = _submitted(UserFactory(), days_ago=2, countries=[mn])
    new = _submitted(ngo, days_ago=0, countries=[kz, mn])
    DocumentFactory(status=PublicationStatus.DRAFT)  # a draft is the contributor's own
    DocumentFactory(published=True)
    article = ArticleFactory(status=PublicationStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(editor)

    def listed(marker="document", **params):
        response = client.get(reverse(QUEUE), params)
        assert response.status_code == 200
        return _listed(response.content.decode(), marker)

    assert listed() == [old.pk, middle.pk, new.pk]
    assert listed(country="KZ") == [old.pk, new.pk]
    assert listed(author_kind=User.Kind.NGO) == [old.pk, new.pk]
    assert listed(age="1") == [old.pk, middle.pk]
    assert listed(age="7", country="KZ") == [old.pk]
    # The "document" kind shows documents only; an article kind shows no document.
    assert listed(kind="document") == [old.pk, middle.pk, new.pk]
    assert listed("article", kind="document") == []
    assert listed(kind="news") == []
    assert listed("article", kind=article.kind) == [article.pk]


def test_queue_query_count_with_documents(client, editor):
    kz = Country.objects.get(code="KZ")
    client.force_login(editor)

    def add(n):
        for _ in range(n):
            _submitted(OrganisationFactory(), countries=[kz])
            ArticleFactory(
                status=PublicationStatus.SUBMITTED, submitted_at=timezone.now(), countries=[kz]
            )

    assert_queries_do_not_grow(client, reverse(QUEUE), add)
    assert_queries_do_not_grow(client, reverse(QUEUE) + "?kind=document&country=KZ", add)
    assert_queries_do_not_grow(client, reverse(QUEUE) + "?kind=news&author_kind=ngo", add)


def test_the_queue_never_reads_the_extracted_text(client, editor):
    _submitted(text_content="x" * 10_000)
    client.force_login(editor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(QUEUE)).status_code == 200
    document_queries = [q["sql"] for q in captured if 'FROM "library_document"' in q["sql"]]
    assert document_queries
    assert not any('"text_content"' in sql for sql in document_queries)


# --- Review page -------------------------------------------------------------------------------


def test_review_page_shows_record_chapters_version_and_near_duplicate(
    client, editor, contributor, django_capture_on_commit_callbacks
):
    published = DocumentFactory(
        published=True,
        subtitle="",
        title="Rapport sur les pâturages",
        presentation_source="Un rapport sur la gestion des pâturages d'altitude.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        library.document_publish(document=published, by=editor, at=published.published_at)
    document = _uploaded_and_submitted(contributor, django_capture_on_commit_callbacks)
    assert document.current_version.intake_status == DocumentVersion.IntakeStatus.READY
    client.force_login(editor)
    response = client.get(reverse("moderation:document_review", args=[document.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapport sur les pâturages" in html
    assert "Introduction" in html
    assert "Recommandations" in html
    download = reverse("library:document_version_download", args=[document.slug, 1])
    assert download in html
    assert 'data-intake="ready"' in html
    assert 'data-near-duplicate="' in html  # the same record is already in the library
    queue = client.get(reverse(QUEUE)).content.decode()
    assert _listed(queue, "document") == [document.pk]
    assert "data-near-duplicate" in queue
    # The editor downloads the file of the submitted (not yet public) document.
    file = client.get(download)
    assert file.status_code == 200
    assert b"".join(file.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.for_object(document).filter(action="submitted").exists()


def test_drafts_are_not_shown_to_editors(client, editor):
    draft = DocumentFactory(status=PublicationStatus.DRAFT)
    client.force_login(editor)
    assert client.get(reverse("moderation:document_review", args=[draft.pk])).status_code == 404


def test_review_page_query_count(client, editor):
    document = _submitted(countries=[Country.objects.get(code="KZ")], chapters=["Un", "Deux"])
    client.force_login(editor)

    def add(n):
        for _ in range(n):
            RefusalReason.objects.create(title=f"Motif {RefusalReason.objects.count()}", text="x")
            number = document.versions.count() + 1
            DocumentVersion.objects.create(
                document=document,
                number=number,
                file=f"library/pdf/00/v{number}.pdf",
                checksum=f"{number:064d}",
                size=10,
            )

    assert_queries_do_not_grow(
        client, reverse("moderation:document_review", args=[document.pk]), add
    )


# --- Decisions ---------------------------------------------------------------------------------


def test_publish_is_audited_with_actor_and_waiting_time_and_mailed(
    client, editor, contributor, smtp_server, django_capture_on_commit_callbacks
):
    document = _submitted(contributor, days_ago=2)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("moderation:document_publish", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == PublicationStatus.PUBLISHED
    events = list(AuditEvent.objects.for_object(document).filter(action="published"))
    assert len(events) == 1  # the receiver of document_published does not log it twice
    event = events[0]
    assert (event.actor, event.status_before, event.status_after) == (
        editor,
        "submitted",
        "published",
    )
    assert 2 * 86400 - 60 <= event.details["waited_seconds"] <= 2 * 86400 + 60
    message = smtp_server.to(contributor.email)[-1]
    assert document.title in message["Subject"]
    assert document.get_absolute_url() in message.get_body().get_content()
    # Deciding twice is refused.
    response = client.post(reverse("moderation:document_publish", args=[document.pk]))
    assert response.status_code == 404


def test_refuse_with_templates_and_free_text_keeps_the_form_on_error(
    client, editor, contributor, smtp_server, django_capture_on_commit_callbacks
):
    sources = RefusalReason.objects.create(title="Sources", text="La source manque.", position=1)
    RefusalReason.objects.create(title="Archivé", text="Ancien motif.", is_active=False)
    document = _submitted(contributor)
    client.force_login(editor)
    page = client.get(reverse("moderation:document_review", args=[document.pk])).content.decode()
    assert "Sources" in page
    assert "Archivé" not in page
    url = reverse("moderation:document_refuse", args=[document.pk])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    # An unknown reason: the page comes back with the editor's own words kept.
    response = client.post(url, {"reasons": [999_999], "text": "Mon texte à garder."})
    assert response.status_code == 400
    assert "Mon texte à garder." in response.content.decode()
    document.refresh_from_db()
    assert document.status == PublicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reasons": [sources.pk], "text": "Indiquez l'éditeur."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == PublicationStatus.REFUSED
    assert document.decision_reason == "La source manque.\n\nIndiquez l'éditeur."
    event = AuditEvent.objects.for_object(document).get(action="refused")
    assert event.actor == editor
    assert event.reason == document.decision_reason
    assert event.details["reasons"] == ["Sources"]
    assert event.details["waited_seconds"] is not None
    body = smtp_server.to(contributor.email)[-1].get_body().get_content()
    assert "La source manque." in body
    assert "Indiquez l'éditeur." in body


def test_request_changes_sends_the_document_back_as_a_draft(
    client, editor, contributor, smtp_server, django_capture_on_commit_callbacks
):
    document = _submitted(contributor)
    client.force_login(editor)
    url = reverse("moderation:document_request_changes", args=[document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Ajoutez le résumé en français."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == PublicationStatus.DRAFT
    assert document.decision_reason == "Ajoutez le résumé en français."
    event = AuditEvent.objects.for_object(document).get(action="changes_requested")
    assert (event.actor, event.status_after, event.reason) == (
        editor,
        "draft",
        "Ajoutez le résumé en français.",
    )
    message = smtp_server.to(contributor.email)[-1]
    assert "Ajoutez le résumé en français." in message.get_body().get_content()
    assert document.get_edit_url() in message.get_body().get_content()
    # The contributor sees it on the dashboard, with the editors' message (one query for the list).
    client.force_login(contributor)
    html = client.get(reverse("publishing:dashboard")).content.decode()
    assert reverse("library:contrib_document_new") in html
    assert reverse("library:contrib_document_list") in html
    assert f'data-document="{document.pk}"' in html
    assert "Ajoutez le résumé en français." in html


def test_dashboard_lists_documents_in_constant_queries(client, contributor):
    client.force_login(contributor)

    def add(n):
        for _ in range(n):
            DocumentFactory(
                contributor=contributor,
                status=PublicationStatus.REFUSED,
                decision_reason="Hors du champ.",
            )

    assert_queries_do_not_grow(client, reverse("publishing:dashboard"), add)
    html = client.get(reverse("publishing:dashboard")).content.decode()
    assert html.count("Hors du champ.") == 15


def test_services_refuse_wrong_states(editor):
    with pytest.raises(services.ModerationError):
        services.document_submission_refuse(document=_submitted(), by=editor, text="")
    with pytest.raises(services.ModerationError):
        services.document_submission_publish(document=DocumentFactory(published=True), by=editor)
    with pytest.raises(services.ModerationError):
        services.document_submission_request_changes(
            document=DocumentFactory(status=PublicationStatus.DRAFT), by=editor, text="Non."
        )
    assert not AuditEvent.objects.filter(action__in=["refused", "changes_requested"]).exists()


def test_no_mail_when_the_mail_server_is_down_does_not_undo_the_decision(
    settings, editor, contributor, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    document = _submitted(contributor)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_submission_refuse(document=document, by=editor, text="Non.")
    document.refresh_from_db()
    assert document.status == PublicationStatus.REFUSED


# --- Permissions -------------------------------------------------------------------------------

DOCUMENT_POSTS = [
    ("moderation:document_publish", {}),
    ("moderation:document_refuse", {"text": "Non."}),
    ("moderation:document_request_changes", {"text": "Changez."}),
]


@pytest.mark.parametrize("who", ["contributor", "owner", "trusted"])
def test_contributors_cannot_reach_nor_decide(client, contributor, who):
    document = _submitted(contributor)
    user = {
        "contributor": UserFactory(),
        "owner": contributor,
        "trusted": UserFactory(is_trusted=True),
    }[who]
    client.force_login(user)
    assert client.get(reverse(QUEUE)).status_code == 403
    assert client.get(reverse("moderation:document_review", args=[document.pk])).status_code == 403
    for name, data in DOCUMENT_POSTS:
        assert client.post(reverse(name, args=[document.pk]), data).status_code == 403
    document.refresh_from_db()
    assert document.status == PublicationStatus.SUBMITTED
    assert not AuditEvent.objects.for_object(document).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    document = _submitted()
    urls = [reverse("moderation:document_review", args=[document.pk])]
    urls += [reverse(name, args=[document.pk]) for name, _data in DOCUMENT_POSTS]
    for url in urls:
        response = client.post(url) if url != urls[0] else client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    document.refresh_from_db()
    assert document.status == PublicationStatus.SUBMITTED


@pytest.mark.parametrize(("name", "data"), DOCUMENT_POSTS)
def test_an_editor_can_decide_and_every_decision_is_audited(client, editor, name, data):
    document = _submitted()
    client.force_login(editor)
    assert client.get(reverse("moderation:document_review", args=[document.pk])).status_code == 200
    response = client.post(reverse(name, args=[document.pk]), data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status != PublicationStatus.SUBMITTED
    event = AuditEvent.objects.for_object(document).filter(actor=editor).get()
    assert event.status_before == "submitted"
    assert event.status_after == document.status
    assert "waited_seconds" in event.details


def test_documents_get_requests_are_rejected_on_decision_routes(client, editor):
    document = _submitted()
    client.force_login(editor)
    for name, _data in DOCUMENT_POSTS:
        assert client.get(reverse(name, args=[document.pk])).status_code == 405


def test_every_moderation_route_is_restricted_or_declared_public(client, contributor):
    """The moderation matrix: every route but the public ones sends visitors to sign in and
    refuses contributors (403), whatever the method; the document routes are among them."""
    from steppe.moderation import urls

    public = {
        "report_create",
        "report_thanks",
        "transparency",
        "transparency_csv",
        "appeal_create",
        "appeal_thanks",
        # Signed-in authors of a refused item only (others get 404): test_refusal_appeals.py.
        "refusal_appeal_create",
    }
    document_routes = {"document_review"} | {name.split(":")[1] for name, _d in DOCUMENT_POSTS}
    restricted = [p for p in urls.urlpatterns if p.name not in public]
    assert document_routes <= {p.name for p in restricted}
    document = _submitted()

    def url(pattern) -> str:
        args = [document.pk] if "<int:pk>" in str(pattern.pattern) else []
        return reverse(f"moderation:{pattern.name}", args=args)

    for pattern in restricted:
        for method in ("get", "post"):
            response = getattr(client, method)(url(pattern))
            assert response.status_code == 302, (pattern.name, method)
            assert response.url.startswith(reverse("account_login"))
    client.force_login(contributor)
    for pattern in restricted:
        for method in ("get", "post"):
            assert getattr(client, method)(url(pattern)).status_code == 403, pattern.name
    document.refresh_from_db()
    assert document.status == PublicationStatus.SUBMITTED


# --- Appeals on documents ----------------------------------------------------------------------


def test_an_editor_cannot_decide_the_appeal_of_their_own_decision_on_a_document(
    client, editor, second_editor, contributor, django_capture_on_commit_callbacks
):
    document = DocumentFactory(published=True, contributor=contributor)
    services.report_submit(obj=document, category="copyright", explanation="Copie d'un rapport.")
    case = ReportCase.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_decide(
            case=case,
            by=editor,
            decision="hide",
            ground="copyright",
            statement="Droits à vérifier.",
        )
    document.refresh_from_db()
    assert document.status == PublicationStatus.WITHDRAWN
    appeal = services.appeal_submit(
        case=case, role="author", email=contributor.email, explanation="J'ai les droits."
    )
    client.force_login(editor)
    url = reverse("moderation:appeal_decide", args=[appeal.pk])
    response = client.post(url, {"outcome": "granted", "statement": "Je me déjuge."})
    assert response.status_code == 403
    with pytest.raises(services.ModerationError):
        services.appeal_decide(appeal=appeal, by=editor, outcome="granted", statement="Non.")
    appeal.refresh_from_db()
    assert appeal.outcome == Appeal.Outcome.PENDING
    client.force_login(second_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"outcome": "granted", "statement": "Droits attestés."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == PublicationStatus.PUBLISHED
    granted = AuditEvent.objects.for_object(document).get(action="appeal_granted")
    assert granted.actor == second_editor


# --- Signals carry the actor --------------------------------------------------------------------


def test_library_signals_carry_the_actor(editor, contributor, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, document, by=None, **kwargs):
        received.append((kwargs.get("signal"), document.pk, by))

    signals = (document_published, document_changed, document_unpublished)
    for signal in signals:
        signal.connect(receiver, dispatch_uid="test.docmod.by")
    try:
        document = _submitted(contributor)
        with django_capture_on_commit_callbacks(execute=True):
            services.document_submission_publish(document=document, by=editor)
        document.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            library.document_update(document=document, by=editor, title="Nouveau titre")
        with django_capture_on_commit_callbacks(execute=True):
            library.document_withdraw(document=document, by=editor)
    finally:
        for signal in signals:
            signal.disconnect(dispatch_uid="test.docmod.by")
    assert received == [
        (document_published, document.pk, editor),
        (document_changed, document.pk, editor),
        (document_unpublished, document.pk, editor),
    ]
    actors = set(
        AuditEvent.objects.for_object(document)
        .filter(action__in=["published", "changed", "withdrawn"])
        .values_list("action", "actor")
    )
    assert actors == {("published", editor.pk), ("changed", editor.pk), ("withdrawn", editor.pk)}


def test_transparency_counts_document_submissions_and_decisions(editor):
    from steppe.moderation.transparency import transparency_report_build

    reason = RefusalReason.objects.create(title="Hors champ", text="Hors du champ de Steppe.")
    services.document_submission_refuse(document=_submitted(), by=editor, reasons=[reason])
    services.document_submission_publish(document=_submitted(), by=editor)
    month = transparency_report_build().months[0]
    assert (month.submissions, month.published, month.refused) == (2, 1, 1)
    assert month.refused_by_reason == {"Hors champ": 1}


def _ready_draft(contributor) -> Document:
    """A draft whose file has been analysed: what a contributor may submit."""
    document = _submitted(contributor)
    document.status = PublicationStatus.DRAFT
    document.submitted_at = None
    document.save(update_fields=["status", "submitted_at"])
    return document


def test_a_suspended_or_banned_account_cannot_submit_a_document(contributor, editor):
    document = _ready_draft(contributor)
    sanction = services.account_sanction(
        account=contributor,
        by=editor,
        kind="suspension",
        ground="spam",
        statement="Publicité répétée.",
        days=7,
    )
    with pytest.raises(library.LibraryError, match="suspendu"):
        library.document_submit(document=document, by=contributor)
    document.refresh_from_db()
    assert document.status == PublicationStatus.DRAFT
    assert document.submitted_at is None

    services.sanction_lift(sanction=sanction, by=editor, reason="Erreur de notre part.")
    library.document_submit(document=document, by=contributor)
    document.refresh_from_db()
    assert document.status == PublicationStatus.SUBMITTED


def test_new_accounts_daily_limit_counts_documents_and_articles(contributor, settings):
    settings.STEPPE_NEW_ACCOUNT_MAX_SUBMISSIONS_PER_DAY = 2
    ArticleFactory(
        author=contributor, status=PublicationStatus.SUBMITTED, submitted_at=timezone.now()
    )
    first, second = _ready_draft(contributor), _ready_draft(contributor)
    library.document_submit(document=first, by=contributor)
    with pytest.raises(library.LibraryError, match="par jour"):
        library.document_submit(document=second, by=contributor)
    second.refresh_from_db()
    assert second.status == PublicationStatus.DRAFT
