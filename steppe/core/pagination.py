"""Page-number pagination that never counts the whole table.

Django's Paginator runs a COUNT(*) on every page; on a large table that count costs more than the page.
Listings only need to know whether there is a next page, so one extra row is fetched instead.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


MAX_PAGE = 10_000


def paginate(queryset: QuerySet, request: HttpRequest, *, per_page: int) -> Page:
    """Return the page named by ?page=N (1 by default); 404 on a malformed or empty page."""
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise Http404("Invalid page number.") from None
    if not 1 <= number <= MAX_PAGE:
        raise Http404("Invalid page number.")
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if number > 1 and not rows:
        raise Http404("Empty page.")
    return Page(
        items=rows[:per_page],
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > per_page,
    )
