from typing import Self

from django.db import models
from django.utils import timezone

from steppe.core.models import PublicationStatus


class DocumentQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self) -> Self:
        return (
            self.select_related("contributor")
            .defer("presentation_source", "presentation_html")
            .order_by("-published_at", "-id")
        )
