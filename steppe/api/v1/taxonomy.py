"""/countries, /regions, /themes: short lists, answered whole (no pagination)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Router

from steppe.api import selectors
from steppe.api.errors import ApiError
from steppe.taxonomy.models import Country as CountryModel
from steppe.taxonomy.models import Region as RegionModel
from steppe.taxonomy.models import Theme as ThemeModel

from . import params, serializers
from .schemas import Country, Region, Theme

router = Router()
LIST_ERRORS = {422: params.Error, 429: params.Error, 500: params.Error}


@router.get(
    "/countries",
    response={200: list[Country], **LIST_ERRORS},
    url_name="country_list",
    operation_id="country_list",
    summary="List countries",
    tags=["countries"],
)
def country_list(
    request: HttpRequest,
    region: list[params.Slug] = params.REGION,
    focus: bool | None = params.FOCUS,
):
    """Ordered by ISO code."""
    urls = serializers.Urls(request)
    return [
        serializers.country(country, urls)
        for country in selectors.country_list(regions=region, is_focus=focus)
    ]


@router.get(
    "/countries/{code}",
    response={200: Country, **params.DETAIL_ERRORS},
    url_name="country_detail",
    operation_id="country_detail",
    summary="One country, by ISO 3166-1 alpha-2 code (any case)",
    tags=["countries"],
)
def country_detail(request: HttpRequest, code: params.CountryCode):
    try:
        country = selectors.country_get(code=code)
    except CountryModel.DoesNotExist:
        raise ApiError(404, _("No country found.")) from None
    return serializers.country(country, serializers.Urls(request))


@router.get(
    "/regions",
    response={200: list[Region], **LIST_ERRORS},
    url_name="region_list",
    operation_id="region_list",
    summary="List regions, with their countries",
    tags=["regions"],
)
def region_list(request: HttpRequest):
    urls = serializers.Urls(request)
    return [serializers.region(region, urls) for region in selectors.region_list()]


@router.get(
    "/regions/{slug}",
    response={200: Region, **params.DETAIL_ERRORS},
    url_name="region_detail",
    operation_id="region_detail",
    summary="One region",
    tags=["regions"],
)
def region_detail(request: HttpRequest, slug: params.Slug):
    try:
        region = selectors.region_get(slug=slug)
    except RegionModel.DoesNotExist:
        raise ApiError(404, _("No region found.")) from None
    return serializers.region(region, serializers.Urls(request))


@router.get(
    "/themes",
    response={200: list[Theme], **LIST_ERRORS},
    url_name="theme_list",
    operation_id="theme_list",
    summary="List themes",
    tags=["themes"],
)
def theme_list(request: HttpRequest):
    urls = serializers.Urls(request)
    return [serializers.theme(theme, urls) for theme in selectors.theme_list()]


@router.get(
    "/themes/{slug}",
    response={200: Theme, **params.DETAIL_ERRORS},
    url_name="theme_detail",
    operation_id="theme_detail",
    summary="One theme",
    tags=["themes"],
)
def theme_detail(request: HttpRequest, slug: params.Slug):
    try:
        theme = selectors.theme_get(slug=slug)
    except ThemeModel.DoesNotExist:
        raise ApiError(404, _("No theme found.")) from None
    return serializers.theme(theme, serializers.Urls(request))
