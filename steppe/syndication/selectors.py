"""Reads behind the feeds and sitemaps. Each runs a fixed number of queries, whatever the item count."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape as html_escape

from django.contrib.auth import get_user_model
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from steppe.library.models import Chapter, Document
from steppe.library.selectors import document_list_published
from steppe.publishing import selectors as publishing_selectors
from steppe.publishing.models import Article
from steppe.taxonomy.models import Country, Region, Theme


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, whatever it was made from (an article or a library document)."""

    title: str
    url: str
    summary_html: str
    content_html: str
    author_name: str
    author_url: str | None
    published_at: datetime
    updated_at: datetime
    categories: tuple[str, ...]


def _text_as_html(text: str) -> str:
    """Plain text as HTML (a feed's summary is HTML); quotes need no escaping outside attributes."""
    return html_escape(text, quote=False)


def _entry_from_article(article: Article) -> FeedEntry:
    return FeedEntry(
        title=article.title,
        url=article.get_absolute_url(),
        summary_html=_text_as_html(article.lead),
        content_html=article.body_html,
        author_name=article.signature,
        author_url=None if article.byline else article.author.get_absolute_url(),
        published_at=article.published_at,
        updated_at=max(article.updated_at, article.published_at),
        categories=(
            str(article.get_kind_display()),
            *article.feed_terms,
        ),
    )


def _entry_from_document(document: Document) -> FeedEntry:
    chapters = document.feed_chapters
    content = document.presentation_html
    if chapters:
        content += format_html(
            "<h2>{}</h2><ol>{}</ol>",
            _("Key chapters"),
            format_html_join("", "<li>{}</li>", ((title,) for title in chapters)),
        )
    signed_by = document.authors or document.organisation
    return FeedEntry(
        title=document.title,
        url=document.get_absolute_url(),
        summary_html=_text_as_html(document.subtitle),
        content_html=content,
        author_name=signed_by or document.contributor.public_name,
        author_url=None if signed_by else document.contributor.get_absolute_url(),
        published_at=document.published_at,
        updated_at=max(document.updated_at, document.published_at),
        categories=(
            _("Document"),
            *document.feed_terms,
        ),
    )


def _attach_terms(rows: Sequence[Article | Document], model) -> None:
    """Set `feed_terms` on each row: its country names, then its theme names, in the active
    language (as `TranslatedNameMixin.name` picks them).

    One query per relation reading names only: prefetch_related builds a model instance and a
    related manager per row and per link, which cost a feed more CPU than rendering its XML.
    """
    language = (get_language() or "fr")[:2]
    ids = [row.pk for row in rows]
    column = f"{model._meta.model_name}_id"
    terms: dict[int, list[str]] = defaultdict(list)
    for relation, term, order in (
        ("countries", "country", ("country__name_fr",)),
        ("themes", "theme", ("theme__position", "theme__slug")),
    ):
        names = (
            getattr(model, relation)
            .through.objects.filter(**{f"{column}__in": ids})
            .order_by(column, *order)
            .values_list(column, f"{term}__name_fr", f"{term}__name_en", f"{term}__name_ru")
        )
        for item_id, name_fr, name_en, name_ru in names:
            name = {"fr": name_fr, "en": name_en, "ru": name_ru}.get(language)
            terms[item_id].append(name or name_fr)
    for row in rows:
        row.feed_terms = tuple(terms[row.pk])


# What a feed entry reads: the rendered HTML, never the Markdown source (nor a document's text).
ARTICLE_FEED_FIELDS = (
    "id",
    "kind",
    "title",
    "slug",
    "lead",
    "body_html",
    "author",
    "byline",
    "published_at",
    "updated_at",
)


def _article_rows(queryset: QuerySet[Article], limit: int) -> list[Article]:
    # The listing selectors defer the body (defer(None) first: only() after defer() would leave
    # it out) and prefetch the authors (no join: the database reads the newest rows from an
    # index and stops after `limit`); countries and themes come from _attach_terms.
    rows = queryset.defer(None).only(*ARTICLE_FEED_FIELDS).prefetch_related(None)
    rows = list(rows.prefetch_related(publishing_selectors.listing_authors())[:limit])
    _attach_terms(rows, Article)
    return rows


def _document_rows(queryset: QuerySet[Document], limit: int) -> list[Document]:
    # The listing defers the presentation and the file's extracted text; the feed needs the former.
    rows = queryset.defer(None).defer("presentation_source", "text_content").prefetch_related(None)
    rows = list(rows[:limit])
    _attach_terms(rows, Document)
    titles: dict[int, list[str]] = defaultdict(list)
    for document_id, title in (
        Chapter.objects.filter(document_id__in=[row.pk for row in rows])
        .order_by("document_id", "position")
        .values_list("document_id", "title")
    ):
        titles[document_id].append(title)
    for row in rows:
        row.feed_chapters = titles[row.pk]
    return rows


def _entries(rows: list) -> list[FeedEntry]:
    return [
        _entry_from_article(row) if isinstance(row, Article) else _entry_from_document(row)
        for row in rows
    ]


def _newest(limit: int, *groups: list) -> list[FeedEntry]:
    """Merge rows (each group newest first), keep the `limit` newest, and only then build entries:
    the rows that do not make the cut cost no URL, category or HTML work."""
    rows = [row for group in groups for row in group]
    rows.sort(key=lambda row: row.published_at, reverse=True)
    return _entries(rows[:limit])


