"""The public transparency report: per month, what came in, what was decided, how fast.

Counted over the last 24 months from the articles' submission dates, the audit log, the reports,
the account sanctions (warnings, suspensions, bans) and the appeals, in a fixed number of queries, and cached for `CACHE_SECONDS` (the figures move slowly; a decision shows up at the next refresh).
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from steppe.core.models import PublicationStatus
from steppe.library.models import Document
from steppe.publishing.models import Article

from .models import Appeal, AuditEvent, Report, ReportCategory, Sanction

CACHE_KEY = "moderation:transparency:v2"  # v2: sanctions
CACHE_SECONDS = 600
FREE_TEXT = ""  # key of refusals whose reason was written, not chosen from the templates


@dataclass
class MonthFigures:
    month: date
    submissions: int = 0
    published: int = 0
    refused: int = 0
    refused_by_reason: dict[str, int] = field(default_factory=dict)
    reports_by_category: dict[str, int] = field(default_factory=dict)
    reports: int = 0
    decision_hours: list[float] = field(default_factory=list)
    appeals: int = 0
    appeals_upheld: int = 0
    appeals_granted: int = 0
    warnings: int = 0
    suspensions: int = 0
    bans: int = 0

    @property
    def median_hours_to_decision(self) -> float | None:
        if not self.decision_hours:
            return None
        return round(statistics.median(self.decision_hours), 1)

    @property
    def is_active(self) -> bool:
        return bool(
            self.submissions
            or self.published
            or self.refused
            or self.reports
            or self.appeals
            or self.warnings
            or self.suspensions
            or self.bans
        )

    def report_counts(self) -> list[int]:
        """Reports per category, in the order of ReportCategory."""
        return [self.reports_by_category.get(value, 0) for value in ReportCategory.values]


@dataclass
class TransparencyReport:
    months: list[MonthFigures]
    reasons: list[str]  # refusal reasons used, in a stable order; "" is free text


MONTHS_SHOWN = 24


def _month(value) -> date:
    local = timezone.localtime(value)
    return date(local.year, local.month, 1)


def _bucket(bounds, field_name: str = "created_at") -> Case:
    """The index in `bounds` (newest first) of the month a row falls in, computed by the database:
    reading the month number instead of the datetime spares a datetime parse per row."""
    return Case(
        *[
            When(**{f"{field_name}__gte": start}, then=Value(index))
            for index, (_month_start, start, _end) in enumerate(bounds)
        ],
        default=Value(len(bounds) - 1),
        output_field=IntegerField(),
    )


def _month_bounds(count: int) -> list[tuple[date, datetime, datetime]]:
    """The last `count` months (this one first) with their local start and end."""
    today = timezone.localdate()
    year, month = today.year, today.month
    bounds = []
    for _ in range(count):
        start = datetime(year, month, 1, tzinfo=timezone.get_current_timezone())
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = datetime(next_year, next_month, 1, tzinfo=timezone.get_current_timezone())
        bounds.append((date(year, month, 1), start, end))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return bounds


def _counts_by_month(queryset, field_name: str, bounds, group_by: str | None = None) -> dict:
    """{(month, group) -> count} in one query: conditional counts on plain comparisons of a
    datetime column, which both engines evaluate quickly (no per-row date truncation)."""
    since = bounds[-1][1]
    queryset = queryset.filter(**{f"{field_name}__gte": since}).order_by()
    aggregates = {
        f"m{index}": Count(
            "pk", filter=Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
        )
        for index, (_month_start, start, end) in enumerate(bounds)
    }
    if group_by is None:
        rows = [queryset.aggregate(**aggregates)]
    else:
        rows = list(queryset.values(group_by).annotate(**aggregates))
    counts = {}
    for row in rows:
        for index, (month_start, _start, _end) in enumerate(bounds):
            if row[f"m{index}"]:
                counts[month_start, row.get(group_by) if group_by else None] = row[f"m{index}"]
    return counts


def transparency_report_build(months_shown: int = MONTHS_SHOWN) -> TransparencyReport:
    """Compute the figures of the last `months_shown` months, the newest first."""
    bounds = _month_bounds(months_shown)
    since = bounds[-1][1]
    months = {month_start: MonthFigures(month=month_start) for month_start, _s, _e in bounds}

    # Articles and library documents sent to the review queue.
    for queryset in (
        Article.objects.exclude(submitted_at=None),
        Document.objects.exclude(submitted_at=None),
    ):
        for (month, _group), n in _counts_by_month(queryset, "submitted_at", bounds).items():
            months[month].submissions += n

    # Counts in SQL; only refusals (their reasons) and waiting times are read row by row, and a
    # waiting time is read as one JSON key, not the whole `details` object.
    for (month, action), n in _counts_by_month(
        AuditEvent.objects.filter(
            action__in=[AuditEvent.Action.PUBLISHED, AuditEvent.Action.REFUSED],
            status_before=PublicationStatus.SUBMITTED,
        ),
        "created_at",
        bounds,
        group_by="action",
    ).items():
        if action == AuditEvent.Action.PUBLISHED:
            months[month].published += n
        else:
            months[month].refused += n

    reasons: set[str] = set()
    for bucket, chosen in (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.REFUSED,
            status_before=PublicationStatus.SUBMITTED,
            created_at__gte=since,
        )
        .annotate(bucket=_bucket(bounds))
        .values_list("bucket", KeyTransform("reasons", "details"))
    ):
        figures = months[bounds[bucket][0]]
        for reason in chosen or [FREE_TEXT]:
            figures.refused_by_reason[reason] = figures.refused_by_reason.get(reason, 0) + 1
            reasons.add(reason)

    for bucket, waited in (
        AuditEvent.objects.filter(
            Q(
                action__in=[AuditEvent.Action.PUBLISHED, AuditEvent.Action.REFUSED],
                status_before=PublicationStatus.SUBMITTED,
            )
            | Q(
                action__in=[
                    AuditEvent.Action.REPORT_DISMISSED,
                    AuditEvent.Action.HIDDEN,
                    AuditEvent.Action.WITHDRAWN,
                ]
            ),
            created_at__gte=since,
            details__waited_seconds__isnull=False,
        )
        .annotate(bucket=_bucket(bounds))
        .values_list("bucket", KeyTextTransform("waited_seconds", "details"))
        .order_by()
    ):
        if waited not in (None, "", "null"):
            months[bounds[bucket][0]].decision_hours.append(float(waited) / 3600)

    for item in (
        Report.objects.filter(month__gte=bounds[-1][0])
        .values("month", "category")
        .annotate(n=Count("id"))
        .order_by()
    ):
        figures = months.get(item["month"])
        if figures is not None:
            figures.reports_by_category[item["category"]] = item["n"]
            figures.reports += item["n"]

    for (month, outcome), n in _counts_by_month(
        Appeal.objects.all(), "created_at", bounds, group_by="outcome"
    ).items():
        figures = months[month]
        figures.appeals += n
        if outcome == Appeal.Outcome.UPHELD:
            figures.appeals_upheld += n
        elif outcome == Appeal.Outcome.GRANTED:
            figures.appeals_granted += n

    # Account sanctions, counted when decided (a lifted one still counts: it was decided).
    field_of_kind = {
        Sanction.Kind.WARNING: "warnings",
        Sanction.Kind.SUSPENSION: "suspensions",
        Sanction.Kind.BAN: "bans",
    }
    for (month, kind), n in _counts_by_month(
        Sanction.objects.all(), "created_at", bounds, group_by="kind"
    ).items():
        figures = months[month]
        name = field_of_kind[kind]
        setattr(figures, name, getattr(figures, name) + n)

    ordered_reasons = sorted(reasons - {FREE_TEXT}) + ([FREE_TEXT] if FREE_TEXT in reasons else [])
    shown = [m for m in months.values() if m.is_active]
    return TransparencyReport(
        months=sorted(shown, key=lambda m: m.month, reverse=True), reasons=ordered_reasons
    )


def transparency_report_get() -> TransparencyReport:
    """The cached report (rebuilt at most every CACHE_SECONDS)."""
    report = cache.get(CACHE_KEY)
    if report is None:
        report = transparency_report_build()
        cache.set(CACHE_KEY, report, CACHE_SECONDS)
    return report
