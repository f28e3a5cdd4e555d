"""Keyset ("cursor") pagination: opaque cursors, stable when items are added.

A page is "the first `limit` rows after this position" in a total order (for content: newest first by
`published_at`, then `id`), never "rows 40 to 60": an item published meanwhile shifts nothing, nothing
is skipped or repeated, and the database reads the index from the position instead of counting rows.
The cursor is the position of the last row of the page, encoded as URL-safe base64 JSON. It is opaque to
clients (its content may change); a cursor that does not decode is a 400 error.
"""

import base64
import binascii
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .errors import ApiError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_CURSOR_LENGTH = 512


def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError
    try:
        # In UTC: databases refuse some offsets that ISO 8601 allows (PostgreSQL: +22:32).
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError from None


def parse_int(value: Any) -> int:
    # Within a 64-bit primary key: a larger number would overflow the database's integer.
    if type(value) is not int or not 0 < value < 2**63:
        raise ValueError
    return value


def parse_username(value: Any) -> str:
    # Checked like the username path parameter: no character a database would refuse (NUL).
    if not isinstance(value, str) or not re.fullmatch(r"[\w.@+-]{1,150}", value):
        raise ValueError
    return value


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


@dataclass(frozen=True)
class Keyset:
    """A total order on a queryset: fields (the last one unique) read in one direction."""

    name: str
    fields: tuple[tuple[str, Callable[[Any], Any]], ...]
    descending: bool = True

    @property
    def ordering(self) -> list[str]:
        return [f"-{field}" if self.descending else field for field, _parse in self.fields]

    def position(self, row: Any) -> tuple:
        return tuple(getattr(row, field) for field, _parse in self.fields)

    def encode(self, position: Sequence[Any]) -> str:
        payload = json.dumps([self.name, *(_to_json(value) for value in position)])
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple:
        """The position a cursor names; ApiError(400) if it is not one of this keyset's."""
        try:
            if len(cursor) > MAX_CURSOR_LENGTH:
                raise ValueError
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            name, *values = json.loads(raw)
            if name != self.name or len(values) != len(self.fields):
                raise ValueError
            return tuple(
                parse(value) for (_field, parse), value in zip(self.fields, values, strict=True)
            )
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise ApiError(400, _("The cursor is invalid."), code="invalid_cursor") from None

    def after(self, position: Sequence[Any]) -> Q:
        """Rows strictly after `position` in this order."""
        lookup = "lt" if self.descending else "gt"
        condition = Q()
        equal = Q()
        for (field, _parse), value in zip(self.fields, position, strict=True):
            condition |= equal & Q(**{f"{field}__{lookup}": value})
            equal &= Q(**{field: value})
        # The redundant bound on the first field lets the database use its index as a range.
        first_field, first_value = self.fields[0][0], position[0]
        bound = Q(**{f"{first_field}__{lookup}e": first_value})
        return bound & condition


PUBLISHED_KEYSET = Keyset(
    name="published", fields=(("published_at", parse_datetime), ("id", parse_int))
)
USERNAME_KEYSET = Keyset(name="username", fields=(("username", parse_username),), descending=False)


@dataclass(frozen=True)
class CursorPage:
    items: list[Any]
    next_cursor: str | None


def keyset_page(
    queryset: QuerySet, *, keyset: Keyset, cursor: str | None, limit: int
) -> CursorPage:
    """Fetch one page (limit + 1 rows, to know whether another follows) in one query."""
    if cursor:
        queryset = queryset.filter(keyset.after(keyset.decode(cursor)))
    rows = list(queryset.order_by(*keyset.ordering)[: limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    next_cursor = keyset.encode(keyset.position(rows[-1])) if has_next else None
    return CursorPage(items=rows, next_cursor=next_cursor)


def next_url(request: HttpRequest, next_cursor: str | None) -> str | None:
    """This request's absolute URL with its cursor replaced by the next one."""
    if next_cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = next_cursor
    pairs = [(key, value) for key, values in query.lists() for value in values]
    return request.build_absolute_uri(f"{request.path}?{urlencode(pairs)}")


def page_body(request: HttpRequest, page: CursorPage, serialize: Callable[[Any], Any]) -> dict:
    return {
        "items": [serialize(item) for item in page.items],
        "next_cursor": page.next_cursor,
        "next": next_url(request, page.next_cursor),
    }
