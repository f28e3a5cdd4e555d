"""Public pages of the library."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from steppe.core.pagination import paginate

from . import selectors
from .models import Document


def document_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        selectors.document_list_published(), request, per_page=settings.STEPPE_PAGE_SIZE
    )
    return render(request, "library/document_list.html", {"page": page})


def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        document = selectors.document_get_published(slug=slug)
    except Document.DoesNotExist:
        raise Http404(_("No document found.")) from None
    return render(request, "library/document_detail.html", {"document": document})
