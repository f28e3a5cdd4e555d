"""/me/documents: the contributor's own library documents, with a personal API token.

The same path as the site's contributor pages (`library.contrib_views`): documents are looked up
among the token owner's own (another's is a 404, never a 403 that would confirm it exists); the
record is checked by the upload form (`library.forms.DocumentRecordForm`: same rules, same French
messages); every change goes through the library's services (`document_upload`,
`document_version_add`, `document_record_update`, `document_chapters_confirm`, `document_submit`),
which check the PDF (in a resource-limited child process) and queue its analysis.

Files arrive as multipart/form-data through the library's upload handler (`steppe.api.uploads`):
never held in memory, cut off past the size limit. Answers to a refused file:

- 413 `payload_too_large`: the file (or the whole body) is over the limit;
- 422 `pdf_rejected`, `details.reason` one of `PDF_REASONS`: the library's reason in `message`;
- 422 `validation_error`: a record field, or the file missing.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ninja import File, Form, Header, Router, UploadedFile
from ninja.decorators import decorate_view
from ninja.responses import Status as HttpStatus

from steppe.api import selectors
from steppe.api.auth import token_auth
from steppe.api.errors import ApiError
from steppe.api.pagination import Keyset, keyset_page, page_body, parse_int
from steppe.api.uploads import receives_pdf, too_large_error
from steppe.core.models import PublicationStatus
from steppe.core.text import sanitize_html
from steppe.library import services
from steppe.library.models import Chapter as ChapterModel
from steppe.library.models import Document, DocumentVersion
from steppe.library.pdf import PdfRejectedError

from . import params, serializers
from .contrib import STATUS, form_validation_error
from .forms import ApiDocumentRecordForm
from .schemas import (
    DocumentPatch,
    DocumentWrite,
    Error,
    OwnDocument,
    OwnDocumentPage,
    Status,
    UploadedDocument,
)

router = Router(tags=["contributors"], auth=token_auth)

# Upload order: stable while a client pages through (updated_at changes with every save).
OWN_DOCUMENTS_KEYSET = Keyset(name="own_documents", fields=(("id", parse_int),))

AUTH_ERRORS = {401: Error, 429: Error, 500: Error}
READ_ERRORS = {**AUTH_ERRORS, 404: Error, 422: Error}
WRITE_ERRORS = {**READ_ERRORS, 400: Error, 409: Error}
UPLOAD_ERRORS = {**WRITE_ERRORS, 413: Error}

# `details.reason` of a 422 pdf_rejected (library.pdf's codes).
PDF_REASONS = (
    "empty",
    "not_pdf",
    "broken",
    "encrypted",
    "active_content",
    "bomb",
    "too_many_pages",
    "timeout",
    "memory",
    "duplicate",
)

FILE = File(
    ...,
    description="The PDF (50 MB at most by default; no password, no scripts).",
)
UPLOAD_IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    description="A UUID of your choice: the same upload sent again with the same key (a retry "
    "after a lost answer) returns the document the first one created instead of creating another.",
)


def _own_documents(request: HttpRequest):
    return Document.objects.filter(contributor=request.auth)


def _own_document(request: HttpRequest, document_id: int) -> Document:
    document = (
        _own_documents(request)
        .select_related("current_version")
        .defer("text_content")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise ApiError(404, _("No document found."))
    return document


def _site_url(urls: serializers.Urls, name: str, **kwargs) -> str:
    # The site's pages in its default (French) interface, like every `url` of the API.
    with translation.override(settings.LANGUAGE_CODE):
        return urls.origin + reverse(name, kwargs=kwargs)


def _is_online(document: Document) -> bool:
    return (
        document.status == PublicationStatus.PUBLISHED
        and document.published_at is not None
        and document.published_at <= timezone.now()
    )


def _summary(document: Document, urls: serializers.Urls, intake_status: str | None) -> dict:
    return {
        "id": document.pk,
        "slug": document.slug,
        "status": document.status,
        "title": document.title,
        "language": document.language,
        "language_detect": document.language_detect,
        "created_at": document.created_at,
        "updated_at": document.updated_at,
        "submitted_at": document.submitted_at,
        "published_at": document.published_at,
        "countries": document.country_codes,  # set by selectors.attach_classification
        "themes": document.theme_slugs,
        "intake_status": intake_status,
        "url": urls("library:document_detail", "slug", document.slug)
        if _is_online(document)
        else None,
        "edit_url": _site_url(urls, "library:contrib_document_edit", pk=document.pk),
        "api_url": urls.origin
        + reverse("api:own_document_detail", kwargs={"document_id": document.pk}),
    }


def _version(version: DocumentVersion, document: Document, urls: serializers.Urls) -> dict:
    return {
        "number": version.number,
        "is_current": version.pk == document.current_version_id,
        "original_filename": version.original_filename,
        "size": version.size,
        "sha256": version.checksum,
        "pages": version.pages,
        "uploaded_at": version.created_at,
        "intake_status": version.intake_status,
        "intake_error": version.intake_error or None,
        "intake_error_message": (
            str(version.get_intake_error_display()) if version.intake_error else None
        ),
        "detected_language": version.detected_language or None,
        "download_url": _site_url(
            urls,
            "library:document_version_download",
            slug=document.slug,
            number=version.number,
        ),
    }


def _own_document_body(request: HttpRequest, document_id: int) -> dict:
    """The full representation of one document, read afresh (after a change, or the intake)."""
    document = (
        _own_documents(request)
        .defer("text_content")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number")),
            Prefetch("chapters", queryset=ChapterModel.objects.order_by("position")),
        )
        .get(pk=document_id)
    )
    selectors.attach_classification([document])
    urls = serializers.Urls(request)
    versions = [_version(version, document, urls) for version in document.versions.all()]
    current = next((v for v in versions if v["is_current"]), None)
    return {
        **_summary(document, urls, current["intake_status"] if current else None),
        "subtitle": document.subtitle,
        "published_on": document.published_on,
        "organisation": document.organisation,
        "authors": document.authors,
        "presentation_source": document.presentation_source,
        "presentation_html": sanitize_html(document.presentation_html),
        "licence": document.licence,
        "doi": document.doi,
        "source_url": document.source_url,
        "decision_reason": document.decision_reason,
        "chapters": [
            {"position": chapter.position, "title": chapter.title, "page": chapter.page}
            for chapter in document.chapters.all()
        ],
        "chapters_confirmed": document.chapters_confirmed_at is not None,
        "current_version": current,
        "versions": versions,
    }


def _uploaded_body(request: HttpRequest, outcome: services.UploadOutcome) -> dict:
    urls = serializers.Urls(request)
    duplicates = [
        {
            "title": other.title,
            "url": urls("library:document_detail", "slug", other.slug)
            if _is_online(other)
            else None,
            "api_url": urls.origin
            + reverse("api:own_document_detail", kwargs={"document_id": other.pk})
            if other.contributor_id == request.auth.pk
            else None,
        }
        for other in outcome.duplicates
    ]
    return {**_own_document_body(request, outcome.document.pk), "duplicates": duplicates}


# --- Input ---------------------------------------------------------------------------------------


def _form_values(changes: dict) -> dict:
    """API values (ISO codes, "auto", dates) as the upload form's fields read them."""
    data = {}
    for name, value in changes.items():
        if name == "countries":
            value = [code.upper() for code in value]
        elif name == "language":
            value = "" if value == "auto" else value
        elif name == "published_on":
            value = value.isoformat() if value else ""
        data[name] = value
    return data


