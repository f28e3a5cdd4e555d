"""The shapes of API v1: what clients may rely on. Add fields freely; never rename or remove one.

Endpoints build plain dicts (serializers.py); these schemas validate them and describe them in the
OpenAPI document.
"""

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from steppe.accounts.models import User
from steppe.core.models import Language as LanguageChoices
from steppe.core.models import PublicationStatus
from steppe.library.models import DocumentVersion as DocumentVersionModel
from steppe.library.models import Licence
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
    search: str
    me: str = Field(description="Your account and articles (with a personal API token).")


# The contributor's own articles (endpoints authenticated with a personal API token)

Status = Enum("Status", {value: value for value in PublicationStatus.values}, type=str)

# As in docs: ISO codes, slugs, short labels, web addresses.
CountryCodeIn = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
SlugIn = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100)]
TagIn = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[^,]*\S[^,]*$")]
SourceIn = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)]


class ArticleWrite(Schema):
    """What a contributor writes. Every field is checked like in the web editor, whose rules (and
    French messages) apply: see the 422 answers."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=255, pattern=r"\S")
    kind: ArticleKind = Field(ArticleKind("news"))  # type: ignore[call-arg]
    lead: str = Field("", max_length=2000)
    body_source: str = Field(
        min_length=1,
        max_length=200_000,
        pattern=r"\S",
        description="Markdown: ## subheading, **bold**, *italic*, [link](https://…), - list.",
    )
    language: Language = Field(Language("fr"))  # type: ignore[call-arg]
    countries: list[CountryCodeIn] = Field(
        default_factory=list, max_length=30, description="ISO 3166-1 alpha-2 codes."
    )
    themes: list[SlugIn] = Field(default_factory=list, max_length=20, description="Theme slugs.")
    tags: list[TagIn] = Field(
        default_factory=list, max_length=15, description="Free labels (no comma)."
    )
    sources: list[SourceIn] = Field(
        default_factory=list, max_length=30, description="Links to the sources (http, https)."
    )


class ArticlePatch(Schema):
    """The fields to change; the others keep their current value."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=255, pattern=r"\S")
    kind: ArticleKind | None = None
    lead: str | None = Field(None, max_length=2000)
    body_source: str | None = Field(None, min_length=1, max_length=200_000, pattern=r"\S")
    language: Language | None = None
    countries: list[CountryCodeIn] | None = Field(None, max_length=30)
    themes: list[SlugIn] | None = Field(None, max_length=20)
    tags: list[TagIn] | None = Field(None, max_length=15)
    sources: list[SourceIn] | None = Field(None, max_length=30)


class PendingEdit(Schema):
    number: int = Field(description="The revision number of the proposed edit.")
    created_at: datetime


class OwnArticleSummary(Schema):
    id: int = Field(description="Identifies the article on the write endpoints.")
    slug: str
    kind: ArticleKind
    status: Status = Field(
        description="draft, submitted (waiting for the editors), published, refused, withdrawn."
    )
    title: str
    language: Language
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    countries: list[str]
    themes: list[str]
    has_pending_edit: bool = Field(description="A proposed edit waits for the editors.")
    url: str | None = Field(description="The public page, once published.")
    edit_url: str = Field(description="The article in the web editor.")
    api_url: str


class OwnArticle(OwnArticleSummary):
    lead: str
    body_source: str = Field(description="The Markdown the author wrote.")
    body_html: str = Field(description="The body as it is (or will be) published: sanitised HTML.")
    sources: list[str]
    tags: list[str]
    decision_reason: str = Field(description="Why the editors refused it, if they did.")
    pending_edit: PendingEdit | None = Field(
        description="For a published article: the proposed edit waiting for review."
    )


class OwnArticlePage(_Page):
    items: list[OwnArticleSummary]


class TokenInfo(Schema):
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None


class Me(Schema):
    username: str
    name: str
    is_trusted: bool = Field(description="Trusted contributors publish without review.")
    token: TokenInfo = Field(description="The token of this request.")
    articles: str = Field(description="URL of the list of your articles.")
    documents: str = Field(description="URL of the list of your library documents.")


# Search


class SearchHit(Schema):
    type: Literal["article", "document"]
    kind: str = Field(
        description="An article kind (news, opinion, analysis, interview) or document."
    )
    slug: str
    title: str = Field(description="Plain text.")
    title_html: str = Field(description="The title, escaped, with <mark> around matched words.")
    snippet_html: str = Field(description="A short excerpt, escaped, with <mark> around matches.")
    author_name: str
    language: Language
    published_at: datetime
    countries: list[str]
    url: str | None
    api_url: str | None


class FacetValue(Schema):
    value: str = Field(description="Pass it as the facet's parameter to filter by it.")
    label: str
    count: int = Field(description="Matches with this value, among the best-ranked ones.")
    selected: bool


class Facet(Schema):
    name: Literal["type", "country", "theme", "year", "language", "author_kind"]
    label: str
    values: list[FacetValue]


class SearchPage(Schema):
    query: str
    total: int = Field(description="Number of matches, counted up to 10,000.")
    total_is_capped: bool = Field(description="More matches than counted.")
    page: int
    next: str | None = Field(description="The next page's URL, or null.")
    previous: str | None
    suggestion: str | None = Field(description="A corrected query, when nothing matched.")
    items: list[SearchHit]
    facets: list[Facet]


# The contributor's own library documents (multipart uploads; see contrib_documents.py)

IntakeStatus = Enum(
    "IntakeStatus", {value: value for value in DocumentVersionModel.IntakeStatus.values}, type=str
)
IntakeError = Enum(
    "IntakeError", {value: value for value in DocumentVersionModel.IntakeError.values}, type=str
)
# "auto": detect the language from the file's text (the web form's "Detect it from the file").
DocumentLanguageIn = Literal[("auto", *LanguageChoices.values)]  # type: ignore[valid-type]
# "": not stated.
LicenceIn = Literal[("", *Licence.values)]  # type: ignore[valid-type]


