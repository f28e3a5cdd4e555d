"""/search: the search page's engine (steppe.search.selectors.search_run) as JSON."""

from enum import Enum, StrEnum
from typing import Annotated

from django.http import HttpRequest, QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString

from ninja import Query, Router
from pydantic import Field

from steppe.search.forms import MAX_PAGE
from steppe.search.models import SearchEntry
from steppe.search.selectors import KIND_LABELS, Filters, search_run

from . import params, serializers
from .schemas import AccountKind, Language, SearchPage

router = Router(tags=["search"])

SearchType = Enum("SearchType", {value: value for value in KIND_LABELS}, type=str)
Year = Annotated[str, Field(pattern=r"^[0-9]{4}$")]

# API parameter → the search page's facet name (steppe.search.selectors.FACETS).
FACET_PARAMETERS = {
    "type": "type",
    "country": "pays",
    "theme": "theme",
    "year": "annee",
    "language": "langue",
    "author_kind": "auteur",
}
FACET_NAMES = {facet: parameter for parameter, facet in FACET_PARAMETERS.items()}


class Sort(StrEnum):
    relevance = "relevance"
    date = "date"


QUERY = Query(
    "",
    max_length=1200,
    description='Words, "a phrase", -excluded, a OR b. Empty: everything (sort by date to page '
    "through it).",
)
TYPE = Query([], description="Article kind or `document`; repeat for any of several.")
YEAR = Query([], description="Year of publication; repeat for any of several.")
SORT = Query(Sort.relevance, description="`relevance` (default) or `date` (newest first).")
PAGE = Query(1, ge=1, le=MAX_PAGE, description="Page number (pages of fixed size).")


def _hit(hit, urls: serializers.Urls) -> dict:
    entry = hit.entry
    is_article = entry.item_type == SearchEntry.ItemType.ARTICLE
    snippet = hit.snippet if isinstance(hit.snippet, SafeString) else escape(hit.snippet)
    return {
        "type": entry.item_type,
        "kind": entry.kind,
        "slug": entry.slug,
        "title": entry.title,
        "title_html": str(hit.title),
        "snippet_html": str(snippet),
        "author_name": entry.author_name,
        "language": entry.language,
        "published_at": entry.published_at,
        "countries": [country.code for country in hit.countries],
        "url": urls.origin + hit.url if hit.url else None,
        "api_url": urls(
            "api:article_detail" if is_article else "api:document_detail", "slug", entry.slug
        )
        if hit.url
        else None,
    }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/search",
    response={200: SearchPage, **params.LIST_ERRORS},
    url_name="search",
    operation_id="search",
    summary="Search published articles and documents",
)
def search(
    request: HttpRequest,
    q: str = QUERY,
    type: list[SearchType] = TYPE,
    country: list[params.CountryCode] = params.COUNTRY,
    theme: list[params.Slug] = params.THEME,
    year: list[Year] = YEAR,
    language: list[Language] = params.LANGUAGE,
    author_kind: list[AccountKind] = params.ACCOUNT_KIND,
    sort: Sort = SORT,
    page: int = PAGE,
):
    """Hits with highlighted titles and snippets (`<mark>` around the matched words; everything
    else escaped), the number of matches, and facet counts over the best-ranked matches, as on the
    search page. Facets and filters: repeat a parameter for any of several values; different
    parameters combine with AND. An unknown country or theme matches nothing."""
    chosen = {
        "type": [value.value for value in type],
        "country": [value.lower() for value in country],
        "theme": [value.lower() for value in theme],
        "year": year,
        "language": [value.value for value in language],
        "author_kind": [value.value for value in author_kind],
    }
    data = QueryDict(mutable=True)
    for parameter, values in chosen.items():
        data.setlist(FACET_PARAMETERS[parameter], values)
    filters = Filters.from_querydict(data)
    unknown = any(
        set(chosen[parameter]) - set(filters.values.get(FACET_PARAMETERS[parameter], []))
        for parameter in ("country", "theme")
    )
    urls = serializers.Urls(request)
    if unknown:
        return {
            "query": q,
            "total": 0,
            "total_is_capped": False,
            "page": page,
            "next": None,
            "previous": None,
            "suggestion": None,
            "items": [],
            "facets": [],
        }
    results = search_run(text=q, filters=filters, sort=sort.value, page=page)
    return {
        "query": q,
        "total": results.total,
        "total_is_capped": results.total_is_capped,
        "page": results.page_number,
        "next": _page_url(request, page + 1) if results.has_next and page < MAX_PAGE else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
        "suggestion": results.suggestion,
        "items": [_hit(hit, urls) for hit in results.hits],
        "facets": [
            {
                "name": FACET_NAMES[facet.name],
                "label": facet.label,
                "values": [
                    {
                        "value": value.value,
                        "label": str(value.label),
                        "count": value.count,
                        "selected": value.selected,
                    }
                    for value in facet.values
                ],
            }
            for facet in results.facets
        ],
    }
