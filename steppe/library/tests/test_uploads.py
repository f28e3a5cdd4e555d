"""Uploading PDFs, their background intake, versions, downloads and the submission workflow.

Files are real PDFs written by `pdfs.py`; the intake runs in the real parser process (the
"immediate" task backend runs it when the upload's transaction commits).
"""

import errno
import io
import os
import time
from datetime import timedelta
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

import pytest
from PIL import Image

from steppe.core.models import PublicationStatus
from steppe.library import services
from steppe.library.models import Chapter, Document, DocumentVersion
from steppe.library.services import DocumentRecord
from steppe.library.tests import pdfs
from steppe.library.tests.factories import DocumentFactory
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db

OUTLINE = [("Introduction", 1), ("L'eau et les barrages", 2), ("Conclusions", 4)]


@pytest.fixture
def report_pdf() -> bytes:
    return pdfs.make_pdf(pages=5, outline=OUTLINE)


@pytest.fixture
def other_contributor(db):
    from steppe.accounts.tests.factories import UserFactory

    return UserFactory(username="aigerim", display_name="Aigerim Sadykova")


def _form(data: bytes, name: str = "rapport.pdf", **fields) -> dict:
    return {
        "title": "Rapport sur l'eau",
        "subtitle": "La gestion des fleuves transfrontaliers.",
        "published_on": "2025-03-14",
        "organisation": "Observatoire fictif de l'eau",
        "authors": "A. Nurlanova; B. Tsend",
        "countries": [Country.objects.get(code="KZ").pk],
        "language": "",
        "licence": "cc-by-4.0",
        "doi": "https://doi.org/10.1234/eau.2025",
        "source_url": "https://observatoire.example/rapport",
        "presentation_source": "Une présentation **courte**.",
        "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        **fields,
    }


def _upload(client, user, data: bytes, capture, **fields):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("library:contrib_document_new"), _form(data, **fields))


def _stored_files(folder: str = services.PDF_FOLDER) -> list[str]:
    return list(services._storage_walk(folder))


def _upload_with_token(user, data: bytes, token, *, title: str = "Rapport"):
    return services.document_upload(
        by=user,
        record=DocumentRecord(title=title),
        upload=io.BytesIO(data),
        filename="rapport.pdf",
        form_token=token,
    )


def _upload_service(user, data: bytes, *, filename: str = "rapport.pdf", title: str = "Rapport"):
    return services.document_upload(
        by=user, record=DocumentRecord(title=title), upload=io.BytesIO(data), filename=filename
    )


# --- Upload and intake -------------------------------------------------------------------------


def test_upload_creates_a_draft_and_the_intake_completes_the_record(
    client, contributor, report_pdf, django_capture_on_commit_callbacks, library_temp_dir
):
    response = _upload(client, contributor, report_pdf, django_capture_on_commit_callbacks)
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document.get_edit_url()
    assert document.status == PublicationStatus.DRAFT
    assert document.contributor == contributor
    assert document.doi == "10.1234/eau.2025"
    assert document.licence == "cc-by-4.0"
    version = document.current_version
    assert version.number == 1
    assert version.size == len(report_pdf)
    assert version.file.name == f"library/pdf/{version.checksum[:2]}/{version.checksum}.pdf"
    assert default_storage.open(version.file.name).read() == report_pdf
    # The intake ran when the upload committed.
    assert version.intake_status == DocumentVersion.IntakeStatus.READY
    assert version.pages == 5
    assert "barrages" in document.text_content
    assert document.language == "fr"  # detected: the contributor left "detect" chosen
    assert version.detected_language == "fr"
    with default_storage.open(version.thumbnail.name) as handle:
        image = Image.open(handle)
        assert image.format == "WEBP"
        assert image.width == 480
    assert [(c.title, c.page) for c in document.chapters.all()] == OUTLINE
    # Nothing left in the temporary folder.
    assert list(library_temp_dir.iterdir()) == []


def test_a_chosen_language_is_not_overridden_by_detection(
    client, contributor, report_pdf, django_capture_on_commit_callbacks
):
    _upload(client, contributor, report_pdf, django_capture_on_commit_callbacks, language="en")
    document = Document.objects.get()
    assert document.language == "en"
    assert document.current_version.detected_language == "fr"


