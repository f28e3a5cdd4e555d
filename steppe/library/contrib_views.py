"""The contributors' side of the library: upload a PDF with its record, follow its analysis,
confirm the chapters, add versions, submit to the editors.

Documents are looked up among the requesting user's own (an editor may open any): another
contributor's document is a 404, never a 403 that would confirm it exists.

Upload views are `csrf_exempt` on the outside and `csrf_protect` inside: the CSRF check reads
`request.POST`, which parses the upload, and the library's upload handler (size limit, temporary
folder) must be installed before that (Django's documented pattern for custom upload handlers).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from steppe.core.models import PublicationStatus

from . import conf, services, uploads
from .forms import (
    ChapterFormSet,
    DocumentRecordForm,
    DocumentUploadForm,
    VersionUploadForm,
    chapter_initial,
)
from .models import Document
from .pdf import PdfRejectedError


def _manageable(request: HttpRequest) -> QuerySet[Document]:
    if request.user.has_perm("library.change_document"):
        return Document.objects.all()
    return Document.objects.filter(contributor=request.user)


def _own_document(request: HttpRequest, pk: int) -> Document:
    return get_object_or_404(
        _manageable(request).select_related("current_version").defer("text_content"), pk=pk
    )


def _can_edit(request: HttpRequest, document: Document) -> bool:
    if request.user.has_perm("library.change_document"):
        return True
    return document.status not in {PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED}


def _can_add_version(request: HttpRequest, document: Document) -> bool:
    user = request.user
    if user.has_perm("library.change_document"):
        return True
    if document.status == PublicationStatus.SUBMITTED:
        return False
    return document.status != PublicationStatus.PUBLISHED or user.is_trusted


def _announce_duplicates(request: HttpRequest, outcome: services.UploadOutcome) -> None:
    for other in outcome.duplicates:
        messages.warning(
            request,
            _(
                "This very file is already in the library: “%(title)s”. "
                "Check that your document is not a duplicate."
            )
            % {"title": other.title},
        )


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    documents = (
        Document.objects.filter(contributor=request.user)
        .select_related("current_version")
        .defer("text_content", "presentation_source", "presentation_html")
        .order_by("-updated_at")
    )
    return render(request, "library/contrib/document_list.html", {"documents": documents})


@csrf_exempt
@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    handler = uploads.install(request) if request.method == "POST" else None
    return _document_new(request, handler)


@csrf_protect
def _document_new(
    request: HttpRequest, handler: uploads.LibraryUploadHandler | None
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = DocumentUploadForm(
            request.POST, request.FILES, too_large=bool(handler and handler.exceeded)
        )
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = services.document_upload(
                    by=request.user,
                    record=form.record(),
                    upload=upload,
                    filename=upload.name,
                    form_token=form.cleaned_data["form_token"],
                )
            except PdfRejectedError as error:
                form.add_error("file", str(error))
            except (services.LibraryError, ValidationError) as error:
                form.add_error(
                    None, error.messages if isinstance(error, ValidationError) else str(error)
                )
            else:
                messages.success(
                    request,
                    _(
                        "The file was accepted. Its analysis (text, pages, chapters) goes on in "
                        "the background: check the chapters, then submit the document."
                    ),
                )
                _announce_duplicates(request, outcome)
                return redirect(outcome.document.get_edit_url())
        status = 400
    else:
        form = DocumentUploadForm()
    return render(
        request,
        "library/contrib/document_new.html",
        {"form": form, "max_upload_mb": conf.max_upload_bytes() // (1024 * 1024)},
        status=status,
    )


def _render_edit(
    request: HttpRequest,
    document: Document,
    *,
    form: DocumentRecordForm | None = None,
    formset=None,
    version_form: VersionUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = list(document.versions.select_related("uploaded_by").order_by("-number"))
    return render(
        request,
        "library/contrib/document_edit.html",
        {
            "document": document,
            "version": document.current_version,
            "versions": versions,
            "form": form or DocumentRecordForm(initial=DocumentRecordForm.initial_for(document)),
            "formset": formset or ChapterFormSet(initial=chapter_initial(document)),
            "version_form": version_form or VersionUploadForm(),
            "can_edit": _can_edit(request, document),
            "can_add_version": _can_add_version(request, document),
            "max_upload_mb": conf.max_upload_bytes() // (1024 * 1024),
        },
        status=status,
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _own_document(request, pk)
    if request.method == "POST":
        form = DocumentRecordForm(request.POST)
        if form.is_valid():
            try:
                services.document_record_update(
                    document=document, by=request.user, record=form.record()
                )
            except services.LibraryError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The document's record was saved."))
                return redirect(document.get_edit_url())
        return _render_edit(request, document, form=form, status=400)
    return _render_edit(request, document)


@login_required
@require_POST
def chapters_save(request: HttpRequest, pk: int) -> HttpResponse:
    document = _own_document(request, pk)
    formset = ChapterFormSet(request.POST)
    if formset.is_valid():
        try:
            services.document_chapters_confirm(
                document=document, by=request.user, chapters=formset.chapters()
            )
        except services.LibraryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The chapters were saved."))
            return redirect(document.get_edit_url() + "#chapitres")
    return _render_edit(request, document, formset=formset, status=400)


@csrf_exempt
@login_required
def version_add(request: HttpRequest, pk: int) -> HttpResponse:
    handler = uploads.install(request) if request.method == "POST" else None
    return _version_add(request, pk, handler)


@csrf_protect
@require_POST
def _version_add(
    request: HttpRequest, pk: int, handler: uploads.LibraryUploadHandler | None
) -> HttpResponse:
    document = _own_document(request, pk)
    form = VersionUploadForm(
        request.POST, request.FILES, too_large=bool(handler and handler.exceeded)
    )
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = services.document_version_add(
                document=document, by=request.user, upload=upload, filename=upload.name
            )
        except PdfRejectedError as error:
            form.add_error("file", str(error))
        except services.LibraryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Version %(number)s was added; the previous ones stay available.")
                % {"number": outcome.version.number},
            )
            _announce_duplicates(request, outcome)
            return redirect(document.get_edit_url())
    return _render_edit(request, document, version_form=form, status=400)


@login_required
def intake_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The analysis status of the current file (HTMX polls it while the analysis runs)."""
    document = _own_document(request, pk)
    version = document.current_version
    response = render(
        request,
        "library/contrib/partials/intake_status.html",
        {"document": document, "version": version},
    )
    if request.htmx and request.GET.get("attendre") and version and not version.is_busy:
        # The analysis just ended: reload the page so the pre-filled chapters show.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def document_submit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.filter(contributor=request.user).select_related("current_version"), pk=pk
    )
    try:
        services.document_submit(document=document, by=request.user)
    except services.LibraryError as error:
        messages.error(request, str(error))
        return redirect(document.get_edit_url())
    if document.status == PublicationStatus.PUBLISHED:
        messages.success(request, _("Your document is published."))
    else:
        messages.success(request, _("Your document was sent to the editors."))
    return redirect("library:contrib_document_list")
