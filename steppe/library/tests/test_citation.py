"""How to cite a document: downloads, the formatted reference and the Highwire meta tags."""

import json
import re
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import translation

import pytest

from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library import citation
from steppe.library.tests.factories import DocumentFactory
from steppe.taxonomy.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(settings):
    document = DocumentFactory(
        published=True,
        title="Eau & énergie : le {dialogue} d’Astana",
        subtitle="Ce que disent les ministres.",
        authors="Aigerim Sadykova; Batbayar Dorj",
        organisation="Institut fictif des études",
    )
    document.themes.set([Theme.objects.order_by("slug").first()])
    return document


class MetaCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or "").startswith("citation_"):
            self.meta.append((values["name"], values["content"]))


def cite_url(document, fmt: str) -> str:
    return reverse("library:document_cite", kwargs={"slug": document.slug, "fmt": fmt})


def test_document_page_has_highwire_tags(client, document):
    parser = MetaCollector()
    parser.feed(client.get(document.get_absolute_url()).content.decode())
    tags = parser.meta
    assert ("citation_title", document.title) in tags
    assert [v for k, v in tags if k == "citation_author"] == ["Aigerim Sadykova", "Batbayar Dorj"]
    assert ("citation_publication_date", "2025/12/23") in tags
    assert ("citation_publisher", "Institut fictif des études") in tags
    assert ("citation_language", "fr") in tags
    assert (
        "citation_public_url",
        f"http://testserver/bibliotheque/{document.slug}/",
    ) in tags
    assert not [k for k, v in tags if k == "citation_pdf_url"]  # no file yet


def test_english_page_cites_the_canonical_french_address(client, document):
    with translation.override("en"):
        url = document.get_absolute_url()
    parser = MetaCollector()
    parser.feed(client.get(url).content.decode())
    assert dict(parser.meta)["citation_public_url"].endswith(f"/bibliotheque/{document.slug}/")
    assert "/en/" not in dict(parser.meta)["citation_public_url"]


def test_organisation_is_the_author_when_no_person_signs(client, settings):
    document = DocumentFactory(published=True, authors="", organisation="Banque fictive")
    parser = MetaCollector()
    parser.feed(client.get(document.get_absolute_url()).content.decode())
    assert [v for k, v in parser.meta if k == "citation_author"] == ["Banque fictive"]
    assert citation.document_csl(document, origin="http://testserver")["author"] == [
        {"literal": "Banque fictive"}
    ]


def test_document_page_shows_formatted_reference_and_downloads(client, document):
    html = client.get(document.get_absolute_url()).content.decode()
    section = html[html.index('id="citer"') : html.index("</section>", html.index('id="citer"'))]
    # Harvard (Cite Them Right), French locale: authors, year, italic title, URL and access date.
    assert "Aigerim Sadykova" in section
    assert "(2025)" in section
    assert "<i>Eau &amp; énergie : le {dialogue} d’Astana</i>" in section
    assert f"http://testserver/bibliotheque/{document.slug}/" in section
    assert "Consulté le\u00a0: " in section
    for fmt in ("bib", "ris", "json"):
        assert f'href="{cite_url(document, fmt)}"' in section


def test_reference_in_english(client, document):
    with translation.override("en"):
        url = document.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Accessed:" in html


def test_reference_escapes_markup(client, settings):
    document = DocumentFactory(published=True, title="<script>alert(1)</script>")
    html = client.get(document.get_absolute_url()).content.decode()
    section = html[html.index('id="citer"') :]
    assert "<script>alert(1)</script>" not in section
    assert "&lt;script&gt;" in section


def test_bibtex_download(client, document):
    response = client.get(cite_url(document, "bib"))
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{document.slug}.bib"'
    body = response.content.decode()
    assert body.startswith(f"@techreport{{aigerim2025-{document.pk},\n")
    assert r"title = {Eau \& énergie : le \{dialogue\} d’Astana}" in body
    assert "author = {Aigerim Sadykova} and {Batbayar Dorj}" in body
    assert "institution = {Institut fictif des études}" in body
    assert "year = 2025" in body
    assert "date = {2025-12-23}" in body
    assert f"url = {{http://testserver/bibliotheque/{document.slug}/}}" in body


def test_ris_download(client, document):
    response = client.get(cite_url(document, "ris"))
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert "AU  - Aigerim Sadykova" in lines
    assert "AU  - Batbayar Dorj" in lines
    assert "PY  - 2025" in lines
    assert "DA  - 2025/12/23" in lines
    assert "PB  - Institut fictif des études" in lines
    assert f"UR  - http://testserver/bibliotheque/{document.slug}/" in lines
    assert lines[-2] == "ER  - "
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines[:-1])


def test_csl_json_download(client, document):
    response = client.get(cite_url(document, "json"))
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    [item] = json.loads(response.content)
    assert item["type"] == "report"
    assert item["title"] == document.title
    assert item["author"] == [{"literal": "Aigerim Sadykova"}, {"literal": "Batbayar Dorj"}]
    assert item["issued"] == {"date-parts": [[2025, 12, 23]]}
    assert item["publisher"] == "Institut fictif des études"
    assert item["URL"] == f"http://testserver/bibliotheque/{document.slug}/"


def test_citation_of_an_unpublished_document_is_not_found(client):
    draft = DocumentFactory()
    for fmt in ("bib", "ris", "json"):
        assert client.get(cite_url(draft, fmt)).status_code == 404


def test_unknown_citation_format_is_not_found(client, document):
    url = cite_url(document, "bib").replace(".bib", ".docx")
    assert client.get(url).status_code == 404


def test_citation_download_queries_do_not_grow(client):
    document = DocumentFactory(published=True)

    def add(count):
        themes = list(Theme.objects.all()[: document.themes.count() + count])
        document.themes.set(themes)

    assert_queries_do_not_grow(client, cite_url(document, "ris"), add)
