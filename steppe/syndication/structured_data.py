"""JSON-LD (schema.org) descriptions of Steppe's pages, as plain dicts.

Each builder takes the objects the page already loaded, and `absolute`, which turns a path into a
full URL; none runs a query. `json_ld_script` writes a dict into a <script> element safely.
"""

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from html import unescape

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import conf
from .xml import xml_safe_deep

Absolute = Callable[[str], str]

CONTEXT = "https://schema.org"

# Article kind → schema.org type; an interview is reported as news.
ARTICLE_TYPES = {
    "news": "NewsArticle",
    "opinion": "OpinionNewsArticle",
    "analysis": "AnalysisNewsArticle",
    "interview": "NewsArticle",
}

# "<", ">" and "&" cannot close the <script> element or open a comment once escaped; U+2028 and
# U+2029 are escaped too, for old JavaScript parsers.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element that no string in `data` can break out of."""
    text = json.dumps(
        xml_safe_deep(data), cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    )
    return mark_safe(  # noqa: S308 - every character that could end the element is escaped
        f'<script type="application/ld+json">{text.translate(_SCRIPT_ESCAPES)}</script>'
    )


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _compact(data: dict) -> dict:
    """Drop empty values: schema.org readers prefer a missing property to an empty one."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def publisher(absolute: Absolute) -> dict:
    return {"@type": "Organization", "name": conf.site_name(), "url": absolute("/")}


def account(user, absolute: Absolute) -> dict:
    """A contributor account: a Person, or an Organization for the other account kinds."""
    return _compact(
        {
            "@type": "Organization" if user.is_organisation else "Person",
            "name": user.public_name,
            "url": absolute(user.get_absolute_url()),
        }
    )


def _places(countries, absolute: Absolute) -> list[dict]:
    return [
        {"@type": "Country", "name": country.name, "url": absolute(country.get_absolute_url())}
        for country in countries
    ]


_FIRST_IMAGE = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')


def first_image(html: str) -> str | None:
    """The path or URL of the first image of a sanitised body, if any (no query: read from HTML)."""
    match = _FIRST_IMAGE.search(html or "")
    return unescape(match[1]) if match else None


def avatar_path(user) -> str | None:
    avatar = getattr(user, "avatar", None)
    return avatar.url if avatar else None


def article(article, absolute: Absolute, language: str) -> dict:
    url = absolute(article.get_absolute_url())
    image = first_image(article.body_html)
    if article.byline:
        author = {"@type": "Person", "name": article.byline}
    else:
        author = account(article.author, absolute)
    return _compact(
        {
            "@context": CONTEXT,
            "@type": ARTICLE_TYPES.get(article.kind, "NewsArticle"),
            "@id": url,
            "url": url,
            "mainEntityOfPage": url,
            "headline": article.title,
            "description": article.lead,
            "image": [absolute(image)] if image else [],
            "datePublished": iso(article.published_at),
            "dateModified": iso(max(article.updated_at, article.published_at)),
            "inLanguage": article.language,
            "author": [author],
            "publisher": publisher(absolute),
            "articleSection": str(article.get_kind_display()),
            "keywords": [theme.name for theme in article.themes.all()],
            "contentLocation": _places(article.countries.all(), absolute),
            "isAccessibleForFree": True,
        }
    )


def report(document, absolute: Absolute) -> dict:
    url = absolute(document.get_absolute_url())
    issuer = (
        {"@type": "Organization", "name": document.organisation} if document.organisation else None
    )
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Report",
            "@id": url,
            "url": url,
            "mainEntityOfPage": url,
            "name": document.title,
            "headline": document.title,
            "alternativeHeadline": document.subtitle,
            "description": document.subtitle,
            "datePublished": iso(document.published_on or document.published_at),
            "dateModified": iso(max(document.updated_at, document.published_at)),
            "inLanguage": document.language,
            "author": [issuer] if issuer else [account(document.contributor, absolute)],
            "creditText": document.authors,
            "publisher": issuer or publisher(absolute),
            "contributor": account(document.contributor, absolute),
            "keywords": [theme.name for theme in document.themes.all()],
            "spatialCoverage": _places(document.countries.all(), absolute),
            "isAccessibleForFree": True,
        }
    )


def profile(user, absolute: Absolute) -> dict:
    avatar = avatar_path(user)
    data = {
        "@context": CONTEXT,
        **account(user, absolute),
        "mainEntityOfPage": absolute(user.get_absolute_url()),
        ("logo" if user.is_organisation else "image"): absolute(avatar) if avatar else None,
        "description": user.bio,
        "sameAs": [user.website] if user.website else [],
    }
    if user.is_organisation and user.organisation and user.organisation != user.public_name:
        data["legalName"] = user.organisation
    elif not user.is_organisation and user.organisation:
        data["affiliation"] = {"@type": "Organization", "name": user.organisation}
    if user.country_id:
        key = "location" if user.is_organisation else "homeLocation"
        data[key] = {"@type": "Country", "name": user.country.name}
    return _compact(data)


def breadcrumb(steps: list[tuple[str, str]], absolute: Absolute) -> dict:
    """A BreadcrumbList of (name, path) steps, the current page last."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(path)}
            for position, (name, path) in enumerate(steps, start=1)
        ],
    }


def article_breadcrumb(article, absolute: Absolute) -> dict:
    return breadcrumb(
        [
            (str(article.get_kind_display()), article.get_kind_url()),
            (article.title, article.get_absolute_url()),
        ],
        absolute,
    )


def document_breadcrumb(document, absolute: Absolute, library_path: str) -> dict:
    """Files / <country> / document, as the page's visible breadcrumb."""
    steps = [(_("Files"), library_path)]
    country = document.main_country
    if country is not None:
        steps.append((country.name_with_article, country.get_absolute_url()))
    steps.append((document.title, document.get_absolute_url()))
    return breadcrumb(steps, absolute)


def website(absolute: Absolute, home_path: str, search_path: str, language: str) -> dict:
    """The site itself, with the search box search engines may show."""
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": conf.site_name(),
        "url": absolute(home_path),
        "inLanguage": language,
        "publisher": publisher(absolute),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(search_path) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
