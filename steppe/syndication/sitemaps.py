"""Sitemaps: one section per kind of page, each URL in French and English with hreflang alternates.

Django's `Sitemap` expands (item, language) pairs into a Python list to paginate them, which loads
every row of the table for each request, the index included. `LocalizedSitemap` counts and slices
in the database instead, so a sitemap page costs the same few queries with 100 or 100,000 items.
"""

from dataclasses import dataclass
from datetime import datetime
from math import ceil

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from steppe.publishing.models import KIND_URL_SLUGS

from . import conf, selectors


def _newest(*dates: datetime | None) -> datetime | None:
    return max((date for date in dates if date is not None), default=None)


class _PerLanguage:
    """The (item, language) pairs of a query set or list, counted and sliced in the database.

    Pairs are ordered item by item ((a, fr), (a, en), (b, fr)…), so that a slice of pairs maps to
    one slice of rows. Only what Django's Paginator needs is implemented: count() and [start:stop].
    """

    def __init__(self, items, languages: list[str]):
        self.items = items
        self.languages = languages

    @cached_property
    def _item_count(self) -> int:
        count = getattr(self.items, "count", None)
        return count() if callable(count) and not isinstance(self.items, list) else len(self.items)

    def count(self) -> int:
        return self._item_count * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Only [start:stop] slices are supported.")
        start, stop = index.start or 0, index.stop
        width = len(self.languages)
        first = start // width
        last = ceil(stop / width) if stop is not None else None
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        offset = start - first * width
        return pairs[offset : None if stop is None else offset + stop - start]


class LocalizedSitemap(Sitemap):
    """Every item once per interface language, with hreflang alternates and an x-default
    (the French URL: French is the default language and has no prefix)."""

    i18n = True
    alternates = True
    x_default = True
    changefreq: str | None = None

    @property
    def limit(self) -> int:
        return conf.sitemap_page_size()

    def _languages(self) -> list[str]:
        return [code for code, _name in settings.LANGUAGES]

    @property
    def paginator(self) -> Paginator:
        return Paginator(_PerLanguage(self.items(), self._languages()), self.limit)

    def lastmod(self, item) -> datetime | None:
        return None

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """Django's URL records, with each item's URLs reversed once per language.

        Django reverses every URL four times (its location, then each alternate and the x-default)
        under a language override each: that is most of the time of a 5,000-URL page.
        """
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        languages = self._languages()
        urls, dates = [], []
        previous = object()
        for item, language in self.paginator.page(page).object_list:
            if item is not previous:
                previous = item
                locations = {}
                for code in languages:
                    with translation.override(code):
                        locations[code] = origin + self.location(item)
                alternates = [
                    {"location": url, "lang_code": code} for code, url in locations.items()
                ]
                alternates.append(
                    {"location": locations[settings.LANGUAGE_CODE], "lang_code": "x-default"}
                )
                lastmod = self.lastmod(item)
            dates.append(lastmod)
            urls.append(
                {
                    "item": item,
                    "location": locations[language],
                    "lastmod": lastmod,
                    "changefreq": self.changefreq,
                    "priority": "",
                    "alternates": alternates,
                }
            )
        if dates and None not in dates:
            self.latest_lastmod = max(dates)  # read by Django's view for Last-Modified
        return urls


class ArticleSitemap(LocalizedSitemap):
    changefreq = "weekly"

    def items(self):
        return selectors.sitemap_article_list()

    def lastmod(self, article) -> datetime:
        return article.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return selectors.sitemap_article_latest_change()


class DocumentSitemap(LocalizedSitemap):
    changefreq = "monthly"

    def items(self):
        return selectors.sitemap_document_list()

    def lastmod(self, document) -> datetime:
        return document.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return selectors.sitemap_document_latest_change()


class _TaxonomySitemap(LocalizedSitemap):
    """Countries, regions, themes: few rows, dated by their newest published item."""

    changefreq = "daily"

    def lastmod(self, item) -> datetime | None:
        return _newest(item.latest_article_at, item.latest_document_at)

    def get_latest_lastmod(self) -> datetime | None:
        return _newest(*(self.lastmod(item) for item in self.items()))


class CountrySitemap(_TaxonomySitemap):
    def items(self):
        return selectors.sitemap_country_list()


class RegionSitemap(_TaxonomySitemap):
    def items(self):
        return selectors.sitemap_region_list()


class ThemeSitemap(_TaxonomySitemap):
    def items(self):
        return selectors.sitemap_theme_list()


class AuthorSitemap(LocalizedSitemap):
    changefreq = "weekly"

    def items(self):
        return selectors.sitemap_author_list()

    def lastmod(self, author) -> datetime:
        return author.latest_article_at

    def get_latest_lastmod(self) -> datetime | None:
        return selectors.sitemap_author_latest_article()


@dataclass(frozen=True)
class Page:
    url_name: str
    kwargs: dict
    lastmod: datetime | None


class PageSitemap(LocalizedSitemap):
    """The home page, the library and the listings by kind."""

    changefreq = "hourly"

    def items(self) -> list[Page]:
        return self._pages

    @cached_property
    def _pages(self) -> list[Page]:
        latest_by_kind = selectors.sitemap_latest_by_kind()
        latest_document = selectors.sitemap_document_latest_publication()
        return [
            Page("publishing:home", {}, _newest(*latest_by_kind.values(), latest_document)),
            Page("library:document_list", {}, latest_document),
            *(
                Page("publishing:kind_detail", {"kind_slug": slug}, latest_by_kind.get(kind))
                for kind, slug in KIND_URL_SLUGS.items()
            ),
        ]

    def location(self, page: Page) -> str:
        return reverse(page.url_name, kwargs=page.kwargs)

    def lastmod(self, page: Page) -> datetime | None:
        return page.lastmod

    def get_latest_lastmod(self) -> datetime | None:
        return _newest(*(page.lastmod for page in self.items()))


class NewsSitemap(Sitemap):
    """Google News: articles of the last 48 hours, one URL each (the article's own language)."""

    limit = 1000

    def items(self):
        return selectors.sitemap_news_article_list(
            hours=conf.news_sitemap_hours(), limit=self.limit
        )

    def lastmod(self, article) -> datetime:
        return article.published_at

    def get_latest_lastmod(self) -> datetime | None:
        newest = next(iter(self.items()[:1]), None)
        return newest.published_at if newest else None


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "documents": DocumentSitemap,
    "countries": CountrySitemap,
    "regions": RegionSitemap,
    "themes": ThemeSitemap,
    "authors": AuthorSitemap,
    "news": NewsSitemap,
}
