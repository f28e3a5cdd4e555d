"""Public pages of articles: home, article, and listings by country, region, theme, kind and author."""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from steppe.accounts.models import DELETED_ACCOUNT_USERNAME
from steppe.core.pagination import paginate
from steppe.library.selectors import document_list_brief
from steppe.taxonomy.models import Country, Region, Theme

from . import selectors
from .models import KIND_URL_SLUGS, Article

KIND_SLUGS = {slug: kind for kind, slug in KIND_URL_SLUGS.items()}

HOME_ITEMS = 12
HOME_DOCUMENTS = 4


def home(request: HttpRequest) -> HttpResponse:
    featured, items = selectors.article_list_home(limit=HOME_ITEMS)
    selectors.article_attach_urls(items)
    return render(
        request,
        "publishing/home.html",
        {
            "featured": featured,
            "items": items,
            # Called by the template only when its fragment is not in the cache.
            "documents": partial(_documents, limit=HOME_DOCUMENTS),
        },
    )


def _documents(*, limit: int, country: Country | None = None) -> list:
    """The side column's newest documents (read when its fragment is not in the cache)."""
    return list(document_list_brief(country=country)[:limit])


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.article_get_published(slug=slug)
    except Article.DoesNotExist:
        raise Http404(_("No article found.")) from None
    return render(request, "publishing/article_detail.html", {"article": article})


def _listing(request: HttpRequest, queryset, context: dict) -> HttpResponse:
    page = paginate(queryset, request, per_page=settings.STEPPE_PAGE_SIZE)
    selectors.article_attach_urls(page.items)
    return render(request, "publishing/listing.html", {**context, "page": page})


def country_detail(request: HttpRequest, slug: str) -> HttpResponse:
    country = get_object_or_404(Country.objects.select_related("region"), slug=slug)
    page = paginate(
        selectors.article_list_for_country(country=country),
        request,
        per_page=settings.STEPPE_PAGE_SIZE,
    )
    selectors.article_attach_urls(page.items)
    documents = partial(_documents, country=country, limit=5) if page.number == 1 else []
    return render(
        request,
        "publishing/country_detail.html",
        {"country": country, "page": page, "documents": documents},
    )


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    return _listing(
        request,
        selectors.article_list_for_region(region=region),
        {"heading": region.name, "region": region, "countries": list(region.countries.all())},
    )


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    return _listing(request, selectors.article_list_for_theme(theme=theme), {"heading": theme.name})


def kind_detail(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = KIND_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404(_("No such kind of article."))
    return _listing(
        request, selectors.article_list_for_kind(kind=kind), {"heading": Article.Kind(kind).label}
    )


def author_detail(request: HttpRequest, username: str) -> HttpResponse:
    # Inactive accounts have no public page, except the one that signs deleted contributors' pieces.
    author = get_object_or_404(
        get_user_model()
        .objects.select_related("country")
        .filter(Q(is_active=True) | Q(username=DELETED_ACCOUNT_USERNAME)),
        username=username,
    )
    page = paginate(
        selectors.article_list_for_author(author_id=author.pk),
        request,
        per_page=settings.STEPPE_PAGE_SIZE,
    )
    selectors.article_attach_urls(page.items)
    return render(request, "publishing/author_detail.html", {"author": author, "page": page})
