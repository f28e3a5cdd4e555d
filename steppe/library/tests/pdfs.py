"""Real PDF files (and things that pretend to be PDFs) written for the tests with pypdf.

Nothing is mocked: each helper returns the bytes of a file built the way a real one is.
"""

import io
import struct
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

FRENCH_TEXT = (
    "Le rapport présente la situation de l'eau dans les pays de la région. "
    "Les auteurs décrivent les barrages, les canaux et les accords entre les États voisins."
)


def _font(writer: PdfWriter) -> DictionaryObject:
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    return DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _text_stream(lines: list[str]) -> DecodedStreamObject:
    ops = ["BT", "/F1 11 Tf", "14 TL", "60 780 Td"]
    for line in lines:
        # Latin-1 only: the standard Helvetica font has no Cyrillic.
        safe = line.encode("latin-1", "replace").decode("latin-1")
        ops.append(f"({_escape(safe)}) Tj T*")
    ops.append("ET")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode("latin-1"))
    return stream


def make_pdf(
    *,
    pages: int = 3,
    text: str = FRENCH_TEXT,
    outline: list[tuple[str, int]] | None = None,
    nested_outline: dict[str, list[tuple[str, int]]] | None = None,
    text_pages: int | None = None,
) -> bytes:
    """A valid PDF of `pages` A4 pages, with text (on the first `text_pages` pages) and an outline.

    `outline`: (title, 1-based page) at the top level. `nested_outline`: {document title:
    [(chapter, page), …]}, the common shape of reports whose outline starts with their title.
    """
    writer = PdfWriter()
    resources = _font(writer)
    text_pages = pages if text_pages is None else text_pages
    for number in range(1, pages + 1):
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = resources
        if number <= text_pages:
            lines = [f"Page {number}", *_wrap(text)]
            page[NameObject("/Contents")] = writer._add_object(_text_stream(lines))
    for title, page_number in outline or []:
        writer.add_outline_item(title=title, page_number=page_number - 1)
    for title, children in (nested_outline or {}).items():
        parent = writer.add_outline_item(title=title, page_number=0)
        for child, page_number in children:
            writer.add_outline_item(title=child, page_number=page_number - 1, parent=parent)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _wrap(text: str, width: int = 90) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


def make_encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(pages=1)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_javascript_pdf() -> bytes:
    """A PDF whose document-level JavaScript runs when it is opened."""
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(pages=1)))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('Bonjour');"),
        }
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [TextStringObject("init"), writer._add_object(action)]
                    )
                }
            )
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_open_action_pdf(action: str = "/Launch") -> bytes:
    """A PDF with an /OpenAction dictionary (a Launch action by default)."""
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(pages=1)))
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject(action),
            NameObject("/F"): TextStringObject("calc.exe"),
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_open_view_pdf() -> bytes:
    """A PDF whose /OpenAction is only a destination (open at page 1, fit): harmless."""
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(pages=2)))
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_embedded_file_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(pages=1)))
    writer.add_attachment("notes.txt", b"Une piece jointe.")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_many_pages_pdf(pages: int) -> bytes:
    """A PDF with many blank pages sharing their resources (small on disk)."""
    return make_pdf(pages=pages, text_pages=1)


def make_bomb_pdf(inflated_bytes: int = 1024**3) -> bytes:
    """A one-page PDF whose content stream inflates from about a megabyte to `inflated_bytes`
    (spaces: valid content, so only the size is hostile)."""
    # After a full flush, deflate starts afresh: compressing the same chunk again gives the same
    # bytes, so the block is repeated instead of compressing a gigabyte (the checksum is fixed up).
    chunk = b" " * (16 * 1024 * 1024)
    count = max(2, inflated_bytes // len(chunk))
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush(zlib.Z_FINISH)[:-4]
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(chunk, checksum)
    data = first + repeated * (count - 1) + end + struct.pack(">I", checksum)
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = StreamObject()
    stream._data = data
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Length")] = NumberObject(len(data))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_png() -> bytes:
    """A real 1×1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Rapport</title></head>"
    b"<body><script>alert(1)</script><p>Pas un PDF.</p></body></html>"
)


def truncate(data: bytes, keep: float = 0.6) -> bytes:
    """The first part of a file, as an interrupted download leaves it."""
    return data[: int(len(data) * keep)]
