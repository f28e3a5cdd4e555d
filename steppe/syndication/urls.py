"""Feeds, sitemaps and robots.txt: outside i18n_patterns, one URL whatever the language."""

from django.urls import path

from . import conf, feeds, views
from .cache import cached_response

app_name = "syndication"

cached_feed = cached_response(conf.feed_cache_seconds)
cached_sitemap = cached_response(conf.sitemap_cache_seconds)


def _feed_pair(prefix: str, feed_class: type[feeds.SectionFeed], name: str) -> list:
    """`/flux/<prefix>` in RSS 2.0 and `/flux/<prefix>atom/` in Atom."""
    return [
        path(f"flux/{prefix}", cached_feed(feed_class()), name=f"{name}_rss"),
        path(f"flux/{prefix}atom/", cached_feed(feed_class.atom()), name=f"{name}_atom"),
    ]


urlpatterns = [
    *_feed_pair("", feeds.LatestFeed, "latest"),
    *_feed_pair("pays/<slug:slug>/", feeds.CountryFeed, "country"),
    *_feed_pair("regions/<slug:slug>/", feeds.RegionFeed, "region"),
    *_feed_pair("themes/<slug:slug>/", feeds.ThemeFeed, "theme"),
    *_feed_pair("types/<slug:kind_slug>/", feeds.KindFeed, "kind"),
    *_feed_pair("auteurs/<str:username>/", feeds.AuthorFeed, "author"),
    *_feed_pair("bibliotheque/", feeds.LibraryFeed, "library"),
    path("sitemap.xml", cached_sitemap(views.sitemap_index), name="sitemap_index"),
    path(
        "sitemap-<slug:section>.xml",
        cached_sitemap(views.sitemap_section),
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
