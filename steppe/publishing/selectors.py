"""Reads behind the public pages. Each returns rows ready to render, with a fixed number of queries."""

from collections.abc import Iterable
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.formats import date_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from steppe.core.prefetch import prefetch_foreign_key, prefetch_many_to_many
from steppe.core.urlcache import reverse_cached
from steppe.taxonomy.models import Country, Region, Theme

from .models import KIND_URL_SLUGS, Article

# What a listing shows of an author: `User.public_name`, the profile URL, the organisation.
LISTING_AUTHOR_FIELDS = (
    "id",
    "username",
    "display_name",
    "first_name",
    "last_name",
    "kind",
    "organisation",
    "is_active",
)


def listing_authors() -> Prefetch:
    """The authors of listed articles, fetched by one query rather than joined (see for_listing)."""
    return Prefetch("author", queryset=get_user_model().objects.only(*LISTING_AUTHOR_FIELDS))


def article_list_published() -> QuerySet[Article]:
    """Published articles, newest first, ready for a headline + lead listing: with their authors
    and their countries (one query each, steppe.core.prefetch)."""
    return (
        Article.objects.published()
        .for_listing()
        .prefetch_foreign_key("author", LISTING_AUTHOR_FIELDS)
        .prefetch_many_to_many("countries")
    )


def _with_term(through_model, column: str, term_id: int):
    """EXISTS on a link table, by the term's id: the database walks the newest articles and stops
    after a page, instead of joining every link of a common country and sorting them."""
    return Exists(through_model.objects.filter(article=OuterRef("pk"), **{column: term_id}))


def article_list_for_country(*, country: Country) -> QuerySet[Article]:
    return article_list_published().filter(
        _with_term(Article.countries.through, "country_id", country.pk)
    )


def article_list_for_region(*, region: Region) -> QuerySet[Article]:
    # EXISTS instead of a join: an article about two countries of the region appears once.
    in_region = Article.countries.through.objects.filter(
        article=OuterRef("pk"), country__region=region
    )
    return article_list_published().filter(Exists(in_region))


def article_list_for_theme(*, theme: Theme) -> QuerySet[Article]:
    return article_list_published().filter(_with_term(Article.themes.through, "theme_id", theme.pk))


def article_list_for_kind(*, kind: str) -> QuerySet[Article]:
    return article_list_published().filter(kind=kind)


def article_list_for_author(*, author_id: int) -> QuerySet[Article]:
    return article_list_published().filter(author_id=author_id)


def article_prefetch_for_listing(articles: Iterable[Article]) -> None:
    """Load authors and countries of articles fetched without them (one query each)."""
    articles = list(articles)
    prefetch_foreign_key(articles, "author", LISTING_AUTHOR_FIELDS)
    prefetch_many_to_many(articles, ("countries",))


def article_list_home(*, limit: int) -> tuple[Article | None, list[Article]]:
    """The home page's featured article and the `limit` newest others.

    The featured article is the newest one marked featured (found through the partial index
    `article_featured`, so a site with none costs one index probe, not a scan of every article),
    else the newest one. Four queries: featured, latest, their authors, their countries.
    """
    listing = Article.objects.published().for_listing()
    featured = listing.filter(is_featured=True).first()
    if featured is None:
        rows = list(listing[: limit + 1])
        featured, items = (rows[0], rows[1:]) if rows else (None, [])
    else:
        items = list(listing.exclude(pk=featured.pk)[:limit])
    article_prefetch_for_listing([featured, *items] if featured else items)
    return featured, items


def article_get_featured() -> Article | None:
    """The featured article of the home page: the newest featured one, else the newest one."""
    return article_list_home(limit=0)[0]


class _UrlPattern:
    """reverse() once with a marker, then put each value in its place.

    A listing shows ~4 links per article (article, kind, author, countries): reverse() costs ~40 µs
    of CPU each, ~4 ms on a 20-item page, for URLs that differ only by one slug. The value is
    quoted as reverse() quotes it (RFC 3986 `pchar`), so both give the same URL (tested).
    """

    MARKER = "steppe-url-marker"

    def __init__(self, viewname: str, argument: str) -> None:
        self.head, self.tail = reverse_cached(viewname, **{argument: self.MARKER}).split(
            self.MARKER
        )

    def __call__(self, value: str) -> str:
        return f"{self.head}{quote(value, safe=RFC3986_SUBDELIMS + '/~:@')}{self.tail}"


def article_attach_urls(articles: Iterable[Article]) -> None:
    """Set `url`, `kind_url`, `author_url` on listed articles and `url` on their countries (loaded
    by article_list_published), in the active language; and `listing`, what
    core/partials/item_list.html shows of each, as a dict.

    The partial renders twenty rows or more on a page: read from a dict, each value is one lookup
    for the template engine, where an attribute of a model instance costs a failed `[]` lookup
    first, and a filter (dates) or a property (signature) more.
    """
    article_url = _UrlPattern("publishing:article_detail", "slug")
    kind_url = _UrlPattern("publishing:kind_detail", "kind_slug")
    author_url = _UrlPattern("publishing:author_detail", "username")
    country_url = _UrlPattern("publishing:country_detail", "slug")
    by, opinion_by = gettext("By"), gettext("Opinion by")
    kind_labels = {kind: str(label) for kind, label in Article.Kind.choices}
    for article in articles:
        article.url = article_url(article.slug)
        article.kind_url = kind_url(KIND_URL_SLUGS[article.kind])
        article.author_url = author_url(article.author.username)
        countries = []
        for country in article.countries.all():
            country.url = country_url(country.slug)
            countries.append({"url": country.url, "name": country.name})
        published_at = template_localtime(article.published_at)
        article.listing = {
            "kind": article.kind,
            "kind_url": article.kind_url,
            "kind_label": kind_labels.get(article.kind, article.kind),
            # What the `date:'c'` filter gives (DateFormat.c is isoformat()), without parsing.
            "published_iso": published_at.isoformat() if published_at else "",
            "published_on": date_format(published_at, "DATE_FORMAT") if published_at else "",
            "url": article.url,
            "title": article.title,
            "lead": article.lead,
            "by": opinion_by if article.is_opinion else by,
            "author_url": article.author_url,
            "signature": article.signature,
            "countries": countries,
        }


def article_get_published(*, slug: str) -> Article:
    """A published article with everything its page shows; raise Article.DoesNotExist.

    Two queries: the article with its author, then its countries, themes and tags together
    (steppe.core.prefetch).
    """
    return (
        Article.objects.published()
        .select_related("author")
        .prefetch_many_to_many("countries", "themes", "tags")
        .get(slug=slug)
    )
