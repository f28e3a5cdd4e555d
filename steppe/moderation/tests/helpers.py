"""Objects several moderation tests need."""

from datetime import timedelta

from django.utils import timezone

from steppe.accounts.tests.factories import UserFactory
from steppe.core.models import PublicationStatus
from steppe.library.models import Document, DocumentVersion
from steppe.library.tests.factories import DocumentFactory


def submitted_document(
    contributor=None, *, days_ago: float = 0, countries=(), **kwargs
) -> Document:
    """A submitted document with a current version (the stored file is not read here)."""
    document = DocumentFactory(
        contributor=contributor or UserFactory(),
        status=PublicationStatus.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=days_ago),
        countries=list(countries),
        **kwargs,
    )
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        file=f"library/pdf/00/{document.pk:064d}.pdf",
        checksum=f"{document.pk:064d}",
        size=123_456,
        pages=12,
        original_filename="rapport-annuel.pdf",
        intake_status=DocumentVersion.IntakeStatus.READY,
    )
    document.current_version = version
    document.save(update_fields=["current_version"])
    return document
