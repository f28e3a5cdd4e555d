"""Checking untrusted files: each bad input is a real file, refused with a French reason."""

import io
import resource
import time
from pathlib import Path

from django.utils import translation

import pytest

from steppe.library import pdf
from steppe.library.tests import pdfs


def _check(tmp_path: Path, data: bytes) -> int:
    path = tmp_path / "upload.pdf"
    path.write_bytes(data)
    return pdf.check(path, len(data))


def _refusal(tmp_path: Path, data: bytes) -> pdf.PdfRejectedError:
    with pytest.raises(pdf.PdfRejectedError) as caught:
        _check(tmp_path, data)
    return caught.value


def test_check_accepts_a_pdf_and_counts_its_pages(tmp_path):
    assert _check(tmp_path, pdfs.make_pdf(pages=4)) == 4


@pytest.mark.parametrize(
    ("data", "code", "french"),
    [
        (pdfs.make_png(), "not_pdf", "n’est pas un PDF"),
        (pdfs.HTML_PAGE, "not_pdf", "n’est pas un PDF"),
        (b"", "empty", "Le fichier est vide"),
    ],
    ids=["renamed-png", "html", "zero-bytes"],
)
def test_check_refuses_what_is_not_a_pdf(tmp_path, data, code, french):
    error = _refusal(tmp_path, data)
    assert error.code == code
    assert french in str(error)


def test_check_refuses_a_truncated_pdf(tmp_path):
    error = _refusal(tmp_path, pdfs.truncate(pdfs.make_pdf(pages=10)))
    assert error.code == "broken"
    assert "incomplet" in str(error)


def test_check_refuses_a_pdf_whose_structure_is_garbage(tmp_path):
    garbage = b"%PDF-1.7\n" + b"\x00\xff" * 2000 + b"\nstartxref\n999999\n%%EOF\n"
    error = _refusal(tmp_path, garbage)
    assert error.code == "broken"
    assert "endommagé" in str(error)


def test_check_refuses_an_encrypted_pdf(tmp_path):
    error = _refusal(tmp_path, pdfs.make_encrypted_pdf())
    assert error.code == "encrypted"
    assert "chiffré" in str(error)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (pdfs.make_javascript_pdf(), "JavaScript"),
        (pdfs.make_open_action_pdf("/Launch"), "OpenAction"),
        (pdfs.make_open_action_pdf("/JavaScript"), "OpenAction"),
        (pdfs.make_embedded_file_pdf(), "EmbeddedFiles"),
    ],
    ids=["javascript", "open-action-launch", "open-action-javascript", "embedded-file"],
)
def test_check_refuses_active_content(tmp_path, data, kind):
    error = _refusal(tmp_path, data)
    assert error.code == "active_content"
    assert kind in str(error)
    assert "contenu actif" in str(error)


def test_check_accepts_an_open_action_that_only_shows_a_page(tmp_path):
    assert _check(tmp_path, pdfs.make_open_view_pdf()) == 2


def test_check_refuses_a_pdf_with_5000_pages(tmp_path):
    error = _refusal(tmp_path, pdfs.make_many_pages_pdf(5000))
    assert error.code == "too_many_pages"
    assert "5000 pages" in str(error).replace("\u202f", "").replace("\xa0", "")


def test_check_refuses_a_file_over_the_limit(tmp_path, settings):
    settings.STEPPE_LIBRARY_MAX_UPLOAD_BYTES = 10_000
    data = pdfs.make_pdf(pages=40)
    assert len(data) > 10_000
    error = _refusal(tmp_path, data)
    assert error.code == "too_large"
    assert "la limite est de" in str(error)
    # Spooling an upload stops as soon as the limit is passed.
    with pytest.raises(pdf.PdfRejectedError), pdf.spooled(io.BytesIO(data)):
        pass


def test_check_refuses_a_compression_bomb_without_inflating_it(tmp_path, settings):
    settings.STEPPE_LIBRARY_MAX_INFLATED_BYTES = 64 * 1024 * 1024
    bomb = pdfs.make_bomb_pdf(512 * 1024 * 1024)
    assert len(bomb) < 2 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error = _refusal(tmp_path, bomb)
    assert error.code == "bomb"
    assert "bombe" in str(error)
    # Inflated in the child process, piece by piece: this process did not grow by the bomb.
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (after - before) * 1024 < 100 * 1024 * 1024


def test_intake_of_a_bomb_that_passed_the_check_is_contained(tmp_path, settings):
    """The second line of defence: the parser process dies at its memory limit, not the worker."""
    settings.STEPPE_LIBRARY_PARSER_MEMORY_BYTES = 400 * 1024 * 1024
    settings.STEPPE_LIBRARY_INTAKE_TIMEOUT = 30
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdfs.make_bomb_pdf(1024 * 1024 * 1024))
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = ""
    try:
        result, _out_dir = pdf.extract(path)
    except pdf.PdfWorkerError as failure:
        outcome = failure.code
    else:  # PDFium may also give up on the stream by itself: then nothing was read from it
        outcome = "empty" if not result.text.strip() else "text"
    assert outcome in {"memory", "broken", "timeout", "empty"}
    assert time.monotonic() - started < 35
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (after - before) * 1024 < 100 * 1024 * 1024


def test_parser_is_stopped_at_the_time_limit(tmp_path, settings):
    settings.STEPPE_LIBRARY_PARSER_TIMEOUT = 1
    settings.STEPPE_LIBRARY_MAX_PAGES = 100_000
    path = tmp_path / "long.pdf"
    data = pdfs.make_many_pages_pdf(20_000)
    path.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(pdf.PdfRejectedError) as caught:
        pdf.check(path, len(data))
    assert caught.value.code == "timeout"
    assert "limites" in str(caught.value)
    assert time.monotonic() - started < 5


def test_temporary_files_are_removed_after_a_check(tmp_path, library_temp_dir):
    with pytest.raises(pdf.PdfRejectedError), pdf.spooled(io.BytesIO(pdfs.HTML_PAGE)) as spool:
        pdf.check(spool.path, spool.size)
    _check(tmp_path, pdfs.make_pdf(pages=1))
    assert list(library_temp_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\rapport.PDF", "rapport.pdf"),
        ("Доклад о воде 2024.pdf", "Доклад о воде 2024.pdf"),
        ('a"b;c\r\nX-Injected: 1.pdf', "a_b_c_X-Injected_ 1.pdf"),
        ("", "fallback.pdf"),
        ("/", "fallback.pdf"),
    ],
)
def test_safe_filename(given, expected):
    assert pdf.safe_filename(given, fallback="fallback") == expected


def test_messages_are_french_by_default(tmp_path):
    with translation.override("fr"):
        error = _refusal(tmp_path, pdfs.make_encrypted_pdf())
    assert "mot de passe" in str(error)
