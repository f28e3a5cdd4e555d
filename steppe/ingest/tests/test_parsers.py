"""Parsers on the sample pages of ../shared/seeds and on malformed files of our own.

Messages are checked in French: the interface language the commands run in.
"""

from datetime import date
from pathlib import Path

import pytest

from steppe.ingest.parsers import parse_path
from steppe.ingest.records import ArticleRecord, DocumentRecord, ImportFormatError


def _seed(seeds_dir: Path, prefix: str) -> Path:
    return next(seeds_dir.glob(f"{prefix}_*.txt"))


def test_document_page_000(seeds_dir):
    parsed = parse_path(_seed(seeds_dir, "000"))
    assert parsed.format == "document-page"
    [record] = parsed.records
    assert isinstance(record, DocumentRecord)
    assert record.title.startswith("Dialogue d'Oulan-Bator, Mongolie")
    assert record.subtitle.startswith("Analyse des thèmes centraux")
    assert record.published_on == date(2025, 12, 23)
    assert len(record.chapters) == 10
    assert record.chapters[0].title.startswith("Défis et opportunités")
    assert record.country_names == ["Le Kazakhstan"]
    assert record.presentation.startswith("Les 6 et 7 juin 2024")
    assert parsed.warnings == []


def test_document_page_004(seeds_dir):
    [record] = parse_path(_seed(seeds_dir, "004")).records
    assert record.title.startswith("Déclaration de Tokyo")
    assert record.published_on == date(2026, 1, 10)
    assert len(record.chapters) == 9
    assert record.chapters[-1].title == "Conclusion"


def test_listing_003_has_20_items_and_warns_about_its_first_paragraph(seeds_dir):
    parsed = parse_path(_seed(seeds_dir, "003"))
    assert parsed.format == "listing"
    assert len(parsed.records) == 20
    assert all(isinstance(r, ArticleRecord) and r.title and r.lead for r in parsed.records)
    assert parsed.records[0].title.startswith("Une nation, 130 ethnies")
    assert [(w.line, w.message) for w in parsed.warnings] == [
        (1, "paragraphe sans titre\u00a0: ignoré")
    ]


def test_bare_article_001(seeds_dir):
    parsed = parse_path(_seed(seeds_dir, "001"))
    assert parsed.format == "article-body"
    [record] = parsed.records
    assert record.kind == "news"
    assert record.title
    assert record.body.count("\n\n") >= 10
    assert record.published_at is None


def test_opinion_002_keeps_its_signature_and_drops_the_platform_footer(seeds_dir):
    [record] = parse_path(_seed(seeds_dir, "002")).records
    assert record.kind == "opinion"
    assert record.byline == "Ame_21"
    assert "créateur de contenu" not in record.body
    assert "NOTRECONTINENT" not in record.body


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


FRONT_MATTER_ERRORS = [
    ("---\nkind: news\ntitle: [pas fermé\n---\nCorps.", 3, "YAML invalide dans l’en-tête"),
    (
        "---\nkind: news\nauthor: a\npublished_at: 2025-01-01T10:00:00+01:00\n---\nCorps.",
        1,
        "valeur manquante pour « title »",
    ),
    (
        "---\nkind: reportage\ntitle: T\nauthor: a\npublished_at: 2025-01-01T10:00:00+01:00\n---\nCorps.",
        2,
        "type d’article inconnu\u00a0: reportage",
    ),
    (
        "---\nkind: news\ntitle: T\nauthor: a\npublished_at: demain\n---\nCorps.",
        5,
        "« published_at » doit être une date et une heure (ISO 8601)",
    ),
    ("---\nkind: news\ntitle: T\n", 1, "l’en-tête n’est pas fermé par une ligne « --- »"),
    (
        "---\ntype: document\ntitle: T\ncontributor: a\npublished_on: 2025-13-01\n---\nCorps.",
        5,
        "« published_on » doit être une date (AAAA-MM-JJ)",
    ),
]


@pytest.mark.parametrize(("text", "line", "reason"), FRONT_MATTER_ERRORS)
def test_malformed_front_matter_is_reported_with_line_and_reason(tmp_path, text, line, reason):
    path = _write(tmp_path, "bad.md", text)
    with pytest.raises(ImportFormatError) as error:
        parse_path(path)
    assert (error.value.path, error.value.line, error.value.reason) == (path, line, reason)


def test_impossible_date_in_a_document_page_names_its_line(tmp_path):
    path = _write(
        tmp_path,
        "doc.txt",
        "Files / La Mongolie\n\nUn titre\n\nDetail\n\nPublished\n\n31/02/2025\n",
    )
    with pytest.raises(ImportFormatError) as error:
        parse_path(path)
    assert error.value.line == 9
    assert "31/02/2025" in error.value.reason


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xff\xfe\x00binary"])
def test_empty_or_binary_files_are_refused(tmp_path, content):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError):
        parse_path(path)


def test_authors_file_requires_an_organisation_for_organisation_accounts(tmp_path):
    path = _write(tmp_path, "authors.yaml", "- username: ong-sans-nom\n  kind: ngo\n")
    with pytest.raises(ImportFormatError) as error:
        parse_path(path)
    assert error.value.line == 1
