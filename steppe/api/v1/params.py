"""Query parameters shared by the listing endpoints."""

from datetime import UTC, datetime
from typing import Annotated

from ninja import Query
from pydantic import Field

from steppe.api.pagination import DEFAULT_PAGE_SIZE, MAX_CURSOR_LENGTH, MAX_PAGE_SIZE

from .schemas import Error

# Well-formed identifiers: a malformed one is a 422, an unknown well-formed one matches nothing.
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=255)]
Username = Annotated[str, Field(pattern=r"^[\w.@+-]+$", max_length=150)]
ArticleId = Annotated[int, Field(ge=1, le=2**63 - 1)]
DocumentId = Annotated[int, Field(ge=1, le=2**63 - 1)]

CURSOR = Query(
    None,
    max_length=MAX_CURSOR_LENGTH,
    description="Opaque cursor from a previous page's `next_cursor`; omit for the first page.",
)
LIMIT = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (1 to 100).")
COUNTRY = Query(
    [],
    description="ISO 3166-1 alpha-2 code, any case (`kz`); repeat for any of several.",
    examples=["kz"],
)
REGION = Query([], description="Region slug; repeat for any of several.")
THEME = Query([], description="Theme slug; repeat for any of several.")
LANGUAGE = Query([], description="Content language; repeat for any of several.")
ARTICLE_KIND = Query([], description="Repeat for any of several.")
ACCOUNT_KIND = Query([], description="Account kind; repeat for any of several.")
AUTHOR = Query(None, description="The author's username.")
CONTRIBUTOR = Query(None, description="The contributor's username.")
ORGANISATION = Query(
    None, max_length=200, description="Part of the issuing organisation's name, any case."
)
YEAR = Query(None, ge=1, le=9999, description="Year of the document's own date (`published_on`).")
FOCUS = Query(None, description="true: only the countries Steppe covers; false: only the others.")
PUBLISHED_AFTER = Query(
    None,
    description="Published at or after this instant (ISO 8601; without an offset: UTC).",
)
PUBLISHED_BEFORE = Query(
    None,
    description="Published strictly before this instant (ISO 8601; without an offset: UTC).",
)

# Errors every listing may answer with.
LIST_ERRORS = {400: Error, 422: Error, 429: Error, 500: Error}
DETAIL_ERRORS = {404: Error, 422: Error, 429: Error, 500: Error}


def aware(value: datetime | None) -> datetime | None:
    """An instant in UTC. Without an offset, a date-time from a query string means UTC.

    Databases take offsets of at most a few hours (PostgreSQL refuses +22:32, which ISO 8601 and
    Python accept), so every instant goes to them in UTC.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 pushed out of range by its offset
        if value.year == 1:
            return datetime.min.replace(tzinfo=UTC)
        return datetime.max.replace(tzinfo=UTC)
