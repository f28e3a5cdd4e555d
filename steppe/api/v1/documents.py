"""/documents: the library's published documents, newest on Steppe first."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Router

from steppe.api import selectors
from steppe.api.errors import ApiError
from steppe.api.pagination import PUBLISHED_KEYSET, keyset_page, page_body
from steppe.library.models import Document

from . import params, serializers
from .schemas import DocumentDetail, DocumentPage, Language

router = Router(tags=["documents"])


@router.get(
    "",
    response={200: DocumentPage, **params.LIST_ERRORS},
    url_name="document_list",
    operation_id="document_list",
    summary="List published library documents",
)
def document_list(
    request: HttpRequest,
    country: list[params.CountryCode] = params.COUNTRY,
    region: list[params.Slug] = params.REGION,
    theme: list[params.Slug] = params.THEME,
    organisation: str | None = params.ORGANISATION,
    year: int | None = params.YEAR,
    language: list[Language] = params.LANGUAGE,
    contributor: params.Username | None = params.CONTRIBUTOR,
    published_after: datetime | None = params.PUBLISHED_AFTER,
    published_before: datetime | None = params.PUBLISHED_BEFORE,
    cursor: str | None = params.CURSOR,
    limit: int = params.LIMIT,
):
    """Newest on Steppe first (by `published_at`, then an internal id)."""
    queryset = selectors.document_list(
        countries=country,
        regions=region,
        themes=theme,
        organisation=organisation,
        year=year,
        languages=[lang.value for lang in language],
        contributor=contributor,
        published_after=params.aware(published_after),
        published_before=params.aware(published_before),
    )
    page = keyset_page(queryset, keyset=PUBLISHED_KEYSET, cursor=cursor, limit=limit)
    selectors.attach_classification(page.items)
    urls = serializers.Urls(request)
    return page_body(request, page, lambda document: serializers.document_summary(document, urls))


@router.get(
    "/{slug}",
    response={200: DocumentDetail, **params.DETAIL_ERRORS},
    url_name="document_detail",
    operation_id="document_detail",
    summary="One published document, with its chapters in order",
)
def document_detail(request: HttpRequest, slug: params.Slug):
    try:
        document = selectors.document_get(slug=slug)
    except Document.DoesNotExist:
        raise ApiError(404, _("No document found.")) from None
    return serializers.document_detail(document, serializers.Urls(request))