def _current_values(document: Document) -> dict:
    """The form's data for a document's record as it stands (a PATCH changes some fields)."""
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "published_on": document.published_on.isoformat() if document.published_on else "",
        "organisation": document.organisation,
        "authors": document.authors,
        "presentation_source": document.presentation_source,
        "language": "" if document.language_detect else document.language,
        "licence": document.licence,
        "doi": document.doi,
        "source_url": document.source_url,
        "countries": [country.code for country in document.countries.all()],
        "themes": [theme.slug for theme in document.themes.all()],
    }


def _checked_record(data: dict) -> services.DocumentRecord:
    """Check the record as the web form does; a 422 with each field's message otherwise."""
    form = ApiDocumentRecordForm(data)
    if not form.is_valid():
        raise form_validation_error(form)
    return form.record()


def _refuse_unknown_fields(request: HttpRequest, allowed: set[str]) -> None:
    """A misspelt form field (`-F countrys=kz`) is a 422, as an unknown JSON field is: Ninja's
    form parsing would silently leave it out."""
    unknown = sorted((set(request.POST) | set(request.FILES)) - allowed)
    if unknown:
        details = [
            {
                "loc": ["body", name],
                "message": _("This field is not accepted."),
                "type": "extra_forbidden",
            }
            for name in unknown
        ]
        raise ApiError(422, code="validation_error", details=details)


