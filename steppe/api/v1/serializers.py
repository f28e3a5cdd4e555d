"""Model instances to the dicts of schemas.py: plain attribute reads, URLs built from templates.

A listing of 100 items needs several hundred URLs; `reverse()` for each would cost more than the
queries, so each URL pattern is reversed once (per language and script prefix) into a template.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import translation

from steppe.core.text import sanitize_html

_MARKER = "__steppe_value__"
_PLAIN = re.compile(r"^[A-Za-z0-9._~-]+$")  # needs no quoting in a path


@lru_cache(maxsize=64)
def _template(name: str, key: str, language: str, script_prefix: str) -> tuple[str, str]:
    with translation.override(language):
        before, after = reverse(name, kwargs={key: _MARKER}).split(_MARKER)
    return before, after


class Urls:
    """Absolute URLs for one request: the API's, and the site's canonical (French) pages."""

    def __init__(self, request: HttpRequest):
        self.origin = request.build_absolute_uri("/").removesuffix("/")

    def path(self, name: str, key: str, value: str) -> str:
        if not _PLAIN.match(value):
            with translation.override(settings.LANGUAGE_CODE):
                return reverse(name, kwargs={key: value})
        before, after = _template(name, key, settings.LANGUAGE_CODE, get_script_prefix())
        return f"{before}{value}{after}"

    def __call__(self, name: str, key: str, value: str) -> str:
        return self.origin + self.path(name, key, value)


def names(obj) -> dict:
    return {"fr": obj.name_fr, "en": obj.name_en, "ru": obj.name_ru}


def author_ref(user, urls: Urls) -> dict:
    return {
        "username": user.username,
        "name": user.public_name,
        "api_url": urls("api:author_detail", "username", user.username),
    }


def author(user, urls: Urls) -> dict:
    return {
        **author_ref(user, urls),
        "kind": user.kind,
        "organisation": user.organisation,
        "website": user.website,
        "country": user.country.code if user.country_id else None,
        "bio": user.bio,
        "url": urls("publishing:author_detail", "username", user.username),
        "items_url": urls("api:author_items", "username", user.username),
    }


def article_summary(article, urls: Urls) -> dict:
    return {
        "type": "article",
        "slug": article.slug,
        "kind": article.kind,
        "title": article.title,
        "lead": article.lead,
        "language": article.language,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "author": author_ref(article.author, urls),
        "signature": article.byline or article.author.public_name,
        "countries": article.country_codes,  # set by selectors.attach_classification
        "themes": article.theme_slugs,
        "url": urls("publishing:article_detail", "slug", article.slug),
        "api_url": urls("api:article_detail", "slug", article.slug),
    }


def article_detail(article, urls: Urls) -> dict:
    return {
        **article_summary(article, urls),
        # Stored sanitised at save time; sanitised again here so that no other write path
        # (admin, bulk update, an old row) can ever send unsafe markup to API clients.
        "body_html": sanitize_html(article.body_html),
        "tags": [tag.name for tag in article.tags.all()],
    }


def document_summary(document, urls: Urls) -> dict:
    return {
        "type": "document",
        "slug": document.slug,
        "title": document.title,
        "subtitle": document.subtitle,
        "published_on": document.published_on,
        "organisation": document.organisation,
        "authors": document.authors,
        "language": document.language,
        "published_at": document.published_at,
        "updated_at": document.updated_at,
        "contributor": author_ref(document.contributor, urls),
        "countries": document.country_codes,
        "themes": document.theme_slugs,
        "url": urls("library:document_detail", "slug", document.slug),
        "api_url": urls("api:document_detail", "slug", document.slug),
    }


def document_detail(document, urls: Urls) -> dict:
    return {
        **document_summary(document, urls),
        "presentation_html": sanitize_html(document.presentation_html),
        "chapters": [
            {"position": chapter.position, "title": chapter.title, "page": chapter.page}
            for chapter in document.chapters.all()
        ],
    }


def item(row, urls: Urls) -> dict:
    """An article or a document of an author's mixed list (selectors set `row.type`)."""
    return article_summary(row, urls) if row.type == "article" else document_summary(row, urls)


def country(obj, urls: Urls) -> dict:
    return {
        "code": obj.code,
        "slug": obj.slug,
        "name": names(obj),
        "name_fr_with_article": obj.name_fr_article,
        "region": obj.region.slug,
        "is_focus": obj.is_focus,
        "url": urls("publishing:country_detail", "slug", obj.slug),
    }


def region(obj, urls: Urls) -> dict:
    return {
        "slug": obj.slug,
        "name": names(obj),
        "countries": sorted(country.code for country in obj.countries.all()),
        "url": urls("publishing:region_detail", "slug", obj.slug),
    }


def theme(obj, urls: Urls) -> dict:
    return {
        "slug": obj.slug,
        "name": names(obj),
        "url": urls("publishing:theme_detail", "slug", obj.slug),
    }
