"""Parse an untrusted PDF in a child process, under resource limits. No Django here.

Run by `steppe.library.pdf` as `python -I pdfworker.py <mode> <input.pdf> <output dir> <limits JSON>`.
The process first lowers its own limits (address space, CPU time, size of files it writes, no core
dump), so that a compression bomb or a parser bug ends this process, never the web worker or the
task worker that started it. The parent adds a wall-clock timeout and kills the process group.

Modes:
- `check`: open the file with pypdf, refuse encryption, count pages, and look for active content
  in every object reachable from the catalog (dictionaries only: streams are not decoded).
- `intake`: with PDFium (fast, C): page count, text of every page, the outline (bookmarks) with
  page numbers, and page 1 rendered to a WebP thumbnail.

The result is one JSON object in `<output dir>/result.json`: {"ok": true, ...} or
{"ok": false, "code": "...", "detail": "..."}.
"""

import json
import resource
import sys
from pathlib import Path

# Keys whose presence anywhere means the file can run something or carries other files.
ACTIVE_KEYS = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/AA": "AA",  # additional actions: run when a page or field is opened, closed, clicked
    "/Launch": "Launch",
    "/EmbeddedFiles": "EmbeddedFiles",
    "/EmbeddedFile": "EmbeddedFiles",
    "/RichMedia": "RichMedia",
    "/RichMediaContent": "RichMedia",
    "/XFA": "XFA",  # XML forms carry their own scripts
}
# Action types (/S) that run code, open programs or send data.
ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "Launch",
    "/RichMediaExecute": "RichMedia",
    "/ImportData": "ImportData",
    "/SubmitForm": "SubmitForm",
    "/GoToE": "EmbeddedFiles",
    "/Rendition": "Rendition",
}
MAX_OBJECTS = 2_000_000
THUMBNAIL_WIDTH = 480


def _limit(limits: dict) -> None:
    memory = int(limits["memory"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits["cpu"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    written = int(limits["written"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (written, written))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _active_content(reader) -> str:
    """The first kind of active content reachable from the catalog, or ""."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    root = reader.trailer["/Root"]
    open_action = root.get_object().get("/OpenAction")
    if open_action is not None:
        open_action = open_action.get_object()
        # A destination array only says which page to show first; an action dictionary may run.
        if isinstance(open_action, DictionaryObject) and open_action.get("/S") != "/GoTo":
            return "OpenAction"
    seen: set[tuple[int, int]] = set()
    stack = [root]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            return ""
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in ACTIVE_KEYS:
                    return ACTIVE_KEYS[name]
                if name == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                    return ACTIVE_ACTIONS[value]
                if name in ("/Parent", "/P"):  # back-links: the parent is reached from the root
                    continue
                if isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(
                v for v in item if isinstance(v, (DictionaryObject, ArrayObject, IndirectObject))
            )
    return ""


def _inflates_beyond(reader, cap: int) -> bool:
    """Whether the pages' content streams inflate to more than `cap` bytes in all.

    Inflated piece by piece with a bounded output, so that measuring a bomb costs no memory.
    """
    import zlib

    from pypdf.generic import ArrayObject

    total = 0
    for page in reader.pages:
        contents = page.get("/Contents")
        if contents is None:
            continue
        contents = contents.get_object()
        streams = contents if isinstance(contents, ArrayObject) else [contents]
        for stream in streams:
            stream = stream.get_object()
            if stream.get("/Filter") != "/FlateDecode":
                continue
            inflater = zlib.decompressobj()
            pending = stream._data
            while pending:
                try:
                    out = inflater.decompress(pending, 4 * 1024 * 1024)
                except zlib.error:
                    break  # a damaged stream: the reader shows what it can, nothing to measure
                total += len(out)
                if total > cap:
                    return True
                pending = inflater.unconsumed_tail
                if not out:
                    break
    return False


def check(path: Path, limits: dict) -> dict:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.disable(logging.WARNING)  # pypdf logs every repaired object
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            return {"ok": False, "code": "encrypted"}
        if "/Root" not in reader.trailer:
            return {"ok": False, "code": "broken", "detail": "no catalog"}
        pages = len(reader.pages)
        if pages == 0:
            return {"ok": False, "code": "broken", "detail": "no page"}
        if pages > int(limits["max_pages"]):
            return {"ok": False, "code": "too_many_pages", "pages": pages}
        active = _active_content(reader)
        if not active and _inflates_beyond(reader, int(limits["max_content"])):
            return {"ok": False, "code": "bomb"}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        return {"ok": False, "code": "broken", "detail": f"{type(error).__name__}: {error}"[:500]}
    except RecursionError:
        return {"ok": False, "code": "broken", "detail": "nesting too deep"}
    if active:
        return {"ok": False, "code": "active_content", "detail": active}
    return {"ok": True, "pages": pages}


def intake(path: Path, out: Path, limits: dict) -> dict:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as error:
        return {"ok": False, "code": "broken", "detail": str(error)[:500]}
    pages = len(pdf)
    max_chars = int(limits["max_chars"])
    texts: list[str] = []
    length = 0
    for index in range(pages):
        if length >= max_chars:
            break
        page = pdf[index]
        textpage = page.get_textpage()
        text = textpage.get_text_bounded()
        textpage.close()
        page.close()
        texts.append(text)
        length += len(text) + 1
    outline = []
    for bookmark in pdf.get_toc(max_depth=4):
        dest = bookmark.get_dest()
        index = dest.get_index() if dest is not None else None
        outline.append(
            {
                "title": bookmark.get_title(),
                "level": bookmark.level,
                "page": index + 1 if index is not None and index >= 0 else None,
            }
        )
        if len(outline) >= 500:
            break
    thumbnail = ""
    if pages:
        page = pdf[0]
        width = page.get_width() or 1
        image = page.render(scale=min(THUMBNAIL_WIDTH / width, 4)).to_pil()
        thumbnail = str(out / "thumbnail.webp")
        image.convert("RGB").save(thumbnail, "WEBP", quality=80, method=4)
        page.close()
    pdf.close()
    # Form feed between pages, as pdftotext does.
    (out / "text.txt").write_text("\f".join(texts)[:max_chars], encoding="utf-8")
    return {"ok": True, "pages": pages, "outline": outline, "thumbnail": thumbnail}


def main() -> None:
    mode, source, out, raw_limits = sys.argv[1:5]
    limits = json.loads(raw_limits)
    _limit(limits)
    out_dir = Path(out)
    try:
        if mode == "check":
            result = check(Path(source), limits)
        elif mode == "intake":
            result = intake(Path(source), out_dir, limits)
        else:
            result = {"ok": False, "code": "usage"}
    except MemoryError:
        result = {"ok": False, "code": "memory"}
    (out_dir / "result.json").write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
