"""/me: the contributor's own articles, with a personal API token.

The same path as the web editor (`publishing.contrib_views`): articles are looked up among the token
owner's own (another's is a 404, never a 403 that would confirm it exists), the input is checked by
the editor's form (`publishing.forms.ArticleForm`: same rules, same French messages), and every change
goes through the publishing services (`article_draft_save`, `article_edit_propose`, `article_submit`).
Library documents: contrib_documents.py.
"""

import uuid

from django import forms
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ninja import Header, Query, Router
from ninja.responses import Status as HttpStatus

from steppe.api import selectors
from steppe.api.auth import token_auth
from steppe.api.errors import ApiError
from steppe.api.pagination import Keyset, keyset_page, page_body, parse_int
from steppe.core.models import PublicationStatus
from steppe.core.text import sanitize_html
from steppe.publishing import services
from steppe.publishing.forms import ArticleForm
from steppe.publishing.models import Article, ArticleRevision
from steppe.taxonomy.models import Country, Tag, Theme

from . import params, serializers
from .schemas import (
    ArticlePatch,
    ArticleWrite,
    Error,
    Me,
    OwnArticle,
    OwnArticlePage,
    Status,
)

router = Router(tags=["contributors"], auth=token_auth)

# Creation order: stable while a client pages through (updated_at changes with every save).
OWN_KEYSET = Keyset(name="own", fields=(("id", parse_int),))

AUTH_ERRORS = {401: Error, 429: Error, 500: Error}
READ_ERRORS = {**AUTH_ERRORS, 404: Error, 422: Error}
WRITE_ERRORS = {**READ_ERRORS, 400: Error, 409: Error}


STATUS = Query([], description="Repeat for any of several.")
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    description="A UUID of your choice: sending the same request again with the same key "
    "updates the draft the first one created instead of creating another.",
)


class ApiArticleForm(ArticleForm):
    """The editor's form, reading countries by ISO code and themes by slug (the API's names)."""

    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(), to_field_name="code", required=False
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), to_field_name="slug", required=False
    )


def _own_articles(request: HttpRequest):
    return Article.objects.filter(author=request.auth)