def _blank_to_none(value: Any) -> Any:
    # A form field left empty (`-F published_on=`) means "no date", as on the web form.
    return None if value == "" else value


DateIn = Annotated[date | None, BeforeValidator(_blank_to_none)]


class DocumentWrite(Schema):
    """The record of a new document, sent as form fields next to the file. Every field is checked
    like in the web upload form, whose rules (and French messages) apply: see the 422 answers."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=255, pattern=r"\S")
    subtitle: str = Field("", max_length=1000)
    published_on: DateIn = Field(None, description="The document's own date (YYYY-MM-DD).")
    organisation: str = Field("", max_length=255, description="The issuing organisation.")
    authors: str = Field("", max_length=500, description="As printed; separate names with ;.")
    presentation_source: str = Field(
        "", max_length=20_000, description="What the document is about, in Markdown."
    )
    language: DocumentLanguageIn = Field(
        "auto", description="fr, en, ru, or auto: detected from the file's text."
    )
    licence: LicenceIn = Field("", description="Empty: not stated.")
    doi: str = Field("", max_length=255, description="10.1234/abcd.5678, if it has one.")
    source_url: str = Field(
        "", max_length=500, description="The page where the organisation publishes it."
    )
    countries: list[CountryCodeIn] = Field(
        default_factory=list, max_length=30, description="ISO 3166-1 alpha-2 codes (repeat)."
    )
    themes: list[SlugIn] = Field(
        default_factory=list, max_length=20, description="Theme slugs (repeat)."
    )


class ChapterIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=500, pattern=r"\S")
    page: int | None = Field(None, ge=1, le=100_000)


class DocumentPatch(Schema):
    """The fields to change; the others keep their current value. `chapters` replaces the whole
    list (in the order given) and is kept from then on: a new file's outline no longer changes it."""

    model_config = ConfigDict(extra="forbid")

    # Absent: unchanged. Only `published_on` takes null (no date).
    title: str = Field(None, min_length=1, max_length=255, pattern=r"\S")  # type: ignore[assignment]
    subtitle: str = Field(None, max_length=1000)  # type: ignore[assignment]
    published_on: date | None = None
    organisation: str = Field(None, max_length=255)  # type: ignore[assignment]
    authors: str = Field(None, max_length=500)  # type: ignore[assignment]
    presentation_source: str = Field(None, max_length=20_000)  # type: ignore[assignment]
    language: DocumentLanguageIn = None  # type: ignore[assignment]
    licence: LicenceIn = None  # type: ignore[assignment]
    doi: str = Field(None, max_length=255)  # type: ignore[assignment]
    source_url: str = Field(None, max_length=500)  # type: ignore[assignment]
    countries: list[CountryCodeIn] = Field(None, max_length=30)  # type: ignore[assignment]
    themes: list[SlugIn] = Field(None, max_length=20)  # type: ignore[assignment]
    chapters: list[ChapterIn] = Field(None, max_length=100)  # type: ignore[assignment]


class DocumentVersionOut(Schema):
    number: int = Field(description="1 for the first file, then 2, 3…")
    is_current: bool
    original_filename: str
    size: int = Field(description="In bytes.")
    sha256: str
    pages: int | None
    uploaded_at: datetime
    intake_status: IntakeStatus = Field(
        description="The background analysis of the file (text, pages, language, outline): "
        "pending, processing, ready or failed."
    )
    intake_error: IntakeError | None = Field(
        description="Why the analysis failed: timeout, memory, broken, missing."
    )
    intake_error_message: str | None = Field(description="The same, for people.")
    detected_language: Language | None = Field(description="Read from the file's text.")
    download_url: str = Field(
        description="The file on the site (an unpublished document's needs your site session)."
    )


class OwnDocumentSummary(Schema):
    id: int = Field(description="Identifies the document on the write endpoints.")
    slug: str
    status: Status = Field(
        description="draft, submitted (waiting for the editors), published, refused, withdrawn."
    )
    title: str
    language: Language
    language_detect: bool = Field(
        description="The language is read from the file (sent as auto) and may still change."
    )
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    countries: list[str]
    themes: list[str]
    intake_status: IntakeStatus | None = Field(
        description="The analysis of the current file; null without a file."
    )
    url: str | None = Field(description="The public page, once published.")
    edit_url: str = Field(description="The document on the site's contributor pages.")
    api_url: str


class OwnDocument(OwnDocumentSummary):
    subtitle: str
    published_on: date | None
    organisation: str
    authors: str
    presentation_source: str = Field(description="The Markdown you wrote.")
    presentation_html: str = Field(description="Sanitised HTML.")
    licence: str = Field(description="Empty: not stated.")
    doi: str
    source_url: str
    decision_reason: str = Field(description="Why the editors refused it, if they did.")
    chapters: list[Chapter] = Field(
        description="The key chapters, in order: from the file's outline until you send yours."
    )
    chapters_confirmed: bool = Field(
        description="You sent the chapters: a new file's outline no longer replaces them."
    )
    current_version: DocumentVersionOut | None
    versions: list[DocumentVersionOut] = Field(description="Every file sent, newest first.")


class DuplicateRef(Schema):
    title: str
    url: str | None = Field(description="Its public page, if published.")
    api_url: str | None = Field(description="For one of your own documents.")


class UploadedDocument(OwnDocument):
    duplicates: list[DuplicateRef] = Field(
        description="Documents already holding this very file (check yours is not a duplicate)."
    )


class OwnDocumentPage(_Page):
    items: list[OwnDocumentSummary]
