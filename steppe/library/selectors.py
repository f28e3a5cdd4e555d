"""Reads behind the library pages."""

from django.db.models import Prefetch, QuerySet

from steppe.taxonomy.models import Country

from .models import Document


def document_list_published() -> QuerySet[Document]:
    """Published documents, newest first, ready for a listing."""
    return (
        Document.objects.published()
        .for_listing()
        .prefetch_related(Prefetch("countries", queryset=Country.objects.all()))
    )


def document_list_for_country(*, country: Country) -> QuerySet[Document]:
    return document_list_published().filter(countries=country)


def document_get_published(*, slug: str) -> Document:
    """A published document with its chapters and classification; raise Document.DoesNotExist."""
    return (
        Document.objects.published()
        .select_related("contributor")
        .prefetch_related("countries", "themes", "chapters")
        .get(slug=slug)
    )