def _pdf_error(error: PdfRejectedError) -> ApiError:
    if error.code == "too_large":
        return too_large_error()
    return ApiError(422, str(error), code="pdf_rejected", details={"reason": error.code})


def _conflict(error: services.LibraryError) -> ApiError:
    return ApiError(409, str(error), code="conflict")


def _model_error(error: DjangoValidationError) -> ApiError:
    details = [
        {
            "loc": ["body"] if field == "__all__" else ["body", field],
            "message": m,
            "type": "invalid",
        }
        for field, messages in error.message_dict.items()
        for m in messages
    ]
    return ApiError(422, code="validation_error", details=details)


# --- Endpoints -----------------------------------------------------------------------------------


@router.get(
    "",
    response={200: OwnDocumentPage, 400: Error, **READ_ERRORS},
    url_name="own_document_list",
    operation_id="own_document_list",
    summary="List your library documents, in every status",
)
def own_document_list(
    request: HttpRequest,
    status: list[Status] = STATUS,
    cursor: str | None = params.CURSOR,
    limit: int = params.LIMIT,
):
    """Your documents, newest uploaded first, whatever their status."""
    queryset = (
        _own_documents(request)
        .defer("text_content", "presentation_source", "presentation_html", "decision_reason")
        .annotate(current_intake_status=F("current_version__intake_status"))
    )
    if status:
        queryset = queryset.filter(status__in=[value.value for value in status])
    page = keyset_page(queryset, keyset=OWN_DOCUMENTS_KEYSET, cursor=cursor, limit=limit)
    selectors.attach_classification(page.items)
    urls = serializers.Urls(request)
    return page_body(
        request,
        page,
        lambda document: _summary(document, urls, document.current_intake_status),
    )


@router.post(
    "",
    response={201: UploadedDocument, **UPLOAD_ERRORS},
    url_name="own_document_create",
    operation_id="own_document_create",
    summary="Upload a PDF with its record: a new draft document",
)
@decorate_view(receives_pdf)
def own_document_create(
    request: HttpRequest,
    record: Form[DocumentWrite],
    file: UploadedFile = FILE,
    idempotency_key: uuid.UUID | None = UPLOAD_IDEMPOTENCY_KEY,
):
    """multipart/form-data: the record's fields and the PDF in `file`. The file is checked at once
    (a 413 over the size limit; a 422 `pdf_rejected` for what is not a plain, complete PDF, with
    the reason in `message`); its analysis (text, pages, language, outline → chapters) then runs
    in the background: follow `intake_status`, then submit the document. Sent again with the same
    `Idempotency-Key` and the same file, it answers with the document the first request created
    (a 409 for the same key with another file)."""
    _refuse_unknown_fields(request, {*DocumentWrite.model_fields, "file"})
    checked = _checked_record(_form_values(record.model_dump()))
    try:
        outcome = services.document_upload(
            by=request.auth,
            record=checked,
            upload=file,
            filename=file.name or "",
            form_token=idempotency_key,
        )
    except PdfRejectedError as error:
        raise _pdf_error(error) from None
    except services.LibraryError as error:
        raise _conflict(error) from None
    except DjangoValidationError as error:
        raise _model_error(error) from None
    return HttpStatus(201, _uploaded_body(request, outcome))


