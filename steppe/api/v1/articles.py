"""/articles: published articles, newest first."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Router

from steppe.api import selectors
from steppe.api.errors import ApiError
from steppe.api.pagination import PUBLISHED_KEYSET, keyset_page, page_body
from steppe.publishing.models import Article

from . import params, serializers
from .schemas import ArticleDetail, ArticleKind, ArticlePage, Language

router = Router(tags=["articles"])


@router.get(
    "",
    response={200: ArticlePage, **params.LIST_ERRORS},
    url_name="article_list",
    operation_id="article_list",
    summary="List published articles",
)
def article_list(
    request: HttpRequest,
    country: list[params.CountryCode] = params.COUNTRY,
    region: list[params.Slug] = params.REGION,
    theme: list[params.Slug] = params.THEME,
    kind: list[ArticleKind] = params.ARTICLE_KIND,
    language: list[Language] = params.LANGUAGE,
    author: params.Username | None = params.AUTHOR,
    published_after: datetime | None = params.PUBLISHED_AFTER,
    published_before: datetime | None = params.PUBLISHED_BEFORE,
    cursor: str | None = params.CURSOR,
    limit: int = params.LIMIT,
):
    """Newest first (by `published_at`, then an internal id). Filters combine with AND; the values
    of a repeated filter with OR. Follow `next` for the following page."""
    queryset = selectors.article_list(
        countries=country,
        regions=region,
        themes=theme,
        kinds=[k.value for k in kind],
        languages=[lang.value for lang in language],
        author=author,
        published_after=params.aware(published_after),
        published_before=params.aware(published_before),
    )
    page = keyset_page(queryset, keyset=PUBLISHED_KEYSET, cursor=cursor, limit=limit)
    selectors.attach_classification(page.items)
    urls = serializers.Urls(request)
    return page_body(request, page, lambda article: serializers.article_summary(article, urls))


@router.get(
    "/{slug}",
    response={200: ArticleDetail, **params.DETAIL_ERRORS},
    url_name="article_detail",
    operation_id="article_detail",
    summary="One published article, with its sanitised HTML body",
)
def article_detail(request: HttpRequest, slug: params.Slug):
    try:
        article = selectors.article_get(slug=slug)
    except Article.DoesNotExist:
        raise ApiError(404, _("No article found.")) from None
    return serializers.article_detail(article, serializers.Urls(request))