def _own_article(request: HttpRequest, article_id: int) -> Article:
    article = (
        _own_articles(request)
        .prefetch_related(
            Prefetch("countries", queryset=Country.objects.only("id", "code")),
            Prefetch("themes", queryset=Theme.objects.only("id", "slug")),
            Prefetch("tags", queryset=Tag.objects.only("id", "name")),
        )
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise ApiError(404, _("No article found."))
    return article


def _form_data(article: Article | None) -> dict:
    """The form's data for an article as it stands (a PATCH changes some fields of it)."""
    if article is None:
        return {"kind": Article.Kind.NEWS, "language": "fr"}
    return {
        "kind": article.kind,
        "title": article.title,
        "lead": article.lead,
        "body_source": article.body_source,
        "language": article.language,
        "countries": [country.code for country in article.countries.all()],
        "themes": [theme.slug for theme in article.themes.all()],
        "tags": ", ".join(tag.name for tag in article.tags.all()),
        "sources": article.sources,
    }


def _validated(data: dict, changes: dict) -> services.ArticleData:
    """Check the article as the web editor does; a 422 with each field's message otherwise."""
    for name, value in changes.items():
        if value is None:
            continue
        if name == "countries":
            value = [code.upper() for code in value]
        elif name == "tags":
            value = ", ".join(value)
        elif name == "sources":
            value = "\n".join(value)
        elif hasattr(value, "value"):  # an enum member
            value = value.value
        data[name] = value
    form = ApiArticleForm(data)
    if not form.is_valid():
        raise form_validation_error(form)
    return form.article_data()


def form_validation_error(form: forms.Form) -> ApiError:
    """A 422 naming each field of an invalid site form with its message (the request's language)."""
    details = [
        {
            "loc": ["body"] if field == "__all__" else ["body", field],
            "message": " ".join(error.messages),
            "type": error.code or "invalid",
        }
        for field, errors in form.errors.as_data().items()
        for error in errors
    ]
    return ApiError(422, code="validation_error", details=details)


def _own_article_summary(article: Article, urls: serializers.Urls, has_pending: bool) -> dict:
    published = (
        article.status == PublicationStatus.PUBLISHED
        and article.published_at is not None
        and article.published_at <= timezone.now()
    )
    return {
        "id": article.pk,
        "slug": article.slug,
        "kind": article.kind,
        "status": article.status,
        "title": article.title,
        "language": article.language,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "submitted_at": article.submitted_at,
        "published_at": article.published_at,
        "countries": article.country_codes,
        "themes": article.theme_slugs,
        "has_pending_edit": has_pending,
        "url": urls("publishing:article_detail", "slug", article.slug) if published else None,
        "edit_url": urls.origin + reverse("publishing:article_edit", kwargs={"pk": article.pk}),
        "api_url": urls.origin
        + reverse("api:own_article_detail", kwargs={"article_id": article.pk}),
    }


def _own_article_body(request: HttpRequest, article: Article) -> dict:
    """The full representation of one article, read again after a change."""
    article = _own_article(request, article.pk)
    article.country_codes = sorted(country.code for country in article.countries.all())
    article.theme_slugs = [theme.slug for theme in article.themes.all()]
    pending = (
        article.revisions.filter(state=ArticleRevision.State.PENDING)
        .only("number", "created_at")
        .order_by("-number")
        .first()
    )
    return {
        **_own_article_summary(article, serializers.Urls(request), pending is not None),
        "lead": article.lead,
        "body_source": article.body_source,
        "body_html": sanitize_html(article.body_html),
        "sources": article.source_links,
        "tags": [tag.name for tag in article.tags.all()],
        "decision_reason": article.decision_reason,
        "pending_edit": (
            {"number": pending.number, "created_at": pending.created_at} if pending else None
        ),
    }


def _conflict(error: services.PublishingError) -> ApiError:
    return ApiError(409, str(error), code="conflict")


@router.get(
    "",
    response={200: Me, **AUTH_ERRORS},
    url_name="me",
    operation_id="me",
    summary="The account and token of this request",
)
def me(request: HttpRequest):
    user, token = request.auth, request.api_token
    return {
        "username": user.username,
        "name": user.public_name,
        "is_trusted": user.is_trusted,
        "token": {
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
        },
        "articles": request.build_absolute_uri(reverse("api:own_article_list")),
        "documents": request.build_absolute_uri(reverse("api:own_document_list")),
    }


@router.get(
    "/articles",
    response={200: OwnArticlePage, 400: Error, **READ_ERRORS},
    url_name="own_article_list",
    operation_id="own_article_list",
    summary="List your articles, in every status",
)
def own_article_list(
    request: HttpRequest,
    status: list[Status] = STATUS,
    cursor: str | None = params.CURSOR,
    limit: int = params.LIMIT,
):
    """Your articles, newest created first, whatever their status."""
    pending = ArticleRevision.objects.filter(
        article=OuterRef("pk"), state=ArticleRevision.State.PENDING
    )
    queryset = (
        _own_articles(request)
        .defer("body_source", "body_html", "lead", "sources", "decision_reason")
        .annotate(has_pending_edit=Exists(pending))
    )
    if status:
        queryset = queryset.filter(status__in=[value.value for value in status])
    page = keyset_page(queryset, keyset=OWN_KEYSET, cursor=cursor, limit=limit)
    selectors.attach_classification(page.items)
    urls = serializers.Urls(request)
    return page_body(
        request,
        page,
        lambda article: _own_article_summary(article, urls, article.has_pending_edit),
    )


@router.post(
    "/articles",
    response={201: OwnArticle, **WRITE_ERRORS},
    url_name="own_article_create",
    operation_id="own_article_create",
    summary="Create a draft",
)
def own_article_create(
    request: HttpRequest,
    payload: ArticleWrite,
    idempotency_key: uuid.UUID | None = IDEMPOTENCY_KEY,
):
    """A new draft, saved as its first version, as the web editor does. Submit it when ready."""
    data = _validated(_form_data(None), payload.model_dump())
    try:
        article = services.article_draft_save(
            author=request.auth, data=data, form_token=idempotency_key
        )
    except services.PublishingError as error:
        raise _conflict(error) from None
    return HttpStatus(201, _own_article_body(request, article))


@router.get(
    "/articles/{article_id}",
    response={200: OwnArticle, **READ_ERRORS},
    url_name="own_article_detail",
    operation_id="own_article_detail",
    summary="One of your articles, in any status",
)
def own_article_detail(request: HttpRequest, article_id: params.ArticleId):
    return _own_article_body(request, _own_article(request, article_id))


@router.patch(
    "/articles/{article_id}",
    response={200: OwnArticle, 202: OwnArticle, **WRITE_ERRORS},
    url_name="own_article_update",
    operation_id="own_article_update",
    summary="Change your article (a published one: propose an edit)",
)
def own_article_update(request: HttpRequest, article_id: params.ArticleId, payload: ArticlePatch):
    """Only the fields sent change. A draft (or a submitted, refused or withdrawn article) is saved
    as a new version, and a refused or withdrawn one becomes a draft again. A published article
    stays online as it is: the change becomes a proposed edit (202) that the editors apply or turn
    down (a trusted contributor's edit is applied at once, 200)."""
    article = _own_article(request, article_id)
    data = _validated(_form_data(article), payload.model_dump(exclude_unset=True))
    try:
        if article.status == PublicationStatus.PUBLISHED:
            revision = services.article_edit_propose(article=article, by=request.auth, data=data)
            status = 200 if revision.state == ArticleRevision.State.APPLIED else 202
        else:
            services.article_draft_save(author=request.auth, article=article, data=data)
            status = 200
    except services.PublishingError as error:
        raise _conflict(error) from None
    return HttpStatus(status, _own_article_body(request, article))


@router.post(
    "/articles/{article_id}/submit",
    response={200: OwnArticle, **WRITE_ERRORS},
    url_name="own_article_submit",
    operation_id="own_article_submit",
    summary="Send your draft to the editors",
)
def own_article_submit(request: HttpRequest, article_id: params.ArticleId):
    """The draft goes to the editors' queue (`submitted`); a trusted contributor's is published at
    once. A 409 when the article is not a draft, or lacks a title or a body."""
    article = _own_article(request, article_id)
    try:
        services.article_submit(article=article, by=request.auth)
    except services.PublishingError as error:
        raise _conflict(error) from None
    return _own_article_body(request, article)
