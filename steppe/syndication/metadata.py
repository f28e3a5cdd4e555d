"""What a page's <head> says to machines: canonical URL, hreflang alternates, feeds, OpenGraph and
Twitter card tags, JSON-LD.

Everything is read from the objects the page's view already put in the template context (article,
document, author, country, region, heading…), so that the metadata costs no query. Which kind of page
it is comes from the URL name (`request.resolver_match`), never from the context alone: a contributor's
edit page may also hold an `article`.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.template.context import Context
from django.urls import reverse, translate_url
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from . import conf
from . import structured_data as ld
from .structured_data import Absolute
from .xml import xml_safe_deep

OG_LOCALES = {"fr": "fr_FR", "en": "en_GB", "ru": "ru_RU"}
DESCRIPTION_LENGTH = 200
SITE_DESCRIPTION = gettext_noop("News, opinion and policy documents on Central Asia and Mongolia.")

# Listing pages and the feed that carries the same items: URL name → (feed name, URL arguments).
SECTION_FEEDS = {
    "publishing:country_detail": ("country", ("slug",)),
    "publishing:region_detail": ("region", ("slug",)),
    "publishing:theme_detail": ("theme", ("slug",)),
    "publishing:kind_detail": ("kind", ("kind_slug",)),
    "publishing:author_detail": ("author", ("username",)),
    "library:document_list": ("library", ()),
}


@dataclass(frozen=True)
class FeedLink:
    type: str
    title: str
    url: str


@dataclass
class PageMetadata:
    canonical_url: str | None = None
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (hreflang, URL)
    feeds: list[FeedLink] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)  # <meta property> (OpenGraph)
    names: list[tuple[str, str]] = field(default_factory=list)  # <meta name> (Twitter)
    json_ld: list[dict] = field(default_factory=list)


def _feed_links(title: str, name: str, kwargs: dict) -> list[FeedLink]:
    return [
        FeedLink(
            "application/rss+xml",
            f"{title} (RSS)",
            reverse(f"syndication:{name}_rss", kwargs=kwargs),
        ),
        FeedLink(
            "application/atom+xml",
            f"{title} (Atom)",
            reverse(f"syndication:{name}_atom", kwargs=kwargs),
        ),
    ]


def _section_feed_title(context: Context, name: str) -> str | None:
    if name == "library":
        return _("Files")
    if name == "author" and context.get("author") is not None:
        return context["author"].public_name
    for key in ("country", "region"):
        if name == key and context.get(key) is not None:
            return context[key].name
    return context.get("heading")


def _canonical_path(request: HttpRequest) -> str:
    """The page's path without tracking or filter parameters; a listing keeps its page number."""
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        return f"{request.path}?page={int(page)}"
    return request.path


def _alternates(request: HttpRequest, path: str) -> list[tuple[str, str]]:
    """One URL per interface language and an x-default; none if the URL does not change."""
    urls = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    if len(set(urls.values())) < len(urls):
        return []
    alternates = [(code, request.build_absolute_uri(url)) for code, url in urls.items()]
    alternates.append(("x-default", request.build_absolute_uri(urls[settings.LANGUAGE_CODE])))
    return alternates


@dataclass
class PageDescription:
    """What a page is, as OpenGraph and JSON-LD say it."""

    title: str
    description: str = ""
    image_path: str | None = None
    og_type: str = "website"
    properties: list[tuple[str, str]] = field(default_factory=list)
    json_ld: list[dict] = field(default_factory=list)


def _describe_article(article, absolute: Absolute, language: str) -> PageDescription:
    properties = [
        ("article:published_time", ld.iso(article.published_at)),
        ("article:modified_time", ld.iso(max(article.updated_at, article.published_at))),
        ("article:section", str(article.get_kind_display())),
    ]
    if not article.byline:
        properties.append(("article:author", absolute(article.author.get_absolute_url())))
    properties += [("article:tag", theme.name) for theme in article.themes.all()]
    return PageDescription(
        title=article.title,
        description=article.lead,
        image_path=ld.first_image(article.body_html),
        og_type="article",
        properties=properties,
        json_ld=[ld.article(article, absolute, language), ld.article_breadcrumb(article, absolute)],
    )