def _term_filter(model, through_field: str, column: str, term_id: int) -> Exists:
    """EXISTS on a link table by the term's id: read newest first, stop early (no join + sort)."""
    through = getattr(model, through_field).through
    item = model._meta.model_name
    return Exists(through.objects.filter(**{item: OuterRef("pk"), column: term_id}))


def _documents_in_region(region: Region) -> QuerySet[Document]:
    in_region = Document.countries.through.objects.filter(
        document=OuterRef("pk"), country__region=region
    )
    return document_list_published().filter(Exists(in_region))


def feed_entries_latest(*, limit: int) -> list[FeedEntry]:
    """The newest articles and library documents together."""
    return _newest(
        limit,
        _article_rows(publishing_selectors.article_list_published(), limit),
        _document_rows(document_list_published(), limit),
    )


def feed_entries_for_country(*, country: Country, limit: int) -> list[FeedEntry]:
    documents = document_list_published().filter(
        _term_filter(Document, "countries", "country_id", country.pk)
    )
    return _newest(
        limit,
        _article_rows(publishing_selectors.article_list_for_country(country=country), limit),
        _document_rows(documents, limit),
    )


def feed_entries_for_region(*, region: Region, limit: int) -> list[FeedEntry]:
    return _newest(
        limit,
        _article_rows(publishing_selectors.article_list_for_region(region=region), limit),
        _document_rows(_documents_in_region(region), limit),
    )


def feed_entries_for_theme(*, theme: Theme, limit: int) -> list[FeedEntry]:
    documents = document_list_published().filter(
        _term_filter(Document, "themes", "theme_id", theme.pk)
    )
    return _newest(
        limit,
        _article_rows(publishing_selectors.article_list_for_theme(theme=theme), limit),
        _document_rows(documents, limit),
    )


def feed_entries_for_kind(*, kind: str, limit: int) -> list[FeedEntry]:
    return _entries(_article_rows(publishing_selectors.article_list_for_kind(kind=kind), limit))


def feed_entries_for_author(*, author_id: int, limit: int) -> list[FeedEntry]:
    return _entries(
        _article_rows(publishing_selectors.article_list_for_author(author_id=author_id), limit)
    )


def feed_entries_library(*, limit: int) -> list[FeedEntry]:
    return _entries(_document_rows(document_list_published(), limit))


# --- Sitemaps: light rows (no text), in a stable order so that pages do not shift. ---


def sitemap_article_list() -> QuerySet[Article]:
    return Article.objects.published().only("id", "slug", "updated_at").order_by("id")


def sitemap_document_list() -> QuerySet[Document]:
    return Document.objects.published().only("id", "slug", "updated_at").order_by("id")


def sitemap_article_latest_change() -> datetime | None:
    return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


def sitemap_document_latest_change() -> datetime | None:
    return Document.objects.published().aggregate(latest=Max("updated_at"))["latest"]


def _latest(queryset: QuerySet) -> Subquery:
    return Subquery(queryset.order_by("-published_at").values("published_at")[:1])


def sitemap_country_list() -> QuerySet[Country]:
    """Covered countries, and any other country that has published content; with its newest date."""
    countries = Country.objects.annotate(
        latest_article_at=_latest(Article.objects.published().filter(countries=OuterRef("pk"))),
        latest_document_at=_latest(Document.objects.published().filter(countries=OuterRef("pk"))),
    )
    return countries.filter(
        Q(is_focus=True) | Q(latest_article_at__isnull=False) | Q(latest_document_at__isnull=False)
    ).order_by("id")


def sitemap_region_list() -> QuerySet[Region]:
    return Region.objects.annotate(
        latest_article_at=_latest(
            Article.objects.published().filter(countries__region=OuterRef("pk"))
        ),
        latest_document_at=_latest(
            Document.objects.published().filter(countries__region=OuterRef("pk"))
        ),
    ).order_by("id")


def sitemap_theme_list() -> QuerySet[Theme]:
    return Theme.objects.annotate(
        latest_article_at=_latest(Article.objects.published().filter(themes=OuterRef("pk"))),
        latest_document_at=_latest(Document.objects.published().filter(themes=OuterRef("pk"))),
    ).order_by("id")


def sitemap_author_list() -> QuerySet:
    """Active accounts with at least one published article, with the date of the newest one."""
    latest = _latest(Article.objects.published().filter(author=OuterRef("pk")))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(latest_article_at=latest)
        .filter(latest_article_at__isnull=False)
        .only("id", "username")
        .order_by("id")
    )


def sitemap_author_latest_article() -> datetime | None:
    return (
        Article.objects.published()
        .filter(author__is_active=True)
        .aggregate(latest=Max("published_at"))["latest"]
    )


def sitemap_latest_by_kind() -> dict[str, datetime]:
    """The newest publication date of each kind of article.

    One indexed lookup per kind (kind, status, published_at): a GROUP BY would read every row.
    """
    latest = {}
    for kind in Article.Kind.values:
        date = (
            Article.objects.published()
            .filter(kind=kind)
            .order_by("-published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if date is not None:
            latest[kind] = date
    return latest


def sitemap_document_latest_publication() -> datetime | None:
    return Document.objects.published().aggregate(latest=Max("published_at"))["latest"]


def sitemap_news_article_list(*, hours: int, limit: int = 1000) -> QuerySet[Article]:
    """Articles published in the last `hours`, newest first (a news sitemap holds at most 1,000)."""
    since = timezone.now() - timedelta(hours=hours)
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("id", "slug", "title", "language", "published_at")
        .order_by("-published_at", "-id")[:limit]
    )
