"""Reads behind the library pages."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear, Greatest
from django.utils import timezone
from django.utils.translation import get_language

from steppe.core.models import Language
from steppe.taxonomy.models import Country, Theme

from .models import Document, DocumentVersion


def document_list_published() -> QuerySet[Document]:
    """Published documents, newest first, ready for a listing."""
    return Document.objects.published().for_listing().prefetch_many_to_many("countries")


# What core/partials/document_list.html shows of a document (a side column of the home and
# country pages): no contributor, no text.
BRIEF_FIELDS = ("id", "title", "slug", "subtitle", "organisation", "published_on", "published_at")


def document_list_brief(*, country: Country | None = None) -> QuerySet[Document]:
    """Published documents, newest first, with only what a short listing shows (and its countries,
    one more query)."""
    documents = (
        Document.objects.published()
        .only(*BRIEF_FIELDS)
        .order_by("-published_at", "-id")
        .prefetch_many_to_many("countries")
    )
    return documents if country is None else documents.filter(countries=country)


def document_get_published(*, slug: str) -> Document:
    """A published document with its chapters and classification; raise Document.DoesNotExist."""
    return (
        Document.objects.published()
        .select_related("contributor", "current_version")
        .defer("text_content")
        .prefetch_many_to_many("countries", "themes")  # one query for both
        .prefetch_related(
            "chapters",
            Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number")),
        )
        .get(slug=slug)
    )


def document_get_visible(*, slug: str, user) -> Document:
    """A document the user may see (published, their own, or any for editors); raise DoesNotExist."""
    return (
        Document.objects.visible_to(user)
        .select_related("current_version")
        .defer("text_content", "presentation_source", "presentation_html")
        .get(slug=slug)
    )


# OAI-PMH: every document that has been public. Those published now are records; those no longer
# published (withdrawn, or back to draft or review after a withdrawal) are deleted records. A
# record's datestamp is its last change, or its publication when that comes later (a document
# scheduled in advance goes live after its last edit: "what changed since" must include it).


def _oai_queryset() -> QuerySet[Document]:
    return Document.objects.filter(
        published_at__isnull=False, published_at__lte=timezone.now()
    ).annotate(oai_datestamp=Greatest("updated_at", "published_at"))


def _oai_filter(
    queryset: QuerySet[Document],
    *,
    set_spec: str | None,
    since: datetime | None,
    before: datetime | None,
) -> QuerySet[Document]:
    if since is not None:
        queryset = queryset.filter(oai_datestamp__gte=since)
    if before is not None:
        queryset = queryset.filter(oai_datestamp__lt=before)
    if set_spec:
        kind, _sep, key = set_spec.partition(":")
        if kind == "country":
            links = Document.countries.through.objects.filter(document_id=OuterRef("pk"))
            if key:
                links = links.filter(country__code=key)
        elif kind == "theme":
            links = Document.themes.through.objects.filter(document_id=OuterRef("pk"))
            if key:
                links = links.filter(theme__slug=key)
        else:
            return queryset.none()
        queryset = queryset.filter(Exists(links))
    return queryset


def document_oai_count(
    *, set_spec: str | None, since: datetime | None, before: datetime | None
) -> int:
    """How many records a selective harvest covers (published and deleted)."""
    return _oai_filter(_oai_queryset(), set_spec=set_spec, since=since, before=before).count()


def document_oai_list(
    *,
    set_spec: str | None,
    since: datetime | None,
    before: datetime | None,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[Document]:
    """One page of records in (datestamp, id) order, after the keyset `after`; 3 queries."""
    queryset = _oai_filter(_oai_queryset(), set_spec=set_spec, since=since, before=before)
    if after is not None:
        stamp, pk = after
        queryset = queryset.filter(Q(oai_datestamp__gt=stamp) | Q(oai_datestamp=stamp, pk__gt=pk))
    return list(
        queryset.defer("presentation_source", "import_key", "created_at", "text_content")
        .prefetch_related(
            Prefetch("countries", queryset=Country.objects.only("id", "code", "name_fr")),
            Prefetch("themes", queryset=Theme.objects.only("id", "slug", "name_fr")),
        )
        .order_by("oai_datestamp", "pk")[:limit]
    )


def document_oai_get(*, pk: int) -> Document:
    """One record by id (published or deleted); raise Document.DoesNotExist."""
    return _oai_queryset().defer("text_content").prefetch_related("countries", "themes").get(pk=pk)


def document_oai_earliest_datestamp() -> datetime | None:
    return _oai_queryset().aggregate(earliest=Min("oai_datestamp"))["earliest"]


def oai_set_list() -> tuple[list[Country], list[Theme]]:
    """The countries and themes that are OAI-PMH sets (all of them: a set may be empty)."""
    return list(Country.objects.order_by("code")), list(Theme.objects.order_by("slug"))


# The library index: filters and facet counts -------------------------------------------------


@dataclass(frozen=True)
class LibraryFilters:
    """What the reader filtered the library index on (each at most one value)."""

    country: str = ""  # ISO code
    theme: str = ""  # slug
    organisation: str = ""
    year: int | None = None
    language: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.country or self.theme or self.organisation or self.year or self.language)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class LibraryFacets:
    countries: list[FacetValue]
    themes: list[FacetValue]
    organisations: list[FacetValue]
    years: list[FacetValue]
    languages: list[FacetValue]


FACET_ORGANISATIONS_SHOWN = 30


def document_list_filtered(*, filters: LibraryFilters) -> QuerySet[Document]:
    """Published documents matching the filters, newest first, ready for a listing."""
    queryset = document_list_published()
    if filters.country:
        queryset = queryset.filter(
            Exists(
                Document.countries.through.objects.filter(
                    document_id=OuterRef("pk"), country__code=filters.country
                )
            )
        )
    if filters.theme:
        queryset = queryset.filter(
            Exists(
                Document.themes.through.objects.filter(
                    document_id=OuterRef("pk"), theme__slug=filters.theme
                )
            )
        )
    if filters.organisation:
        queryset = queryset.filter(organisation=filters.organisation)
    if filters.year:
        queryset = queryset.filter(published_on__year=filters.year)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    return queryset


def _translated(row: dict, prefix: str) -> str:
    language = (get_language() or "fr")[:2]
    return row.get(f"{prefix}_{language}") or row[f"{prefix}_fr"]


def document_facets(*, filters: LibraryFilters) -> LibraryFacets:
    """Counts of the filtered documents by country, theme, organisation, year and language.

    Five grouped queries, whatever the number of documents or values.
    """
    matching = document_list_filtered(filters=filters).order_by().values("pk")
    country_rows = (
        Document.countries.through.objects.filter(document_id__in=matching)
        .values("country__code", "country__name_fr", "country__name_en", "country__name_ru")
        .annotate(count=Count("document_id"))
        .order_by("-count", "country__name_fr")
    )
    theme_rows = (
        Document.themes.through.objects.filter(document_id__in=matching)
        .values("theme__slug", "theme__name_fr", "theme__name_en", "theme__name_ru")
        .annotate(count=Count("document_id"))
        .order_by("-count", "theme__name_fr")
    )
    documents = Document.objects.filter(pk__in=matching).order_by()
    organisation_rows = (
        documents.exclude(organisation="")
        .values("organisation")
        .annotate(count=Count("pk"))
        .order_by("-count", "organisation")[:FACET_ORGANISATIONS_SHOWN]
    )
    year_rows = (
        documents.filter(published_on__isnull=False)
        .values(year=ExtractYear("published_on"))
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    language_rows = documents.values("language").annotate(count=Count("pk")).order_by("-count")
    language_names = dict(Language.choices)
    return LibraryFacets(
        countries=[
            FacetValue(r["country__code"], _translated(r, "country__name"), r["count"])
            for r in country_rows
        ],
        themes=[
            FacetValue(r["theme__slug"], _translated(r, "theme__name"), r["count"])
            for r in theme_rows
        ],
        organisations=[
            FacetValue(r["organisation"], r["organisation"], r["count"]) for r in organisation_rows
        ],
        years=[FacetValue(str(r["year"]), str(r["year"]), r["count"]) for r in year_rows],
        languages=[
            FacetValue(
                r["language"], str(language_names.get(r["language"], r["language"])), r["count"]
            )
            for r in language_rows
        ],
    )
