"""Library documents: the extracted text of their PDF is indexed with the body's weight."""

from django.db import transaction
from django.utils import timezone

import pytest

from steppe.library.models import Document
from steppe.library.signals import document_changed
from steppe.search.backends import get_search_backend
from steppe.search.documents import ATTACHMENT_TEXT_LIMIT, IndexItem, _has_text_content
from steppe.search.models import SearchEntry
from steppe.search.selectors import search_run

pytestmark = pytest.mark.django_db

needs_text_content = pytest.mark.skipif(
    not _has_text_content(Document),
    reason="Document.text_content (the PDF's extracted text) is not in the library app yet",
)


def titles(text: str) -> list[str]:
    return [hit.entry.title for hit in search_run(text=text).hits]


YESTERDAY = timezone.now() - timezone.timedelta(days=1)


def _item(**fields) -> IndexItem:
    values = {
        "item_type": SearchEntry.ItemType.DOCUMENT,
        "object_id": 1,
        "slug": "rapport",
        "title": "Rapport annuel",
        "summary": "",
        "head_extra": [],
        "text": "Une présentation courte.",
        "author_name": "Observatoire",
        "published_at": YESTERDAY,
        "document_date": None,
        "kind": "document",
        "language": "fr",
        "year": 2025,
        "author_kind": "organisation",
        "author_id": None,
        **fields,
    }
    return IndexItem(**values)


def test_attachment_text_is_indexed_in_the_body_tier():
    backend = get_search_backend()
    with transaction.atomic():
        backend.index(
            [
                _item(
                    object_id=1,
                    title="Rapport annuel",
                    attachment_text="Le gisement de Kachagan produit du pétrole. " * 3,
                ),
                _item(object_id=2, slug="note", title="Note sur Kachagan"),
            ]
        )
    # The title match ranks first; the PDF text counts as body (tier 2), like the presentation.
    assert titles("Kachagan") == ["Note sur Kachagan", "Rapport annuel"]
    assert titles('"gisement de Kachagan"') == ["Rapport annuel"]
    entry = SearchEntry.objects.get(object_id=1)
    assert entry.text.startswith("Une présentation courte.\n\nLe gisement de Kachagan")


def test_attachment_text_changes_the_fingerprint_only_when_present():
    plain = _item()
    assert plain.fingerprint() == _item(attachment_text="").fingerprint()
    assert plain.fingerprint() != _item(attachment_text="Du texte.").fingerprint()


@needs_text_content
def test_the_pdf_text_of_a_document_is_indexed_and_bounded(
    make_document, django_capture_on_commit_callbacks
):
    document = make_document(title="Rapport sur l'eau")
    assert titles("Kambarata") == []
    filler = "Les débits du fleuve restent stables. " * (ATTACHMENT_TEXT_LIMIT // 38 + 10)
    with django_capture_on_commit_callbacks(execute=True):
        document.text_content = "Le barrage de Kambarata. " + filler + " Le lac Sarez."
        document.save()
    assert titles("Kambarata") == ["Rapport sur l'eau"]
    assert titles("Sarez") == []  # past the first ATTACHMENT_TEXT_LIMIT characters


@needs_text_content
def test_a_pdf_text_change_without_post_save_is_reindexed_on_document_changed(make_document):
    document = make_document(title="Rapport sur le coton")
    Document.objects.filter(pk=document.pk).update(text_content="La mer d'Aral recule.")
    assert titles("Aral") == []
    document.refresh_from_db()
    document_changed.send(sender=Document, document=document)
    assert titles("Aral") == ["Rapport sur le coton"]
