"""Reads behind the public pages. Each returns rows ready to render, with a fixed number of queries."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from steppe.taxonomy.models import Country, Region, Theme

from .models import Article

LISTING_COUNTRIES = Prefetch(
    "countries", queryset=Country.objects.only("id", "slug", "name_fr", "name_en", "name_ru")
)


def article_list_published() -> QuerySet[Article]:
    """Published articles, newest first, ready for a headline + lead listing."""
    return Article.objects.published().for_listing().prefetch_related(LISTING_COUNTRIES)


def article_list_for_country(*, country: Country) -> QuerySet[Article]:
    return article_list_published().filter(countries=country)


def article_list_for_region(*, region: Region) -> QuerySet[Article]:
    # EXISTS instead of a join: an article about two countries of the region appears once.
    in_region = Article.countries.through.objects.filter(
        article=OuterRef("pk"), country__region=region
    )
    return article_list_published().filter(Exists(in_region))


def article_list_for_theme(*, theme: Theme) -> QuerySet[Article]:
    return article_list_published().filter(themes=theme)


def article_list_for_kind(*, kind: str) -> QuerySet[Article]:
    return article_list_published().filter(kind=kind)


def article_list_for_author(*, author_id: int) -> QuerySet[Article]:
    return article_list_published().filter(author_id=author_id)


def article_get_featured() -> Article | None:
    """The featured article of the home page: the newest featured one, else the newest one."""
    listing = article_list_published()
    return listing.filter(is_featured=True).first() or listing.first()


def article_get_published(*, slug: str) -> Article:
    """A published article with everything its page shows; raise Article.DoesNotExist."""
    return (
        Article.objects.published()
        .select_related("author")
        .prefetch_related("countries", "themes", "tags")
        .get(slug=slug)
    )
