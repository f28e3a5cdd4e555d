"""Extraction reads a document's file text (`Document.text_content`, written by library's intake)."""

import pytest

from steppe.knowledge.services import item_text, pdf_text_to_paragraphs

PDF_TEXT = """2. Le contexte régional

Les 6 et 7 juin 2024, le gouvernement de la
Mongolie a accueilli à Oulan-Bator une confé-
rence régionale sur l'eau et le climat.
Page 3
Le Tadjikistan, qui préside le comité de l'eau depuis
2023, a présenté son programme de barrages."""


def _has_text_content() -> bool:
    from steppe.library.models import Document

    return any(field.name == "text_content" for field in Document._meta.get_fields())


needs_text_content = pytest.mark.skipif(
    not _has_text_content(),
    reason="library.Document.text_content does not exist yet (added by the library's PDF intake)",
)


def test_pdf_line_breaks_are_undone_inside_sentences_only():
    text = pdf_text_to_paragraphs(PDF_TEXT)
    assert (
        "Les 6 et 7 juin 2024, le gouvernement de la Mongolie a accueilli à Oulan-Bator une "
        "conférence régionale sur l'eau et le climat." in text.splitlines()
    )
    assert "2. Le contexte régional" in text.splitlines()  # a heading stays apart
    assert "Page 3" in text.splitlines()
    assert (
        "Le Tadjikistan, qui préside le comité de l'eau depuis 2023, a présenté son programme "
        "de barrages." in text.splitlines()
    )
    assert pdf_text_to_paragraphs("") == ""
    assert pdf_text_to_paragraphs("\r\n\r\n  \n") == ""


@needs_text_content
@pytest.mark.django_db
def test_item_text_of_a_document_ends_with_its_file_text():
    from steppe.library.tests.factories import DocumentFactory

    document = DocumentFactory(title="Rapport sur l'eau", text_content=PDF_TEXT)
    text, _published, _language = item_text(document)
    assert text.startswith("Rapport sur l'eau")
    assert "la Mongolie a accueilli à Oulan-Bator une conférence régionale" in text
    assert text.index("Une présentation du document") < text.index("Les 6 et 7 juin 2024")


@needs_text_content
@pytest.mark.django_db
def test_events_and_countries_found_only_in_the_file_text(nlp_models):
    from steppe.knowledge.models import Event, ItemCountry
    from steppe.knowledge.services import item_extract
    from steppe.library.tests.factories import DocumentFactory

    document = DocumentFactory(published=True, title="Rapport annuel", text_content=PDF_TEXT)
    item_extract(item=document)
    codes = {row.country.code for row in ItemCountry.objects.for_item(document)}
    assert {"MN", "TJ"} <= codes
    event = Event.objects.for_item(document).get(date_value="2024-06-06/2024-06-07")
    assert "MN" in {country.code for country in event.countries.all()}
    assert "Oulan-Bator" in event.sentence
    # An unchanged document is skipped; a new file text is extracted again.
    analysis = item_extract(item=document)
    document.text_content = PDF_TEXT.replace("Mongolie", "Kazakhstan").replace(
        "Oulan-Bator", "Astana"
    )
    document.save(update_fields=["text_content"])
    assert item_extract(item=document).text_hash != analysis.text_hash
    assert "KZ" in {row.country.code for row in ItemCountry.objects.for_item(document)}
