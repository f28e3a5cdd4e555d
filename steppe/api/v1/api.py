"""API v1: one NinjaAPI, its routers, its error handlers and its docs page."""

from django.http import HttpRequest
from django.urls import reverse

from ninja import NinjaAPI, Router

from steppe.api.docs import VendoredSwagger
from steppe.api.errors import install_handlers

from . import articles, authors, contrib, contrib_documents, documents, search, taxonomy
from .schemas import Error, Index

DESCRIPTION = """\
Read Steppe's published articles, library documents, countries, regions, themes and authors.

- JSON only; errors have one shape: `{"error": {"code", "message", "details"}}`.
- Lists are paginated with opaque cursors: follow `next` until it is null.
- Every successful GET carries an `ETag`; send it back in `If-None-Match` to get a 304.
- Reads are open to every origin (CORS) and rate-limited per IP: a 429 carries `Retry-After`.

The guide with examples: `docs/API.md` in the source repository.
"""

api = NinjaAPI(
    title="Steppe API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=VendoredSwagger(),
    # Authentication comes per router with the personal API tokens (write endpoints); reads are
    # public. See steppe/api/http.py:is_public for how an authenticated request loses CORS.
    auth=None,
)
install_handlers(api)

index_router = Router(tags=["index"])


@index_router.get(
    "/",
    response={200: Index, 429: Error, 500: Error},
    url_name="index",
    operation_id="index",
    summary="Where things are",
)
def index(request: HttpRequest):
    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(f"api:{name}"))

    return {
        "openapi": url("openapi-json"),
        "docs": url("openapi-view"),
        "articles": url("article_list"),
        "documents": url("document_list"),
        "countries": url("country_list"),
        "regions": url("region_list"),
        "themes": url("theme_list"),
        "authors": url("author_list"),
        "search": url("search"),
        "me": url("me"),
    }


api.add_router("", index_router)
api.add_router("/articles", articles.router)
api.add_router("/documents", documents.router)
api.add_router("", taxonomy.router)
api.add_router("/authors", authors.router)
api.add_router("", search.router)
api.add_router("/me", contrib.router)
api.add_router("/me/documents", contrib_documents.router)
