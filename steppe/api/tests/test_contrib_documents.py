"""/api/v1/me/documents: contributors' library documents with personal API tokens.

Real PDFs (steppe/library/tests/pdfs.py) go through the library's services and its parser process;
the intake runs with the "immediate" task backend when the upload's transaction commits
(`django_capture_on_commit_callbacks(execute=True)` stands for that commit in these tests).
"""

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import pytest

from steppe.accounts.models import ApiToken
from steppe.accounts.tests.factories import UserFactory
from steppe.accounts.tokens import api_token_revoke
from steppe.core.models import PublicationStatus
from steppe.library import services
from steppe.library.models import Document, DocumentVersion
from steppe.library.services import DocumentRecord
from steppe.library.tests import pdfs
from steppe.library.tests.factories import DocumentFactory

from .test_http import assert_error_shape

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/me/documents"
OUTLINE = [("Introduction", 1), ("Les barrages", 2), ("Conclusions", 3)]
RECORD = {
    "title": "Rapport sur l’eau en Asie centrale",
    "subtitle": "Les fleuves partagés.",
    "published_on": "2025-03-14",
    "organisation": "Observatoire fictif de l’eau",
    "authors": "A. Nurlanova; B. Tsend",
    "countries": ["kz", "uz"],
    "themes": ["eau"],
    "licence": "cc-by-4.0",
    "doi": "https://doi.org/10.1234/eau.2025",
    "source_url": "https://observatoire.example/rapport",
    "presentation_source": "Une présentation **courte**.",
}


DOI_MESSAGE = "Un DOI a la forme 10.1234/abcd.5678."