@router.get(
    "/{document_id}",
    response={200: OwnDocument, **READ_ERRORS},
    url_name="own_document_detail",
    operation_id="own_document_detail",
    summary="One of your documents: record, files, analysis, chapters",
)
def own_document_detail(request: HttpRequest, document_id: params.DocumentId):
    return _own_document_body(request, _own_document(request, document_id).pk)


@router.patch(
    "/{document_id}",
    response={200: OwnDocument, **WRITE_ERRORS},
    url_name="own_document_update",
    operation_id="own_document_update",
    summary="Change your document's record or its chapters",
)
def own_document_update(
    request: HttpRequest, document_id: params.DocumentId, payload: DocumentPatch
):
    """Only the fields sent change. A refused or withdrawn document becomes a draft again; a
    submitted or published one is with the editors (409). `chapters` replaces the list and keeps
    it: the outline of a file sent later no longer changes it."""
    document = _own_document(request, document_id)
    changes = payload.model_dump(exclude_unset=True)
    chapters = changes.pop("chapters", None)
    # Checked before anything is written (the chapters were checked by their schema).
    record = (
        _checked_record({**_current_values(document), **_form_values(changes)}) if changes else None
    )
    try:
        with transaction.atomic():
            if record is not None:
                services.document_record_update(document=document, by=request.auth, record=record)
            if chapters is not None:
                services.document_chapters_confirm(
                    document=document,
                    by=request.auth,
                    chapters=[
                        services.ChapterData(title=chapter["title"], page=chapter.get("page"))
                        for chapter in chapters
                    ],
                )
    except services.LibraryError as error:
        raise _conflict(error) from None
    except DjangoValidationError as error:
        raise _model_error(error) from None
    return _own_document_body(request, document.pk)


@router.post(
    "/{document_id}/versions",
    response={201: UploadedDocument, **UPLOAD_ERRORS},
    url_name="own_document_version_add",
    operation_id="own_document_version_add",
    summary="Send a new file of your document",
)
@decorate_view(receives_pdf)
def own_document_version_add(
    request: HttpRequest, document_id: params.DocumentId, file: UploadedFile = FILE
):
    """multipart/form-data with the PDF in `file`: it becomes the current version (the older ones
    stay). Not while the editors review the document, nor once it is published (409), unless you
    are a trusted contributor. The same file as the current one is a 422 (`duplicate`)."""
    _refuse_unknown_fields(request, {"file"})
    document = _own_document(request, document_id)
    try:
        outcome = services.document_version_add(
            document=document, by=request.auth, upload=file, filename=file.name or ""
        )
    except PdfRejectedError as error:
        raise _pdf_error(error) from None
    except services.LibraryError as error:
        raise _conflict(error) from None
    return HttpStatus(201, _uploaded_body(request, outcome))


@router.post(
    "/{document_id}/submit",
    response={200: OwnDocument, **WRITE_ERRORS},
    url_name="own_document_submit",
    operation_id="own_document_submit",
    summary="Send your document to the editors",
)
def own_document_submit(request: HttpRequest, document_id: params.DocumentId):
    """The document goes to the editors' queue (`submitted`); a trusted contributor's is published
    at once. A 409 when it is not a draft, has no file, or its file is still being analysed."""
    document = _own_document(request, document_id)
    try:
        services.document_submit(document=document, by=request.auth)
    except services.LibraryError as error:
        raise _conflict(error) from None
    return _own_document_body(request, document.pk)
