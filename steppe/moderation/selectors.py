"""Reads of the moderation pages, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from steppe.core.models import PublicationStatus
from steppe.library.models import Chapter, Document, DocumentVersion
from steppe.publishing.models import Article, ArticleRevision
from steppe.taxonomy.models import Country

from .models import Appeal, AuditEvent, Fingerprint, Report, ReportCase

# The queue's "kind" filter: an article kind, or this value for library documents.
DOCUMENT_KIND = "document"


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    country: Country | None = None
    author_kind: str = ""
    age_days: int | None = None
    flagged: bool = False  # only items (and proposed edits) flagged as near-duplicates

    @property
    def articles_only(self) -> bool:
        return bool(self.kind) and self.kind != DOCUMENT_KIND

    @property
    def documents_only(self) -> bool:
        return self.kind == DOCUMENT_KIND


def _countries_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(f"{prefix}countries", queryset=Country.objects.only("id", "code", "name_fr"))


def _flagged_ids(model) -> QuerySet:
    """Ids of the items of `model` that have a near-duplicate flag (a subquery)."""
    return Fingerprint.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        near_duplicates__isnull=False,
    ).values("object_id")


def submission_list_for_queue(*, filters: QueueFilters) -> QuerySet[Article]:
    """Submitted articles, the oldest first, filtered by kind, country, author kind, age and
    near-duplicate flags."""
    queryset = Article.objects.filter(status=PublicationStatus.SUBMITTED)
    if filters.flagged:
        queryset = queryset.filter(pk__in=_flagged_ids(Article))
    if filters.documents_only:
        queryset = queryset.none()
    elif filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.country is not None:
        queryset = queryset.filter(countries=filters.country)
    if filters.author_kind:
        queryset = queryset.filter(author__kind=filters.author_kind)
    if filters.age_days:
        queryset = queryset.filter(
            submitted_at__lte=timezone.now() - timedelta(days=filters.age_days)
        )
    return (
        queryset.select_related("author")
        .prefetch_related(_countries_prefetch())
        .defer("body_source", "body_html", "sources")
        .order_by("submitted_at", "id")
    )


def edit_list_for_queue(*, filters: QueueFilters) -> QuerySet[ArticleRevision]:
    """Proposed edits of published articles, the oldest first, with the same filters."""
    queryset = ArticleRevision.objects.filter(state=ArticleRevision.State.PENDING)
    if filters.flagged:
        queryset = queryset.filter(pk__in=_flagged_ids(ArticleRevision))
    if filters.documents_only:
        queryset = queryset.none()
    elif filters.kind:
        queryset = queryset.filter(article__kind=filters.kind)
    if filters.country is not None:
        queryset = queryset.filter(article__countries=filters.country)
    if filters.author_kind:
        queryset = queryset.filter(article__author__kind=filters.author_kind)
    if filters.age_days:
        queryset = queryset.filter(
            created_at__lte=timezone.now() - timedelta(days=filters.age_days)
        )
    return (
        queryset.select_related("article", "article__author")
        .prefetch_related(_countries_prefetch("article__"))
        .defer("data", "article__body_source", "article__body_html", "article__sources")
        .order_by("created_at", "id")
    )


def document_list_for_queue(*, filters: QueueFilters) -> QuerySet[Document]:
    """Submitted library documents, the oldest first, with the same filters (an article kind
    leaves none). The extracted text (megabytes) and the presentation are never read."""
    queryset = Document.objects.filter(status=PublicationStatus.SUBMITTED)
    if filters.articles_only:
        queryset = queryset.none()
    if filters.flagged:
        queryset = queryset.filter(pk__in=_flagged_ids(Document))
    if filters.country is not None:
        queryset = queryset.filter(countries=filters.country)
    if filters.author_kind:
        queryset = queryset.filter(contributor__kind=filters.author_kind)
    if filters.age_days:
        queryset = queryset.filter(
            submitted_at__lte=timezone.now() - timedelta(days=filters.age_days)
        )
    return (
        queryset.select_related("contributor", "current_version")
        .prefetch_related(_countries_prefetch())
        .defer(
            "text_content", "presentation_source", "presentation_html", "current_version__outline"
        )
        .order_by("submitted_at", "id")
    )


def document_get_for_review(*, pk: int) -> Document:
    """A document editors may review (not a contributor's draft), with what its page shows."""
    return get_object_or_404(
        Document.objects.exclude(status=PublicationStatus.DRAFT)
        .select_related("contributor", "current_version")
        .prefetch_related(
            _countries_prefetch(),
            "themes",
            Prefetch("chapters", queryset=Chapter.objects.order_by("position")),
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.defer("outline").order_by("-number"),
            ),
        )
        .defer("text_content", "current_version__outline"),
        pk=pk,
    )


def case_list_pending() -> QuerySet[ReportCase]:
    """Open and hidden report cases, the oldest first."""
    return ReportCase.objects.filter(
        status__in=[ReportCase.Status.OPEN, ReportCase.Status.HIDDEN]
    ).order_by("opened_at", "id")


def case_reports(*, case: ReportCase, limit: int = 200) -> list[Report]:
    """The case's reports, the oldest first (at most `limit`)."""
    return list(case.reports.all()[:limit])


def audit_event_list() -> QuerySet[AuditEvent]:
    """The audit log, the newest first."""
    return AuditEvent.objects.select_related("content_type").order_by("-created_at", "-id")


def appeal_list_pending() -> QuerySet[Appeal]:
    """Appeals waiting for a decision, the oldest first."""
    return (
        Appeal.objects.filter(outcome=Appeal.Outcome.PENDING)
        .select_related("case", "sanction__account", "contested_by")
        .order_by("created_at", "id")
    )
