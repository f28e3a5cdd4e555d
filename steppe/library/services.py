"""Every write to library documents goes through these functions."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steppe.core.models import PublicationStatus
from steppe.core.slugs import unique_slug
from steppe.core.text import clean_text, render_markdown
from steppe.taxonomy.models import Country, Theme

from .models import Chapter, Document
from .signals import document_changed, document_published, document_unpublished

if TYPE_CHECKING:
    from steppe.accounts.models import User

EDITABLE_FIELDS = (
    "title",
    "subtitle",
    "published_on",
    "organisation",
    "authors",
    "presentation_source",
    "language",
)


class LibraryError(Exception):
    """A workflow step that is not allowed in the document's current state."""


@dataclass(frozen=True)
class ChapterData:
    title: str
    page: int | None = None


def _set_chapters(document: Document, chapters: Sequence[ChapterData]) -> None:
    document.chapters.all().delete()
    Chapter.objects.bulk_create(
        Chapter(
            document=document,
            position=index,
            title=clean_text(chapter.title)[:500],
            page=chapter.page,
        )
        for index, chapter in enumerate(chapters, start=1)
    )


@transaction.atomic
def document_create(
    *,
    contributor: "User",
    title: str,
    subtitle: str = "",
    published_on: date | None = None,
    organisation: str = "",
    authors: str = "",
    presentation_source: str = "",
    language: str = "fr",
    slug: str = "",
    countries: Sequence[Country] = (),
    themes: Sequence[Theme] = (),
    chapters: Sequence[ChapterData] = (),
    import_key: str | None = None,
) -> Document:
    """Create a draft document record with its ordered chapters."""
    title = clean_text(title)
    document = Document(
        contributor=contributor,
        title=title,
        slug=unique_slug(Document, slug or title),
        subtitle=clean_text(subtitle),
        published_on=published_on,
        organisation=clean_text(organisation),
        authors=clean_text(authors),
        presentation_source=clean_text(presentation_source),
        language=language,
        import_key=import_key,
    )
    document.presentation_html = render_markdown(document.presentation_source)
    document.full_clean()
    document.save()
    document.countries.set(countries)
    document.themes.set(themes)
    _set_chapters(document, chapters)
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    countries: Sequence[Country] | None = None,
    themes: Sequence[Theme] | None = None,
    chapters: Sequence[ChapterData] | None = None,
    **changes: str | date | None,
) -> Document:
    """Change a document's record; chapters, when given, replace the old list."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(document, field, clean_text(value) if isinstance(value, str) else value)
    document.presentation_html = render_markdown(document.presentation_source)
    document.full_clean()
    document.save()
    if countries is not None:
        document.countries.set(countries)
    if themes is not None:
        document.themes.set(themes)
    if chapters is not None:
        _set_chapters(document, chapters)
    if document.status == PublicationStatus.PUBLISHED:
        transaction.on_commit(lambda: document_changed.send(sender=Document, document=document))
    return document


@transaction.atomic
def document_publish(
    *, document: Document, by: "User | None", at: datetime | None = None
) -> Document:
    """Publish a document in the library now, or at the given date."""
    if document.status == PublicationStatus.PUBLISHED and at is None:
        raise LibraryError(_("This document is already published."))
    document.status = PublicationStatus.PUBLISHED
    document.published_at = at or timezone.now()
    document.save(update_fields=["status", "published_at", "updated_at"])
    transaction.on_commit(lambda: document_published.send(sender=Document, document=document))
    return document


@transaction.atomic
def document_withdraw(*, document: Document, by: "User | None") -> Document:
    """Take a submitted or published document offline; harvesters then see a deleted record."""
    if document.status not in {PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED}:
        raise LibraryError(_("Only a submitted or published document can be withdrawn."))
    was_published = document.status == PublicationStatus.PUBLISHED
    document.status = PublicationStatus.WITHDRAWN
    document.save(update_fields=["status", "updated_at"])
    if was_published:
        transaction.on_commit(lambda: document_unpublished.send(sender=Document, document=document))
    return document
