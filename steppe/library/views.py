"""Public pages of the library, its citation downloads and its OAI-PMH endpoint."""

import json
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from steppe.core.pagination import paginate

from . import citation, selectors
from .models import Document, DocumentVersion
from .oai import oai_respond
from .pdf import safe_filename
from .services import PDF_FOLDER


def _filters_from(request: HttpRequest) -> selectors.LibraryFilters:
    year = request.GET.get("annee", "")
    return selectors.LibraryFilters(
        country=request.GET.get("pays", "")[:2].upper(),
        theme=request.GET.get("theme", "")[:50],
        organisation=request.GET.get("organisation", "")[:255],
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        language=request.GET.get("langue", "")[:2],
    )


@dataclass(frozen=True)
class FacetLink:
    label: str
    value: str
    count: int
    url: str  # adds this value to the filters, or removes it when selected
    is_selected: bool


def _facet_group(
    request: HttpRequest,
    param: str,
    heading: str,
    values: list[selectors.FacetValue],
    selected: str,
) -> dict:
    def url(value: str | None) -> str:
        query = request.GET.copy()
        query.pop("page", None)
        query.pop(param, None)
        if value is not None:
            query[param] = value
        return "?" + query.urlencode() if query else request.path

    links = [
        FacetLink(
            label=facet.label,
            value=facet.value,
            count=facet.count,
            url=url(None if facet.value == selected else facet.value),
            is_selected=facet.value == selected,
        )
        for facet in values
    ]
    return {"param": param, "heading": heading, "links": links}


def document_list(request: HttpRequest) -> HttpResponse:
    filters = _filters_from(request)
    page = paginate(
        selectors.document_list_filtered(filters=filters),
        request,
        per_page=settings.STEPPE_PAGE_SIZE,
    )
    facets = selectors.document_facets(filters=filters)
    groups = [
        _facet_group(request, "pays", _("Country"), facets.countries, filters.country),
        _facet_group(request, "theme", _("Theme"), facets.themes, filters.theme),
        _facet_group(
            request, "organisation", _("Organisation"), facets.organisations, filters.organisation
        ),
        _facet_group(request, "annee", _("Year"), facets.years, str(filters.year or "")),
        _facet_group(request, "langue", _("Language"), facets.languages, filters.language),
    ]
    return render(
        request,
        "library/document_list.html",
        {"page": page, "filters": filters, "facet_groups": groups},
    )


def _origin(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _published_document(slug: str) -> Document:
    try:
        return selectors.document_get_published(slug=slug)
    except Document.DoesNotExist:
        raise Http404(_("No document found.")) from None


def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    document = _published_document(slug)
    origin = _origin(request)
    context = {
        "document": document,
        "origin": origin,
        "download_url": document.get_download_url(),
        "citation_tags": citation.citation_meta_tags(document, origin=origin),
        # A callable: the template calls it only when its fragment is not in the cache (citeproc
        # formats the reference in ~2 ms).
        "citation_reference": partial(
            citation.document_reference_html,
            document,
            origin=origin,
            language=get_language() or settings.LANGUAGE_CODE,
        ),
    }
    return render(request, "library/document_detail.html", context)


def document_cite(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The document's reference as a BibTeX, RIS or CSL-JSON file."""
    document = _published_document(slug)
    content_type, extension = citation.CITATION_FORMATS[fmt]
    origin = _origin(request)
    if fmt == "bib":
        body = citation.document_bibtex(document, origin=origin)
    elif fmt == "ris":
        body = citation.document_ris(document, origin=origin)
    else:
        item = citation.document_csl(document, origin=origin)
        body = json.dumps([item], ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.slug[:100]}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _visible_document(request: HttpRequest, slug: str) -> Document:
    try:
        return selectors.document_get_visible(slug=slug, user=request.user)
    except Document.DoesNotExist:
        raise Http404(_("No document found.")) from None


def _file_response(document: Document, version: DocumentVersion) -> FileResponse:
    """The PDF as an attachment, named from what was uploaded, cleaned (never the stored name)."""
    name = version.file.name
    # The stored name is ours (content-addressed), but check it stays in the library's folder.
    if not name.startswith(PDF_FOLDER + "/") or ".." in name:
        raise Http404(_("No document found."))
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404(_("No document found.")) from None
    fallback = document.slug or f"document-{document.pk}"
    if version.number > 1:
        fallback = f"{fallback}-v{version.number}"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(version.original_filename, fallback=fallback),
        content_type="application/pdf",
    )
    response["Content-Length"] = str(version.size)
    response["X-Content-Type-Options"] = "nosniff"
    if document.status == Document.Status.PUBLISHED and document.published_at <= timezone.now():
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    return response


@require_http_methods(["GET", "HEAD"])
def document_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The current file of a document the requester may see."""
    document = _visible_document(request, slug)
    if document.current_version is None:
        raise Http404(_("No document found."))
    return _file_response(document, document.current_version)


@require_http_methods(["GET", "HEAD"])
def document_version_download(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Any version of a document the requester may see."""
    document = _visible_document(request, slug)
    try:
        version = document.versions.get(number=number)
    except DocumentVersion.DoesNotExist:
        raise Http404(_("No document found.")) from None
    return _file_response(document, version)


@csrf_exempt  # OAI-PMH harvesters POST without a session: the endpoint is read-only
@require_http_methods(["GET", "HEAD", "POST"])
def oai(request: HttpRequest) -> HttpResponse:
    """The OAI-PMH 2.0 endpoint (GET, or POST with a form-encoded body)."""
    source = request.POST if request.method == "POST" else request.GET
    body = oai_respond(
        arguments=dict(source.lists()), base_url=request.build_absolute_uri(request.path)
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