def test_outline_under_a_single_title_gives_its_second_level(
    contributor, django_capture_on_commit_callbacks
):
    data = pdfs.make_pdf(
        pages=6, nested_outline={"Rapport annuel": [("Résumé", 2), ("Analyse", 3), ("Annexe", 6)]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = _upload_service(contributor, data)
    chapters = list(outcome.document.chapters.values_list("title", "page"))
    assert chapters == [("Résumé", 2), ("Analyse", 3), ("Annexe", 6)]


def test_intake_is_idempotent(contributor, report_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = _upload_service(contributor, report_pdf)
    document = Document.objects.get()

    def state():
        document.refresh_from_db()
        version = DocumentVersion.objects.get()
        return (
            document.text_content,
            document.language,
            list(document.chapters.values_list("position", "title", "page")),
            version.pages,
            version.thumbnail.name,
            version.outline,
            version.intake_status,
            sorted(_stored_files(services.THUMBNAIL_FOLDER)),
        )

    first = state()
    assert services.document_version_intake(version_id=outcome.version.pk) == "ready"
    assert state() == first
    assert DocumentVersion.objects.get().intake_attempts == 2
    assert len(first[-1]) == 1


def test_intake_keeps_chapters_the_contributor_confirmed(
    contributor, report_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = _upload_service(contributor, report_pdf)
    services.document_chapters_confirm(
        document=outcome.document,
        by=contributor,
        chapters=[services.ChapterData("Mon chapitre", 3)],
    )
    services.document_version_intake(version_id=outcome.version.pk)
    assert list(outcome.document.chapters.values_list("title", "page")) == [("Mon chapitre", 3)]


def test_intake_of_a_missing_file_fails_with_a_reason(contributor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)  # intake not run: no commit in the test
    default_storage.delete(outcome.version.file.name)
    assert services.document_version_intake(version_id=outcome.version.pk) == "missing"
    version = DocumentVersion.objects.get()
    assert version.intake_status == DocumentVersion.IntakeStatus.FAILED
    assert version.get_intake_error_display() == "Le fichier enregistré est introuvable."


# --- Refusals: nothing kept, typed fields kept ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (pdfs.make_png(), "photo.pdf", "n’est pas un PDF"),
        (pdfs.HTML_PAGE, "page.pdf", "n’est pas un PDF"),
        (b"", "vide.pdf", "est vide"),
        (pdfs.truncate(pdfs.make_pdf(pages=8)), "coupe.pdf", "incomplet"),
        (pdfs.make_encrypted_pdf(), "secret.pdf", "mot de passe"),
        (pdfs.make_javascript_pdf(), "script.pdf", "contenu actif (JavaScript)"),
        (pdfs.make_open_action_pdf(), "lanceur.pdf", "contenu actif (OpenAction)"),
    ],
    ids=["png", "html", "empty", "truncated", "encrypted", "javascript", "open-action"],
)
def test_refused_upload_stores_nothing_and_keeps_the_typed_fields(
    client, contributor, django_capture_on_commit_callbacks, library_temp_dir, data, name, message
):
    response = _upload(client, contributor, data, django_capture_on_commit_callbacks, name=name)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("\u202f", " ").replace("\xa0", " ")
    assert 'value="Rapport sur l&#x27;eau"' in html
    assert "Observatoire fictif de l&#x27;eau" in html
    assert "Choisissez de nouveau le fichier" not in html  # the error is on the file itself
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert _stored_files() == []
    assert list(library_temp_dir.iterdir()) == []


def test_upload_over_the_limit_is_cut_off_while_it_arrives(
    client, contributor, settings, django_capture_on_commit_callbacks, library_temp_dir
):
    settings.STEPPE_LIBRARY_MAX_UPLOAD_BYTES = 20_000
    data = pdfs.make_pdf(pages=60)
    assert len(data) > 20_000
    response = _upload(client, contributor, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le fichier dépasse la limite de" in html
    assert 'value="Rapport sur l&#x27;eau"' in html
    assert not Document.objects.exists()
    assert list(library_temp_dir.iterdir()) == []


def test_a_5000_page_pdf_is_refused(client, contributor, django_capture_on_commit_callbacks):
    response = _upload(
        client, contributor, pdfs.make_many_pages_pdf(5000), django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert "5000 pages" in response.content.decode().replace("\u202f", "")
    assert not Document.objects.exists()


def test_nothing_is_kept_when_the_rows_cannot_be_written(contributor, report_pdf):
    with pytest.raises(ValidationError):
        services.document_upload(
            by=contributor,
            record=DocumentRecord(title="x" * 300),  # too long for the column: full_clean fails
            upload=io.BytesIO(report_pdf),
            filename="rapport.pdf",
        )
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert _stored_files() == []


class DiskFullStorage(FileSystemStorage):
    """A real file system storage whose disk fills up halfway through writing a file.

    The one failure that cannot be produced for real in a test run (filling the disk): writes
    go to the real folder until half the file, then raise ENOSPC as the kernel would.
    """

    def _save(self, name, content):
        full_path = self.path(name)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        data = content.read()
        with open(full_path, "wb") as handle:
            handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")


def test_nothing_is_kept_when_the_disk_fills_up(
    contributor, report_pdf, settings, tmp_path, library_temp_dir
):
    # Changing STORAGES resets default_storage (Django's setting_changed receiver).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.DiskFullStorage",
            "OPTIONS": {"location": str(tmp_path / "full-disk")},
        },
    }
    with pytest.raises(OSError, match="No space left"):
        _upload_service(contributor, report_pdf)
    assert not Document.objects.exists()
    assert (tmp_path / "full-disk").is_dir()  # the storage did start writing…
    assert list((tmp_path / "full-disk").rglob("*.pdf")) == []  # …and the half file is gone
    assert list(library_temp_dir.iterdir()) == []


# --- Identical files and versions --------------------------------------------------------------


def test_an_identical_file_is_recognised_and_stored_once(
    client, contributor, report_pdf, django_capture_on_commit_callbacks
):
    _upload(client, contributor, report_pdf, django_capture_on_commit_callbacks)
    response = _upload(
        client, contributor, report_pdf, django_capture_on_commit_callbacks, title="Le même"
    )
    first, second = Document.objects.order_by("pk")
    assert second.current_version.file.name == first.current_version.file.name
    assert len(_stored_files()) == 1
    page = client.get(response["Location"]).content.decode()
    assert "Ce fichier se trouve déjà dans la bibliothèque" in page
    assert "Rapport sur l&#x27;eau" in page


def test_an_identical_file_does_not_reveal_another_contributors_draft(
    client, contributor, other_contributor, report_pdf, django_capture_on_commit_callbacks
):
    _upload(client, contributor, report_pdf, django_capture_on_commit_callbacks)
    response = _upload(
        client, other_contributor, report_pdf, django_capture_on_commit_callbacks, title="Autre"
    )
    page = client.get(response["Location"]).content.decode()
    assert "se trouve déjà" not in page


def test_a_new_file_makes_a_new_version_and_older_ones_stay_downloadable(
    client, contributor, report_pdf, django_capture_on_commit_callbacks
):
    _upload(client, contributor, report_pdf, django_capture_on_commit_callbacks)
    document = Document.objects.get()
    second = pdfs.make_pdf(pages=7, text="Deuxième édition du rapport, revue et augmentée.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("library:contrib_version_add", args=[document.pk]),
            {"file": SimpleUploadedFile("rapport-v2.pdf", second)},
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current_version.number == 2
    assert document.current_version.pages == 7
    assert "Deuxième édition" in document.text_content
    old = client.get(
        reverse("library:document_version_download", kwargs={"slug": document.slug, "number": 1})
    )
    assert b"".join(old.streaming_content) == report_pdf
    current = client.get(document.get_download_url())
    assert b"".join(current.streaming_content) == second
    # The same file as the current version again: refused.
    response = client.post(
        reverse("library:contrib_version_add", args=[document.pk]),
        {"file": SimpleUploadedFile("encore.pdf", second)},
    )
    assert response.status_code == 400
    assert "identique à la version actuelle" in response.content.decode()
    assert document.versions.count() == 2


def test_an_untrusted_contributor_cannot_replace_a_published_file(contributor, editor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)
    services.document_publish(document=outcome.document, by=editor)
    with pytest.raises(services.LibraryError):
        services.document_version_add(
            document=outcome.document,
            by=contributor,
            upload=io.BytesIO(pdfs.make_pdf(pages=2)),
            filename="v2.pdf",
        )
    version = services.document_version_add(
        document=outcome.document,
        by=editor,
        upload=io.BytesIO(pdfs.make_pdf(pages=2)),
        filename="v2.pdf",
    ).version
    assert version.number == 2
    assert version.uploaded_by == editor


# --- Downloads: permissions and headers --------------------------------------------------------


def test_a_drafts_file_is_only_for_its_contributor_and_editors(
    client, contributor, other_contributor, editor, report_pdf
):
    outcome = _upload_service(contributor, report_pdf)
    url = outcome.document.get_download_url()
    version_url = outcome.version.get_download_url()
    assert client.get(url).status_code == 404
    assert client.get(version_url).status_code == 404
    client.force_login(other_contributor)
    assert client.get(url).status_code == 404
    assert client.get(version_url).status_code == 404
    assert client.get(outcome.document.get_edit_url()).status_code == 404
    client.force_login(contributor)
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_a_published_file_is_public(client, contributor, editor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)
    services.document_publish(document=outcome.document, by=editor)
    response = client.get(outcome.document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == report_pdf


def test_download_is_an_attachment_with_nosniff_and_a_safe_file_name(
    client, contributor, report_pdf
):
    outcome = _upload_service(
        contributor, report_pdf, filename='../../Отчёт/вода\\2024 "итоги".pdf'
    )
    client.force_login(contributor)
    response = client.get(outcome.document.get_download_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(report_pdf))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\n" not in disposition
    assert "\r" not in disposition
    encoded = disposition.split("filename*=utf-8''", 1)[1]
    name = unquote(encoded)
    assert name == "2024 _итоги.pdf"
    assert "/" not in name
    assert "\\" not in name
    assert ".." not in name


def test_download_of_a_document_without_file_is_not_found(client):
    document = DocumentFactory(published=True)
    assert document.get_download_url() == ""
    url = reverse("library:document_download", kwargs={"slug": document.slug})
    assert client.get(url).status_code == 404


# --- Contributor pages -------------------------------------------------------------------------


def test_status_fragment_polls_while_the_intake_runs(client, contributor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)  # intake not run yet (no commit)
    client.force_login(contributor)
    url = reverse("library:contrib_intake_status", args=[outcome.document.pk])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "En attente d’analyse" in html
    assert f'href="{outcome.document.get_edit_url()}"' in html  # a plain reload link without JS
    page = client.get(outcome.document.get_edit_url()).content.decode()
    assert 'id="intake-status"' in page
    services.document_version_intake(version_id=outcome.version.pk)
    response = client.get(url + "?attendre=1", headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    html = response.content.decode()
    assert "hx-trigger" not in html
    assert "Analyse terminée" in html
    assert "5 pages" in html


def test_chapters_are_confirmed_in_an_ordered_editable_list(
    client, contributor, report_pdf, django_capture_on_commit_callbacks
):
    _upload(client, contributor, report_pdf, django_capture_on_commit_callbacks)
    document = Document.objects.get()
    page = client.get(document.get_edit_url()).content.decode()
    assert 'value="L&#x27;eau et les barrages"' in page
    data = {
        "form-TOTAL_FORMS": "4",
        "form-INITIAL_FORMS": "3",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "100",
        "form-0-title": "Introduction",
        "form-0-page": "1",
        "form-0-ORDER": "2",
        "form-1-title": "L'eau et les barrages",
        "form-1-page": "2",
        "form-1-ORDER": "1",
        "form-2-title": "Conclusions",
        "form-2-page": "4",
        "form-2-ORDER": "3",
        "form-2-DELETE": "on",
        "form-3-title": "Annexes",
        "form-3-page": "5",
        "form-3-ORDER": "4",
    }
    response = client.post(reverse("library:contrib_chapters_save", args=[document.pk]), data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.chapters_confirmed_at is not None
    assert list(document.chapters.values_list("position", "title", "page")) == [
        (1, "L'eau et les barrages", 2),
        (2, "Introduction", 1),
        (3, "Annexes", 5),
    ]


def test_record_edit_keeps_what_was_typed_on_error(client, contributor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)
    client.force_login(contributor)
    response = client.post(
        outcome.document.get_edit_url(),
        {"title": "Nouveau titre", "doi": "pas un doi", "organisation": "Mon ONG"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Un DOI a la forme" in html
    assert 'value="Nouveau titre"' in html
    assert 'value="Mon ONG"' in html
    response = client.post(
        outcome.document.get_edit_url(),
        {"title": "Nouveau titre", "doi": "10.5555/abc", "language": "ru"},
    )
    assert response.status_code == 302
    outcome.document.refresh_from_db()
    assert outcome.document.title == "Nouveau titre"
    assert outcome.document.language == "ru"
    assert outcome.document.language_detect is False


def test_contributor_list_shows_only_own_documents(client, contributor, other_contributor):
    DocumentFactory(contributor=contributor, title="Le mien")
    DocumentFactory(contributor=other_contributor, title="Celui d'une autre")
    client.force_login(contributor)
    html = client.get(reverse("library:contrib_document_list")).content.decode()
    assert "Le mien" in html
    assert "Celui d" not in html


def test_upload_page_needs_an_account(client):
    response = client.get(reverse("library:contrib_document_new"))
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


# --- Workflow ----------------------------------------------------------------------------------


def test_submit_waits_for_the_intake_then_goes_to_the_editors(client, contributor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)
    client.force_login(contributor)
    url = reverse("library:contrib_document_submit", args=[outcome.document.pk])
    client.post(url)
    outcome.document.refresh_from_db()
    assert outcome.document.status == PublicationStatus.DRAFT
    services.document_version_intake(version_id=outcome.version.pk)
    response = client.post(url)
    assert response.status_code == 302
    outcome.document.refresh_from_db()
    assert outcome.document.status == PublicationStatus.SUBMITTED
    assert outcome.document.submitted_at is not None


def test_a_trusted_contributors_document_is_published_at_once(
    contributor, report_pdf, django_capture_on_commit_callbacks
):
    contributor.is_trusted = True
    contributor.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = _upload_service(contributor, report_pdf)
    services.document_submit(document=outcome.document, by=contributor)
    assert outcome.document.status == PublicationStatus.PUBLISHED


def test_another_contributor_cannot_submit(client, contributor, other_contributor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)
    client.force_login(other_contributor)
    url = reverse("library:contrib_document_submit", args=[outcome.document.pk])
    assert client.post(url).status_code == 404


def test_a_document_needs_a_file_before_submission(contributor):
    document = DocumentFactory(contributor=contributor)
    with pytest.raises(services.LibraryError, match="fichier PDF"):
        services.document_submit(document=document, by=contributor)


def test_refuse_then_edit_makes_a_draft_again(contributor, editor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)
    services.document_version_intake(version_id=outcome.version.pk)
    services.document_submit(document=outcome.document, by=contributor)
    services.document_refuse(document=outcome.document, by=editor, reason="Source manquante.")
    assert outcome.document.status == PublicationStatus.REFUSED
    services.document_record_update(
        document=outcome.document, by=contributor, record=DocumentRecord(title="Corrigé")
    )
    assert outcome.document.status == PublicationStatus.DRAFT


# --- Public page -------------------------------------------------------------------------------


def test_document_page_shows_the_file_details_chapters_and_versions(
    client, contributor, editor, report_pdf, django_capture_on_commit_callbacks
):
    _upload(client, contributor, report_pdf, django_capture_on_commit_callbacks)
    document = Document.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_version_add(
            document=document,
            by=editor,
            upload=io.BytesIO(
                pdfs.make_pdf(pages=6, outline=[("Introduction", 1), ("L'eau et les barrages", 3)])
            ),
            filename="b",
        )
    services.document_publish(document=document, by=editor)
    client.logout()
    html = client.get(document.get_absolute_url()).content.decode()
    download = document.get_download_url()
    assert ">Files</a>" in html or ">Fichiers</a>" in html
    assert ">Le Kazakhstan</a>" in html
    assert f'href="{download}"' in html
    assert "Télécharger le PDF" in html
    assert f'href="{download}#page=3">L&#x27;eau et les barrages</a>' in html
    assert "<dt>Pages</dt><dd>6</dd>" in html
    assert "<dt>Taille</dt>" in html
    assert 'href="https://doi.org/10.1234/eau.2025"' in html
    assert 'rel="license">CC BY 4.0</a>' in html
    assert 'href="https://observatoire.example/rapport"' in html
    assert DocumentVersion.objects.get(number=2).thumbnail.url in html
    assert "Version 1" in html
    assert "Version 2" in html
    assert f'<meta name="citation_pdf_url" content="http://testserver{download}">' in html


def test_document_page_queries_do_not_grow_with_versions(client, contributor, editor):
    from steppe.core.tests.utils import assert_queries_do_not_grow

    outcome = _upload_service(contributor, pdfs.make_pdf(pages=1))
    services.document_publish(document=outcome.document, by=editor)
    document = outcome.document

    def add(count):
        start = document.versions.count()
        DocumentVersion.objects.bulk_create(
            DocumentVersion(
                document=document,
                number=start + i + 1,
                file=outcome.version.file.name,
                checksum=outcome.version.checksum,
                size=outcome.version.size,
            )
            for i in range(count)
        )
        Chapter.objects.bulk_create(
            Chapter(document=document, position=start + i + 1, title=f"Chapitre {i}", page=i + 1)
            for i in range(count)
        )

    assert_queries_do_not_grow(client, document.get_absolute_url(), add)


# --- Sweeping what interrupted uploads leave ---------------------------------------------------


def test_sweep_removes_stale_leftovers_and_requeues_stuck_intakes(
    contributor, report_pdf, library_temp_dir
):
    outcome = _upload_service(contributor, report_pdf)  # intake never ran: a dead worker
    DocumentVersion.objects.filter(pk=outcome.version.pk).update(
        created_at=outcome.version.created_at - timedelta(hours=2)
    )
    old = time.time() - 3 * 3600
    # A temporary file of a killed upload, and an orphan stored file (transaction never committed).
    leftover = library_temp_dir / "steppe-pdf-killed.upload"
    leftover.write_bytes(b"%PDF-1.7 half")
    os.utime(leftover, (old, old))
    fresh = library_temp_dir / "steppe-pdf-running.upload"
    fresh.write_bytes(b"%PDF-1.7 in progress")
    orphan = default_storage.save("library/pdf/00/" + "0" * 64 + ".pdf", io.BytesIO(b"%PDF-"))
    os.utime(default_storage.path(orphan), (old, old))
    young_orphan = default_storage.save("library/pdf/11/" + "1" * 64 + ".pdf", io.BytesIO(b"x"))
    out = io.StringIO()
    call_command("library_sweep", stdout=out)
    assert "temporary files removed: 1" in out.getvalue()
    assert "stored files removed: 1" in out.getvalue()
    assert "intakes queued again: 1" in out.getvalue()
    assert not leftover.exists()
    assert fresh.exists()
    assert not default_storage.exists(orphan)
    assert default_storage.exists(young_orphan)  # may belong to an upload still committing
    assert default_storage.exists(outcome.version.file.name)  # referenced: kept
    version = DocumentVersion.objects.get()
    assert version.intake_status == DocumentVersion.IntakeStatus.READY


def test_citations_carry_the_doi_and_the_pdf(client, contributor, editor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)
    document = outcome.document
    document.doi = "10.1234/eau.2025"
    document.save()
    services.document_publish(document=document, by=editor)
    pdf_url = f"http://testserver{document.get_download_url()}"
    bib = client.get(reverse("library:document_cite", kwargs={"slug": document.slug, "fmt": "bib"}))
    assert "doi = {10.1234/eau.2025}" in bib.content.decode()
    ris = client.get(reverse("library:document_cite", kwargs={"slug": document.slug, "fmt": "ris"}))
    assert "DO  - 10.1234/eau.2025" in ris.content.decode()
    assert f"L1  - {pdf_url}" in ris.content.decode()
    csl = client.get(
        reverse("library:document_cite", kwargs={"slug": document.slug, "fmt": "json"})
    )
    assert csl.json()[0]["DOI"] == "10.1234/eau.2025"
    html = client.get(document.get_absolute_url()).content.decode()
    assert '<meta name="citation_doi" content="10.1234/eau.2025">' in html


def test_admin_lists_versions_read_only(admin_client, contributor, report_pdf, settings):
    settings.STEPPE_EDITOR_MFA_REQUIRED = False
    outcome = _upload_service(contributor, report_pdf, filename="rapport-final.pdf")
    response = admin_client.get(
        reverse("admin:library_document_change", args=[outcome.document.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "rapport-final.pdf" in html
    assert outcome.version.checksum in html


def test_deleting_a_document_leaves_its_file_to_the_sweep(contributor, report_pdf):
    outcome = _upload_service(contributor, report_pdf)
    services.document_version_intake(version_id=outcome.version.pk)
    name = outcome.version.file.name
    outcome.document.delete()  # as account deletion does
    assert not DocumentVersion.objects.exists()
    assert default_storage.exists(name)
    report = services.library_files_sweep(older_than=timedelta(0))
    assert report.stored_files == 2  # the PDF and its thumbnail
    assert not default_storage.exists(name)


# --- The same upload sent twice -----------------------------------------------------------------


def test_the_upload_form_sent_twice_creates_one_document(
    client, contributor, report_pdf, django_capture_on_commit_callbacks
):
    client.force_login(contributor)
    page = client.get(reverse("library:contrib_document_new")).content.decode()
    assert 'name="form_token"' in page
    token = "0b4f6a52-5c3e-4d7b-9a55-0f8d51a0a1c2"
    first = _upload(
        client, contributor, report_pdf, django_capture_on_commit_callbacks, form_token=token
    )
    again = _upload(
        client, contributor, report_pdf, django_capture_on_commit_callbacks, form_token=token
    )
    document = Document.objects.get()
    assert first["Location"] == again["Location"] == document.get_edit_url()
    assert document.versions.count() == 1
    assert len(_stored_files()) == 1


def test_the_same_token_with_another_file_is_refused_and_nothing_is_stored(contributor):
    import uuid

    token = uuid.uuid4()
    first = pdfs.make_pdf(pages=2)
    other = pdfs.make_pdf(pages=3)
    outcome = _upload_with_token(contributor, first, token, title="Rapport")
    repeat = _upload_with_token(contributor, first, token, title="Rapport, encore")
    assert repeat.document == outcome.document
    assert repeat.version == outcome.version
    with pytest.raises(services.LibraryError, match="déjà servi pour un autre fichier"):
        _upload_with_token(contributor, other, token, title="Autre")
    assert Document.objects.count() == 1
    assert len(_stored_files()) == 1
    # Without a token, or with another's token, uploads are separate documents.
    _upload_service(contributor, first)
    assert Document.objects.count() == 2


def test_a_token_belongs_to_its_contributor(contributor, other_contributor):
    import uuid

    token = uuid.uuid4()
    data = pdfs.make_pdf(pages=2)
    for user in (contributor, other_contributor):
        _upload_with_token(user, data, token, title="Rapport")
    assert set(Document.objects.values_list("contributor", flat=True)) == {
        contributor.pk,
        other_contributor.pk,
    }


def test_two_sends_at_once_give_one_document(contributor, monkeypatch):
    """The second request looked before the first one committed: the constraint decides."""
    import uuid

    token = uuid.uuid4()
    data = pdfs.make_pdf(pages=2)
    first = _upload_with_token(contributor, data, token, title="Rapport")
    looked = services._upload_repeated
    calls = []

    def not_yet_committed(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else looked(**kwargs)

    monkeypatch.setattr(services, "_upload_repeated", not_yet_committed)
    second = _upload_with_token(contributor, data, token, title="Rapport")
    assert len(calls) == 2
    assert second.document == first.document
    assert Document.objects.count() == 1
    assert len(_stored_files()) == 1
