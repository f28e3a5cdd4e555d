"""The shapes of API v1: what clients may rely on. Add fields freely; never rename or remove one.

Endpoints build plain dicts (serializers.py); these schemas validate them and describe them in the
OpenAPI document.
"""

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from steppe.accounts.models import User
from steppe.core.models import Language as LanguageChoices
from steppe.publishing.models import Article


class Schema(BaseModel):
    """Plain pydantic models: endpoints return dicts, so Ninja's ORM-reading Schema (which wraps
    every nested object in an attribute getter) would only slow validation down."""


ArticleKind = Enum("ArticleKind", {value: value for value in Article.Kind.values}, type=str)
Language = Enum("Language", {value: value for value in LanguageChoices.values}, type=str)
AccountKind = Enum("AccountKind", {value: value for value in User.Kind.values}, type=str)


class Names(Schema):
    """A name in the content languages; `ru` may be empty."""

    fr: str
    en: str
    ru: str


# Errors


class ErrorDetail(Schema):
    code: str = Field(
        description="Stable, machine-readable: bad_request, invalid_cursor, not_found, "
        "method_not_allowed, validation_error, rate_limited, internal_error, …",
        examples=["not_found"],
    )
    message: str = Field(description="For people, in the request's language (Accept-Language).")
    details: Any = Field(
        None,
        description="null, or data that depends on the code: a list of {loc, message, type} for "
        "validation_error, {retry_after} for rate_limited, {allowed} for method_not_allowed.",
    )


class Error(Schema):
    error: ErrorDetail


# Taxonomy


class Region(Schema):
    slug: str
    name: Names
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes of its countries.")
    url: str = Field(description="The region's page on the site.")


class Country(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2, upper case.", examples=["KZ"])
    slug: str
    name: Names
    name_fr_with_article: str = Field(examples=["le Kazakhstan"])
    region: str = Field(description="The region's slug.")
    is_focus: bool = Field(description="One of the countries Steppe covers.")
    url: str


class Theme(Schema):
    slug: str
    name: Names
    url: str


# Authors: public profile fields only (never the e-mail address, names or flags of the account).


class AuthorRef(Schema):
    username: str
    name: str = Field(description="The name shown on the site.")
    api_url: str


class Author(AuthorRef):
    kind: AccountKind
    organisation: str
    website: str
    country: str | None = Field(description="ISO 3166-1 alpha-2 code.")
    bio: str
    url: str = Field(description="The author's page on the site.")
    items_url: str = Field(description="The author's published articles and documents.")


# Articles


class ArticleSummary(Schema):
    type: Literal["article"]
    slug: str
    kind: ArticleKind
    title: str
    lead: str
    language: Language
    published_at: datetime
    updated_at: datetime
    author: AuthorRef
    signature: str = Field(description="The name the piece is signed with.")
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes.")
    themes: list[str] = Field(description="Theme slugs.")
    url: str = Field(description="The article's page on the site (canonical, French interface).")
    api_url: str


class ArticleDetail(ArticleSummary):
    body_html: str = Field(description="Sanitised HTML: safe to insert in a page as is.")
    tags: list[str]


# Documents


class Chapter(Schema):
    position: int
    title: str
    page: int | None


class DocumentSummary(Schema):
    type: Literal["document"]
    slug: str
    title: str
    subtitle: str
    published_on: date | None = Field(description="The document's own date.")
    organisation: str = Field(description="The issuing organisation.")
    authors: str = Field(description="The authors as printed on the document.")
    language: Language
    published_at: datetime = Field(description="When the document was published on Steppe.")
    updated_at: datetime
    contributor: AuthorRef
    countries: list[str]
    themes: list[str]
    url: str
    api_url: str


class DocumentDetail(DocumentSummary):
    presentation_html: str = Field(description="Sanitised HTML.")
    chapters: list[Chapter] = Field(description="The key chapters, in order.")


# Pages: `next` is the URL of the following page (null on the last one).


class _Page(Schema):
    next_cursor: str | None = Field(
        description="Opaque: pass it as ?cursor= (with the same filters) for the next page."
    )
    next: str | None = Field(description="The next page's URL, or null on the last page.")


class ArticlePage(_Page):
    items: list[ArticleSummary]


class DocumentPage(_Page):
    items: list[DocumentSummary]


class AuthorPage(_Page):
    items: list[Author]


Item = Annotated[ArticleSummary | DocumentSummary, Field(discriminator="type")]


class ItemPage(_Page):
    items: list[Item]


class Index(Schema):
    openapi: str
    docs: str
    articles: str
    documents: str
    countries: str
    regions: str
    themes: str
    authors: str
