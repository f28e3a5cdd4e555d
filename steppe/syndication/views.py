"""Sitemaps and robots.txt. The feeds are Feed instances, wired in urls.py."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date

from .sitemaps import SITEMAPS

SECTION_TEMPLATES = {"news": "syndication/sitemap_news.xml"}


@sitemap_views.x_robots_tag
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: every non-empty section, each of its pages, with its last change.

    Django's own index also lists empty sections, and an empty <urlset> is not valid against the
    sitemap schema (a urlset holds at least one url).
    """
    origin = f"{request.scheme}://{request.get_host()}"
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        paginator = sitemap.paginator
        if paginator.count == 0:
            continue
        url = origin + reverse("syndication:sitemap_section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        entries.append(sitemap_views.SitemapIndexItem(url, lastmod))
        entries.extend(
            sitemap_views.SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, paginator.num_pages + 1)
        )
    dates = [entry.last_mod for entry in entries if entry.last_mod]
    headers = {"Last-Modified": http_date(max(dates).timestamp())} if dates else None
    return TemplateResponse(
        request,
        "syndication/sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section of the sitemap (?p=N for its next pages); the news section in its own format."""
    return sitemap_views.sitemap(
        request,
        sitemaps=SITEMAPS,
        section=section,
        template_name=SECTION_TEMPLATES.get(section, "syndication/sitemap.xml"),
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    origin = f"{request.scheme}://{request.get_host()}"
    text = render_to_string(
        "syndication/robots.txt",
        {
            "sitemap_url": origin + reverse("syndication:sitemap_index"),
            "news_sitemap_url": origin
            + reverse("syndication:sitemap_section", kwargs={"section": "news"}),
            "search_paths": _search_paths(),
        },
    )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


def _search_paths() -> list[str]:
    """The search result pages in every interface language: crawlers need not walk them."""
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse("search:search"))
    return paths
