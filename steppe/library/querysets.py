from typing import Self

from django.db import models
from django.utils import timezone

from steppe.core.models import PublicationStatus
from steppe.core.prefetch import ManyToManyPrefetchQuerySet


class DocumentQuerySet(ManyToManyPrefetchQuerySet):
    def published(self) -> Self:
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user) -> Self:
        """Published documents, plus the user's own, plus everything for editors."""
        if not user.is_authenticated:
            return self.published()
        if user.has_perm("library.change_document"):
            return self.all()
        return self.filter(
            models.Q(status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now())
            | models.Q(contributor=user)
        )

    def for_listing(self) -> Self:
        return (
            self.select_related("contributor")
            .defer("presentation_source", "presentation_html", "text_content")
            .order_by("-published_at", "-id")
        )