def _describe_document(document, absolute: Absolute) -> PageDescription:
    return PageDescription(
        title=document.title,
        description=document.subtitle,
        og_type="article",
        properties=[
            ("article:published_time", ld.iso(document.published_at)),
            ("article:modified_time", ld.iso(max(document.updated_at, document.published_at))),
            ("article:section", _("Files")),
            *(("article:tag", theme.name) for theme in document.themes.all()),
        ],
        json_ld=[
            ld.report(document, absolute),
            ld.document_breadcrumb(document, absolute, reverse("library:document_list")),
        ],
    )


def _describe_author(author, absolute: Absolute) -> PageDescription:
    return PageDescription(
        title=author.public_name,
        description=author.bio,
        image_path=ld.avatar_path(author),
        og_type="profile",
        properties=[("profile:username", author.username)],
        json_ld=[ld.profile(author, absolute)],
    )


def _describe(context: Context, view_name: str, absolute: Absolute, language: str):
    """Describe the page from the URL name and the objects its view loaded."""
    if view_name == "publishing:article_detail" and context.get("article") is not None:
        return _describe_article(context["article"], absolute, language)
    if view_name == "library:document_detail" and context.get("document") is not None:
        return _describe_document(context["document"], absolute)
    if view_name == "publishing:author_detail" and context.get("author") is not None:
        return _describe_author(context["author"], absolute)
    if view_name == "publishing:home":
        search_path = reverse("search:search")
        home_path = reverse("publishing:home")
        return PageDescription(
            title=conf.site_name(),
            json_ld=[ld.website(absolute, home_path, search_path, language)],
        )
    if view_name == "library:document_list":
        return PageDescription(
            title=_("Files: the library"),
            description=_(
                "Policy documents, declarations and reports on Central Asia and Mongolia, "
                "with their key chapters."
            ),
        )
    if view_name == "publishing:country_detail" and context.get("country") is not None:
        return PageDescription(title=context["country"].name_with_article)
    if view_name == "publishing:region_detail" and context.get("region") is not None:
        return PageDescription(title=context["region"].name)
    return PageDescription(title=context.get("heading") or conf.site_name())


def page_metadata(context: Context) -> PageMetadata:
    """Build the metadata of the page being rendered."""
    request = context.get("request")
    if request is None:
        return PageMetadata()
    site_name = conf.site_name()
    metadata = PageMetadata(feeds=_feed_links(site_name, "latest", {}))
    match = request.resolver_match
    # Django's 404 page is rendered with `request_path` and `exception`: no canonical URL there.
    if match is None or ("exception" in context and "request_path" in context):
        return metadata

    if match.view_name in SECTION_FEEDS:
        name, arguments = SECTION_FEEDS[match.view_name]
        title = _section_feed_title(context, name)
        if title:
            kwargs = {argument: match.kwargs[argument] for argument in arguments}
            metadata.feeds += _feed_links(f"{site_name} — {title}", name, kwargs)

    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    path = _canonical_path(request)
    metadata.canonical_url = request.build_absolute_uri(path)
    metadata.alternates = _alternates(request, path)

    page = _describe(context, match.view_name, request.build_absolute_uri, language)
    description = Truncator(page.description or _(SITE_DESCRIPTION)).chars(DESCRIPTION_LENGTH)
    image = request.build_absolute_uri(page.image_path) if page.image_path else None
    metadata.properties = [
        ("og:site_name", site_name),
        ("og:type", page.og_type),
        ("og:title", page.title),
        ("og:description", description),
        ("og:url", metadata.canonical_url),
        *([("og:image", image)] if image else []),
        ("og:locale", OG_LOCALES.get(language, language)),
        *(
            ("og:locale:alternate", OG_LOCALES.get(code, code))
            for code, _name in settings.LANGUAGES
            if code != language
        ),
        *page.properties,
    ]
    metadata.names = [
        (
            "twitter:card",
            "summary_large_image" if image and page.og_type == "article" else "summary",
        ),
        ("twitter:title", page.title),
        ("twitter:description", description),
    ]
    metadata.json_ld = page.json_ld
    # Text written around the services may hold control characters: keep them out of the page.
    metadata.properties = xml_safe_deep(metadata.properties)
    metadata.names = xml_safe_deep(metadata.names)
    return metadata
