from typing import Self

from django.utils import timezone

from steppe.core.models import PublicationStatus
from steppe.core.prefetch import ManyToManyPrefetchQuerySet

# What a listing row (core/partials/item_list.html, the home page's featured article) reads.
LISTING_FIELDS = (
    "id",
    "kind",
    "title",
    "slug",
    "lead",
    "language",
    "author",
    "byline",
    "published_at",
)


class ArticleQuerySet(ManyToManyPrefetchQuerySet):
    def published(self) -> Self:
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self) -> Self:
        """What a headline + lead listing shows (LISTING_FIELDS: no body, no editorial fields),
        newest first: each column less is less to convert for every row (timestamps cost most).

        The author is not joined here: selectors prefetch it (one more query on a page of rows).
        With the join, SQLite's planner starts from the users table and sorts every matching article
        before keeping a page (44 ms for the home page's latest articles among 100,000, 110 ms for a
        country's); without it, both engines read the newest rows from an index and stop early.
        """
        return self.only(*LISTING_FIELDS).order_by("-published_at", "-id")