class CountingStream:
    """A request body that counts what the server reads of it."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = self.size - self.read_bytes if size is None or size < 0 else size
        size = min(size, self.size - self.read_bytes)
        self.read_bytes += size
        return b"x" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def pdf_file(data: bytes, name: str = "rapport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def report_pdf() -> bytes:
    return pdfs.make_pdf(pages=4, outline=OUTLINE)


@pytest.fixture
def author(db):
    return UserFactory(username="baurzhan", display_name="Baurzhan Ospanov")


@pytest.fixture
def token(author, make_token):
    return make_token(author)


@pytest.fixture
def upload(client, token, django_capture_on_commit_callbacks):
    """upload(data, **fields) -> the answer; the intake runs once the upload has committed."""

    def send(data: bytes, *, name: str = "rapport.pdf", commit: bool = True, key=None, **fields):
        form = {**RECORD, **fields, "file": pdf_file(data, name)}
        with django_capture_on_commit_callbacks(execute=commit):
            return client.post(DOCUMENTS, form, headers=bearer(key or token))

    return send


@pytest.fixture
def own_document(author, report_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.document_upload(
            by=author,
            record=DocumentRecord(title="Mon rapport"),
            upload=io.BytesIO(report_pdf),
            filename="mon-rapport.pdf",
        )
    return outcome.document


@pytest.fixture
def other_document(db, report_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.document_upload(
            by=UserFactory(),
            record=DocumentRecord(title="Le rapport d’un autre"),
            upload=io.BytesIO(pdfs.make_pdf(pages=2)),
            filename="autre.pdf",
        )
    return outcome.document


# --- The workflow ------------------------------------------------------------------------------


def test_upload_intake_chapters_submit(client, author, token, upload, report_pdf, library_temp_dir):
    response = upload(report_pdf)
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    document = Document.objects.get(pk=body["id"], contributor=author)
    assert body["status"] == "draft"
    assert body["title"] == RECORD["title"]
    assert body["countries"] == ["KZ", "UZ"]
    assert body["themes"] == ["eau"]
    assert body["doi"] == "10.1234/eau.2025"  # cleaned as the web form does
    assert body["published_on"] == "2025-03-14"
    assert body["language_detect"] is True
    assert body["url"] is None
    assert body["duplicates"] == []
    version = body["current_version"]
    assert version["number"] == 1
    assert version["size"] == len(report_pdf)
    assert version["original_filename"] == "rapport.pdf"
    assert body["versions"] == [version]
    assert default_storage.open(document.current_version.file.name).read() == report_pdf

    # The analysis ran after the upload committed: pages, language, chapters from the outline.
    detail = client.get(body["api_url"], headers=bearer(token)).json()
    assert detail["intake_status"] == "ready"
    assert detail["current_version"]["pages"] == 4
    assert detail["current_version"]["detected_language"] == "fr"
    assert detail["language"] == "fr"
    assert [(c["title"], c["page"]) for c in detail["chapters"]] == OUTLINE
    assert detail["chapters_confirmed"] is False

    submitted = client.post(f"{body['api_url']}/submit", headers=bearer(token))
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"]
    again = client.post(f"{body['api_url']}/submit", headers=bearer(token))
    assert (
        assert_error_shape(again, 409, "conflict")["message"]
        == "Ce document n’est pas un brouillon."
    )
    # Nothing left in the library's temporary folder.
    assert list(library_temp_dir.iterdir()) == []


def test_the_answer_follows_the_analysis_while_it_runs(client, token, upload, report_pdf):
    body = upload(report_pdf, commit=False).json()
    assert body["intake_status"] == "pending"
    assert body["current_version"]["intake_status"] == "pending"
    assert body["chapters"] == []
    refused = client.post(f"{body['api_url']}/submit", headers=bearer(token))
    error = assert_error_shape(refused, 409, "conflict")
    assert "encore en cours d’analyse" in error["message"]


def test_a_trusted_contributors_document_is_published_on_submit(
    client, author, token, own_document
):
    author.is_trusted = True
    author.save()
    body = client.post(f"{DOCUMENTS}/{own_document.pk}/submit", headers=bearer(token)).json()
    assert body["status"] == "published"
    assert body["url"].endswith(f"/bibliotheque/{own_document.slug}/")


def test_a_chosen_language_is_kept(client, token, upload, report_pdf):
    body = upload(report_pdf, language="en").json()
    detail = client.get(body["api_url"], headers=bearer(token)).json()
    assert detail["language"] == "en"
    assert detail["language_detect"] is False
    assert detail["current_version"]["detected_language"] == "fr"


def test_patch_changes_the_record_and_confirms_chapters(
    client, token, own_document, django_capture_on_commit_callbacks
):
    url = f"{DOCUMENTS}/{own_document.pk}"
    response = client.patch(
        url,
        {
            "subtitle": "Édition revue.",
            "countries": ["mn"],
            "chapters": [{"title": "Synthèse", "page": 1}, {"title": "Annexes"}],
        },
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert body["subtitle"] == "Édition revue."
    assert body["title"] == "Mon rapport"  # unsent fields keep their value
    assert body["countries"] == ["MN"]
    assert [(c["title"], c["page"]) for c in body["chapters"]] == [
        ("Synthèse", 1),
        ("Annexes", None),
    ]
    assert body["chapters_confirmed"] is True
    # A new file's outline no longer replaces the confirmed chapters.
    other = pdfs.make_pdf(pages=3, outline=[("Autre plan", 1)])
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            f"{url}/versions", {"file": pdf_file(other, "v2.pdf")}, headers=bearer(token)
        )
    assert added.status_code == 201, added.content[:500]
    detail = client.get(url, headers=bearer(token)).json()
    assert detail["current_version"]["number"] == 2
    assert detail["current_version"]["intake_status"] == "ready"
    assert [c["title"] for c in detail["chapters"]] == ["Synthèse", "Annexes"]
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert [v["is_current"] for v in detail["versions"]] == [True, False]


def test_patch_can_remove_the_date_and_only_send_chapters(client, token, own_document):
    Document.objects.filter(pk=own_document.pk).update(published_on="2024-01-02")
    url = f"{DOCUMENTS}/{own_document.pk}"
    body = client.patch(
        url, {"published_on": None}, content_type="application/json", headers=bearer(token)
    ).json()
    assert body["published_on"] is None
    body = client.patch(
        url, {"chapters": []}, content_type="application/json", headers=bearer(token)
    ).json()
    assert body["chapters"] == []
    assert body["chapters_confirmed"] is True


def test_patch_validation_errors_are_french_and_nothing_is_saved(client, token, own_document):
    response = client.patch(
        f"{DOCUMENTS}/{own_document.pk}",
        {"title": "Nouveau titre", "countries": ["xx"], "doi": "pas-un-doi"},
        content_type="application/json",
        headers=bearer(token),
    )
    error = assert_error_shape(response, 422, "validation_error")
    messages = {tuple(detail["loc"]): detail["message"] for detail in error["details"]}
    assert "XX" in messages[("body", "countries")]
    assert messages[("body", "doi")] == DOI_MESSAGE
    own_document.refresh_from_db()
    assert own_document.title == "Mon rapport"


def test_a_submitted_document_cannot_be_changed(client, token, own_document):
    Document.objects.filter(pk=own_document.pk).update(status=PublicationStatus.SUBMITTED)
    url = f"{DOCUMENTS}/{own_document.pk}"
    response = client.patch(
        url, {"title": "Changé"}, content_type="application/json", headers=bearer(token)
    )
    assert "rédaction" in assert_error_shape(response, 409, "conflict")["message"]
    added = client.post(
        f"{url}/versions", {"file": pdf_file(pdfs.make_pdf(pages=1))}, headers=bearer(token)
    )
    assert_error_shape(added, 409, "conflict")
    assert own_document.versions.count() == 1


def test_a_refused_document_becomes_a_draft_again_when_changed(client, token, own_document):
    Document.objects.filter(pk=own_document.pk).update(
        status=PublicationStatus.REFUSED, decision_reason="Hors sujet."
    )
    body = client.patch(
        f"{DOCUMENTS}/{own_document.pk}",
        {"title": "Repris"},
        content_type="application/json",
        headers=bearer(token),
    ).json()
    assert body["status"] == "draft"
    assert body["title"] == "Repris"


def test_the_same_file_again_is_refused_as_a_duplicate(client, token, own_document, report_pdf):
    response = client.post(
        f"{DOCUMENTS}/{own_document.pk}/versions",
        {"file": pdf_file(report_pdf)},
        headers=bearer(token),
    )
    error = assert_error_shape(response, 422, "pdf_rejected")
    assert error["details"] == {"reason": "duplicate"}
    assert error["message"] == "Ce fichier est identique à la version actuelle du document."


def test_a_file_already_in_the_library_is_announced(upload, own_document, report_pdf):
    body = upload(report_pdf).json()
    assert body["duplicates"] == [
        {
            "title": "Mon rapport",
            "url": None,
            "api_url": body["api_url"].replace(str(body["id"]), str(own_document.pk)),
        }
    ]


# --- Refused files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason", "words"),
    [
        (pdfs.HTML_PAGE, "not_pdf", "n’est pas un PDF"),
        (pdfs.make_png(), "not_pdf", "n’est pas un PDF"),
        (b"", "empty", "vide"),
        (pdfs.truncate(pdfs.make_pdf(pages=2)), "broken", "incomplet"),
        (pdfs.make_encrypted_pdf(), "encrypted", "mot de passe"),
        (pdfs.make_javascript_pdf(), "active_content", "JavaScript"),
    ],
    ids=["html", "png", "empty", "truncated", "encrypted", "javascript"],
)
def test_refused_files_get_the_librarys_reason(
    upload, author, library_temp_dir, data, reason, words
):
    response = upload(data, name="rapport.pdf")
    error = assert_error_shape(response, 422, "pdf_rejected")
    assert error["details"] == {"reason": reason}
    assert words in error["message"]
    assert not Document.objects.filter(contributor=author).exists()
    assert not list(services._storage_walk(services.PDF_FOLDER))
    assert list(library_temp_dir.iterdir()) == []


def test_a_file_over_the_limit_is_cut_off_while_it_arrives(
    settings, upload, author, report_pdf, library_temp_dir
):
    settings.STEPPE_LIBRARY_MAX_UPLOAD_BYTES = len(report_pdf) - 1
    response = upload(report_pdf)
    error = assert_error_shape(response, 413, "payload_too_large")
    assert error["message"].startswith("Le fichier dépasse la limite de")
    assert error["details"] == {"reason": "too_large", "max_bytes": len(report_pdf) - 1}
    assert not Document.objects.filter(contributor=author).exists()
    assert list(library_temp_dir.iterdir()) == []


def test_an_announced_oversized_body_is_refused_before_it_is_read(client, token, settings):
    settings.STEPPE_LIBRARY_MAX_UPLOAD_BYTES = 1024 * 1024
    body = CountingStream(50 * 1024 * 1024)
    response = client.generic(
        "POST",
        DOCUMENTS,
        content_type="multipart/form-data; boundary=frontiere",
        headers=bearer(token),
        CONTENT_LENGTH=str(body.size),
        CONTENT_TYPE="multipart/form-data; boundary=frontiere",
        **{"wsgi.input": body},
    )
    assert_error_shape(response, 413, "payload_too_large")
    assert body.read_bytes == 0


def test_without_a_valid_token_the_body_is_not_read(client, author, token):
    body = CountingStream(1024)
    response = client.generic(
        "POST",
        DOCUMENTS,
        content_type="multipart/form-data; boundary=frontiere",
        CONTENT_LENGTH=str(body.size),
        CONTENT_TYPE="multipart/form-data; boundary=frontiere",
        **{"wsgi.input": body},
    )
    assert_error_shape(response, 401, "unauthorized")
    api_token_revoke(token=ApiToken.objects.get(user=author))
    response = client.generic(
        "POST",
        DOCUMENTS,
        content_type="multipart/form-data; boundary=frontiere",
        headers=bearer(token),
        CONTENT_LENGTH=str(body.size),
        CONTENT_TYPE="multipart/form-data; boundary=frontiere",
        **{"wsgi.input": body},
    )
    assert assert_error_shape(response, 401, "invalid_token")["details"] == {"reason": "revoked"}
    assert body.read_bytes == 0


def test_a_malformed_multipart_body_is_a_400(client, token):
    response = client.generic(
        "POST",
        DOCUMENTS,
        b"--x\r\nnot a part",
        content_type="multipart/form-data; boundary=",
        headers=bearer(token),
    )
    assert_error_shape(response, 400, "bad_request")


def test_a_missing_file_and_invalid_fields_are_a_422(client, author, token):
    response = client.post(DOCUMENTS, {**RECORD, "countries": ["xx"]}, headers=bearer(token))
    error = assert_error_shape(response, 422, "validation_error")
    locations = {tuple(detail["loc"]) for detail in error["details"]}
    assert ("body", "file") in locations
    assert not Document.objects.filter(contributor=author).exists()


def test_record_errors_are_french_and_the_file_is_not_stored(upload, author, report_pdf):
    response = upload(report_pdf, doi="pas-un-doi", countries=["xx"])
    error = assert_error_shape(response, 422, "validation_error")
    messages = {tuple(detail["loc"]): detail["message"] for detail in error["details"]}
    assert messages[("body", "doi")] == DOI_MESSAGE
    assert "XX" in messages[("body", "countries")]
    assert not Document.objects.filter(contributor=author).exists()
    assert not list(services._storage_walk(services.PDF_FOLDER))


def test_a_bearer_token_needs_no_csrf_token_for_an_upload(token, report_pdf):
    client = Client(enforce_csrf_checks=True)
    form = {**RECORD, "file": pdf_file(report_pdf)}
    assert client.post(DOCUMENTS, form, headers=bearer(token)).status_code == 201


# --- Another contributor's documents: 404 ------------------------------------------------------


def test_a_token_never_reads_nor_changes_another_contributors_document(
    client, token, other_document
):
    url = f"{DOCUMENTS}/{other_document.pk}"
    assert_error_shape(client.get(url, headers=bearer(token)), 404, "not_found")
    patched = client.patch(
        url, {"title": "Volé"}, content_type="application/json", headers=bearer(token)
    )
    assert patched.status_code == 404
    added = client.post(
        f"{url}/versions", {"file": pdf_file(pdfs.make_pdf(pages=1))}, headers=bearer(token)
    )
    assert added.status_code == 404
    assert client.post(f"{url}/submit", headers=bearer(token)).status_code == 404
    other_document.refresh_from_db()
    assert other_document.title == "Le rapport d’un autre"
    assert other_document.status == PublicationStatus.DRAFT
    assert other_document.versions.count() == 1
    listed = client.get(DOCUMENTS, headers=bearer(token)).json()["items"]
    assert other_document.pk not in {item["id"] for item in listed}


@pytest.mark.parametrize("status", PublicationStatus.values)
def test_another_contributors_document_is_a_404_in_every_status(client, token, status):
    document = DocumentFactory(status=status, published_at=timezone.now())
    error = assert_error_shape(
        client.get(f"{DOCUMENTS}/{document.pk}", headers=bearer(token)), 404, "not_found"
    )
    assert error["message"] == "Aucun document trouvé."


# --- Listing -----------------------------------------------------------------------------------


def test_list_shows_own_documents_in_every_status_with_a_filter(
    client, author, token, own_document, other_document
):
    refused = DocumentFactory(contributor=author, status=PublicationStatus.REFUSED)
    body = client.get(DOCUMENTS, headers=bearer(token)).json()
    assert [item["id"] for item in body["items"]] == [refused.pk, own_document.pk]
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id[own_document.pk]["intake_status"] == "ready"
    assert by_id[refused.pk]["intake_status"] is None
    only = client.get(f"{DOCUMENTS}?status=refused", headers=bearer(token)).json()["items"]
    assert [item["id"] for item in only] == [refused.pk]


def test_list_pages_with_cursors(client, author, token):
    ids = [DocumentFactory(contributor=author).pk for _ in range(5)]
    seen, url = [], f"{DOCUMENTS}?limit=2"
    while url:
        body = client.get(url, headers=bearer(token)).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
    assert seen == sorted(ids, reverse=True)


def test_list_and_detail_query_counts_do_not_grow(
    client, author, token, django_assert_max_num_queries, kazakhstan
):
    for _ in range(3):
        DocumentFactory(contributor=author, countries=[kazakhstan])
    with django_assert_max_num_queries(8) as small:
        client.get(DOCUMENTS, headers=bearer(token))
    for _ in range(20):
        DocumentFactory(contributor=author, countries=[kazakhstan])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(DOCUMENTS, headers=bearer(token)).json()["items"]) == 20


def test_detail_query_count_does_not_grow_with_versions(
    client, author, token, django_assert_max_num_queries
):
    document = DocumentFactory(contributor=author, chapters=["Un", "Deux"])
    for number in range(1, 6):
        version = DocumentVersion.objects.create(
            document=document, number=number, file=f"x/{number}.pdf", checksum="0" * 64, size=1
        )
    Document.objects.filter(pk=document.pk).update(current_version=version)
    with django_assert_max_num_queries(12):
        body = client.get(f"{DOCUMENTS}/{document.pk}", headers=bearer(token)).json()
    assert len(body["versions"]) == 5
    assert body["current_version"]["number"] == 5


def test_me_links_the_documents(client, token):
    assert client.get("/api/v1/me", headers=bearer(token)).json()["documents"].endswith(DOCUMENTS)


# --- Rate limit on writes ----------------------------------------------------------------------


def test_uploads_count_towards_the_accounts_write_limit(
    client, settings, author, token, upload, report_pdf, own_document
):
    # A day-long window: a minute-long one could end between two slow uploads (flaky under load).
    settings.STEPPE_API_WRITE_RATE_LIMIT = "2/day"
    client.patch(
        f"{DOCUMENTS}/{own_document.pk}",
        {"title": "Un"},
        content_type="application/json",
        headers=bearer(token),
    )
    assert upload(pdfs.make_pdf(pages=2)).status_code == 201
    limited = upload(pdfs.make_pdf(pages=3))
    error = assert_error_shape(limited, 429, "rate_limited")
    assert error["details"]["retry_after"] == int(limited["Retry-After"])
    assert Document.objects.filter(contributor=author).count() == 2
    assert client.get(DOCUMENTS, headers=bearer(token)).status_code == 200


def test_unknown_form_fields_are_refused(upload, author, report_pdf):
    response = upload(report_pdf, status="published")
    error = assert_error_shape(response, 422, "validation_error")
    assert ["body", "status"] in [detail["loc"] for detail in error["details"]]
    assert not Document.objects.filter(contributor=author).exists()


def test_a_published_duplicate_of_another_contributor_shows_its_public_page(upload, other_document):
    services.document_publish(document=other_document, by=None)
    same_file = default_storage.open(other_document.current_version.file.name).read()
    body = upload(same_file).json()
    assert body["duplicates"] == [
        {
            "title": "Le rapport d’un autre",
            "url": f"http://testserver/bibliotheque/{other_document.slug}/",
            "api_url": None,
        }
    ]


def test_an_upload_retried_with_its_idempotency_key_gives_the_same_document(
    client, token, report_pdf, django_capture_on_commit_callbacks
):
    key = "6c1b1f1e-8f7e-4a55-bb0e-2f9d7c0f3a11"

    def send(data: bytes):
        form = {**RECORD, "file": pdf_file(data)}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(DOCUMENTS, form, headers={**bearer(token), "Idempotency-Key": key})

    first = send(report_pdf)
    again = send(report_pdf)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Document.objects.count() == 1
    other = send(pdfs.make_pdf(pages=2))
    assert other.status_code == 409
    assert "déjà servi" in other.json()["error"]["message"]
    assert Document.objects.count() == 1
    not_a_uuid = client.post(
        DOCUMENTS,
        {**RECORD, "file": pdf_file(report_pdf)},
        headers={**bearer(token), "Idempotency-Key": "une-clé"},
    )
    assert not_a_uuid.status_code == 422
