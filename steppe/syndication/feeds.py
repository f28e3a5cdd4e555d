"""Feeds (RSS 2.0 and Atom) for everything, and per country, region, theme, kind, author and library.

Every feed has one URL whatever the interface language (`/flux/…`), and is written in French, the
platform's default language. `/flux/X/` is the RSS feed of the page `/X/`, `/flux/X/atom/` its Atom
twin.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from steppe.publishing.models import KIND_URL_SLUGS, Article
from steppe.taxonomy.models import Country, Region, Theme

from . import conf, selectors
from .feedgenerators import AtomFeed, RssFeed
from .selectors import FeedEntry

KIND_SLUGS = {slug: kind for kind, slug in KIND_URL_SLUGS.items()}


@dataclass(frozen=True)
class FeedSection:
    """What a feed is about: its name, its HTML page, and its entries."""

    title: str
    link: str
    description: str
    entries: list[FeedEntry]


_SITE_PATH = re.compile(r'(\s(?:src|href)=")(/(?!/)[^"]*)"')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


def absolute_links(html: str, origin: str) -> str:
    """Prefix the site's own paths (src, href, srcset) in sanitised HTML with `origin`."""

    def srcset(match: re.Match) -> str:
        candidates = [
            origin + candidate
            if candidate.startswith("/") and not candidate.startswith("//")
            else candidate
            for candidate in match[2].split(", ")
        ]
        return f'{match[1]}{", ".join(candidates)}"'

    html = _SITE_PATH.sub(lambda match: f'{match[1]}{origin}{match[2]}"', html)
    return _SRCSET.sub(srcset, html)


def section_title(name: str) -> str:
    return f"{conf.site_name()} — {name}"


class SectionFeed(Feed):
    """Base class: subclasses turn the URL arguments into a FeedSection in `get_section`."""

    feed_type = RssFeed

    def get_section(self, **kwargs) -> FeedSection:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, **kwargs) -> FeedSection:
        section = self.get_section(**kwargs)
        # A feed is read away from the site: its links must be absolute (the syndication framework
        # only completes the item links; Atom's <uri> and the images of the body need it too).
        origin = request.build_absolute_uri("/").rstrip("/")
        entries = [
            replace(
                entry,
                author_url=origin + entry.author_url if entry.author_url else None,
                content_html=absolute_links(entry.content_html, origin),
            )
            for entry in section.entries
        ]
        return replace(section, entries=entries)

    def title(self, section: FeedSection) -> str:
        return section.title

    def link(self, section: FeedSection) -> str:
        return section.link

    def description(self, section: FeedSection) -> str:
        return section.description

    def author_name(self) -> str:
        return conf.site_name()

    def items(self, section: FeedSection) -> list[FeedEntry]:
        return section.entries

    def item_title(self, entry: FeedEntry) -> str:
        return entry.title

    def item_link(self, entry: FeedEntry) -> str:
        return entry.url

    def item_description(self, entry: FeedEntry) -> str:
        return entry.summary_html

    def item_author_name(self, entry: FeedEntry) -> str:
        return entry.author_name

    def item_author_link(self, entry: FeedEntry) -> str | None:
        return entry.author_url

    def item_pubdate(self, entry: FeedEntry) -> datetime:
        return entry.published_at

    def item_updateddate(self, entry: FeedEntry) -> datetime:
        return entry.updated_at

    def item_categories(self, entry: FeedEntry) -> tuple[str, ...]:
        return entry.categories

    def item_extra_kwargs(self, entry: FeedEntry) -> dict:
        return {"content": entry.content_html}

    @classmethod
    def atom(cls) -> "SectionFeed":
        """The same feed in Atom (`subtitle` is Atom's name for the description)."""
        atom_class = type(
            f"{cls.__name__}Atom",
            (cls,),
            {"feed_type": AtomFeed, "subtitle": cls.description},
        )
        return atom_class()


class LatestFeed(SectionFeed):
    def get_section(self) -> FeedSection:
        return FeedSection(
            title=conf.site_name(),
            link=reverse("publishing:home"),
            description=_("News, opinion and policy documents on Central Asia and Mongolia."),
            entries=selectors.feed_entries_latest(limit=conf.feed_size()),
        )


class CountryFeed(SectionFeed):
    def get_section(self, *, slug: str) -> FeedSection:
        country = get_object_or_404(Country, slug=slug)
        return FeedSection(
            title=section_title(country.name),
            link=country.get_absolute_url(),
            description=_("Latest articles and documents: %(name)s") % {"name": country.name},
            entries=selectors.feed_entries_for_country(country=country, limit=conf.feed_size()),
        )


class RegionFeed(SectionFeed):
    def get_section(self, *, slug: str) -> FeedSection:
        region = get_object_or_404(Region, slug=slug)
        return FeedSection(
            title=section_title(region.name),
            link=region.get_absolute_url(),
            description=_("Latest articles and documents: %(name)s") % {"name": region.name},
            entries=selectors.feed_entries_for_region(region=region, limit=conf.feed_size()),
        )


class ThemeFeed(SectionFeed):
    def get_section(self, *, slug: str) -> FeedSection:
        theme = get_object_or_404(Theme, slug=slug)
        return FeedSection(
            title=section_title(theme.name),
            link=theme.get_absolute_url(),
            description=_("Latest articles and documents: %(name)s") % {"name": theme.name},
            entries=selectors.feed_entries_for_theme(theme=theme, limit=conf.feed_size()),
        )


class KindFeed(SectionFeed):
    def get_section(self, *, kind_slug: str) -> FeedSection:
        kind = KIND_SLUGS.get(kind_slug)
        if kind is None:
            raise Http404(_("No such kind of article."))
        label = str(Article.Kind(kind).label)
        return FeedSection(
            title=section_title(label),
            link=reverse("publishing:kind_detail", kwargs={"kind_slug": kind_slug}),
            description=_("Latest articles: %(name)s") % {"name": label},
            entries=selectors.feed_entries_for_kind(kind=kind, limit=conf.feed_size()),
        )


class AuthorFeed(SectionFeed):
    def get_section(self, *, username: str) -> FeedSection:
        author = get_object_or_404(get_user_model(), username=username, is_active=True)
        return FeedSection(
            title=section_title(author.public_name),
            link=author.get_absolute_url(),
            description=_("Latest articles: %(name)s") % {"name": author.public_name},
            entries=selectors.feed_entries_for_author(author_id=author.pk, limit=conf.feed_size()),
        )


class LibraryFeed(SectionFeed):
    def get_section(self) -> FeedSection:
        return FeedSection(
            title=section_title(_("Files")),
            link=reverse("library:document_list"),
            description=_(
                "Policy documents, declarations and reports on Central Asia and Mongolia, "
                "with their key chapters."
            ),
            entries=selectors.feed_entries_library(limit=conf.feed_size()),
        )
