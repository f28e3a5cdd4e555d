from typing import Self

from django.db import models
from django.utils import timezone

from steppe.core.models import PublicationStatus


class ArticleQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self) -> Self:
        """What a headline + lead listing shows, without the body."""
        return (
            self.select_related("author")
            .defer("body_source", "body_html")
            .order_by("-published_at", "-id")
        )
