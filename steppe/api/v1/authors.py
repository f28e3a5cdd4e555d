"""/authors: public profiles of the accounts that have published something, and their items."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Router

from steppe.api import selectors
from steppe.api.errors import ApiError
from steppe.api.pagination import USERNAME_KEYSET, keyset_page, page_body

from . import params, serializers
from .schemas import AccountKind, Author, AuthorPage, ItemPage

router = Router(tags=["authors"])


def _author_or_404(username: str):
    try:
        return selectors.author_get(username=username)
    except get_user_model().DoesNotExist:
        raise ApiError(404, _("No author found.")) from None


@router.get(
    "",
    response={200: AuthorPage, **params.LIST_ERRORS},
    url_name="author_list",
    operation_id="author_list",
    summary="List authors",
)
def author_list(
    request: HttpRequest,
    kind: list[AccountKind] = params.ACCOUNT_KIND,
    cursor: str | None = params.CURSOR,
    limit: int = params.LIMIT,
):
    """Accounts with at least one published article or document, by username."""
    queryset = selectors.author_list(kinds=[k.value for k in kind])
    page = keyset_page(queryset, keyset=USERNAME_KEYSET, cursor=cursor, limit=limit)
    urls = serializers.Urls(request)
    return page_body(request, page, lambda user: serializers.author(user, urls))


@router.get(
    "/{username}",
    response={200: Author, **params.DETAIL_ERRORS},
    url_name="author_detail",
    operation_id="author_detail",
    summary="An author's public profile",
)
def author_detail(request: HttpRequest, username: params.Username):
    return serializers.author(_author_or_404(username), serializers.Urls(request))


@router.get(
    "/{username}/items",
    response={200: ItemPage, 400: params.Error, **params.DETAIL_ERRORS},
    url_name="author_items",
    operation_id="author_items",
    summary="An author's published articles and documents",
)
def author_items(
    request: HttpRequest,
    username: params.Username,
    cursor: str | None = params.CURSOR,
    limit: int = params.LIMIT,
):
    """Articles they wrote and documents they contributed, newest first; `type` tells which."""
    author = _author_or_404(username)
    page = selectors.author_items_page(author=author, cursor=cursor, limit=limit)
    urls = serializers.Urls(request)
    return page_body(request, page, lambda row: serializers.item(row, urls))
