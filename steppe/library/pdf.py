"""Checking and reading untrusted PDF files (no database here).

Every parse runs in a child process (`pdfworker.py`) under an address-space limit, a CPU limit and
a wall-clock timeout, so that a compression bomb or a parser bug cannot take the web or task worker
down. Files are spooled to `conf.temp_dir()` first (hashed while copied); those temporary files
start with `TEMP_PREFIX` so that `library_sweep` can remove the ones a killed process left behind.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import conf

TEMP_PREFIX = "steppe-pdf-"
WORKER = Path(__file__).with_name("pdfworker.py")
CHUNK = 1024 * 1024
HEADER = b"%PDF-"
HEADER_WINDOW = 1024  # readers accept the header anywhere in the first kilobyte
TRAILER_WINDOW = 2048


class PdfRejectedError(Exception):
    """The file is not accepted; the message (French when the request is) says why."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


class PdfWorkerError(Exception):
    """The parser process failed, ran out of time or of memory (`code`: timeout, memory, broken)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class SpooledFile:
    path: Path
    sha256: str
    size: int


@dataclass
class IntakeResult:
    pages: int
    text: str
    outline: list[dict] = field(default_factory=list)
    thumbnail_path: Path | None = None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def too_large_message(size: int | None = None) -> str:
    limit = _megabytes(conf.max_upload_bytes())
    if size is None:
        return _("The file is larger than the limit of %(limit)s MB.") % {"limit": limit}
    return _("The file weighs %(size)s MB; the limit is %(limit)s MB.") % {
        "size": _megabytes(size),
        "limit": limit,
    }


def new_temp_path(suffix: str = ".pdf") -> Path:
    """A new empty file in the library's temporary folder (swept if a process dies)."""
    handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=conf.temp_dir())
    os.close(handle)
    return Path(name)


@contextmanager
def spooled(source: IO[bytes], *, limit: int | None = -1) -> Iterator[SpooledFile]:
    """Copy a file-like object to a temporary file, hashing it and stopping past the size limit
    (the upload limit by default; None: no limit, for files already accepted).

    The temporary file is removed on leaving the block, whatever happens.
    """
    if limit == -1:
        limit = conf.max_upload_bytes()
    path = new_temp_path()
    try:
        digest = hashlib.sha256()
        size = 0
        if hasattr(source, "seek"):
            source.seek(0)
        with path.open("wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if limit is not None and size > limit:
                    raise PdfRejectedError(too_large_message(), code="too_large")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        yield SpooledFile(path=path, sha256=digest.hexdigest(), size=size)
    finally:
        path.unlink(missing_ok=True)


def sniff(path: Path, size: int) -> None:
    """Refuse what is obviously not a whole PDF: empty, too large, no header, no end marker."""
    if size == 0:
        raise PdfRejectedError(_("The file is empty."), code="empty")
    if size > conf.max_upload_bytes():
        raise PdfRejectedError(too_large_message(size), code="too_large")
    with path.open("rb") as handle:
        head = handle.read(HEADER_WINDOW)
        handle.seek(max(0, size - TRAILER_WINDOW))
        tail = handle.read()
    if HEADER not in head:
        raise PdfRejectedError(
            _("This file is not a PDF (its content is not that of a PDF, whatever its name)."),
            code="not_pdf",
        )
    # A complete PDF ends with "%%EOF" (give or take a few bytes of padding): a file cut short by
    # an interrupted download lacks it, and PDF readers would silently show part of it.
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise PdfRejectedError(
            _(
                "This PDF is incomplete or damaged (it does not end as a PDF does): "
                "download it again and send the complete file."
            ),
            code="broken",
        )


def _run_worker(mode: str, source: Path, *, timeout: int, extra: dict | None = None) -> tuple:
    """Run pdfworker.py on `source`; return (result dict, output folder). Raise PdfWorkerError."""
    out_dir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=conf.temp_dir()))
    limits = {
        "memory": int(conf.get("STEPPE_LIBRARY_PARSER_MEMORY_BYTES")),
        "cpu": timeout + 1,
        "written": 256 * 1024 * 1024,
        "max_pages": conf.max_pages(),
        "max_chars": int(conf.get("STEPPE_LIBRARY_MAX_TEXT_CHARS")),
        # Page descriptions (content streams, not images) of even a long, dense report inflate to
        # a few tens of megabytes; far more is a compression bomb.
        "max_content": int(conf.get("STEPPE_LIBRARY_MAX_INFLATED_BYTES")),
        **(extra or {}),
    }
    command = [
        sys.executable,
        "-I",
        str(WORKER),
        mode,
        str(source),
        str(out_dir),
        json.dumps(limits),
    ]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    # A new session: on timeout the whole group is killed, not only the interpreter.
    process = subprocess.Popen(  # noqa: S603 (fixed command, no shell)
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        _stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        shutil.rmtree(out_dir, ignore_errors=True)
        raise PdfWorkerError("timeout") from None
    result_file = out_dir / "result.json"
    if not result_file.exists():
        shutil.rmtree(out_dir, ignore_errors=True)
        detail = (stderr or b"").decode("utf-8", "replace")[-500:]
        if process.returncode in (-signal.SIGKILL, -signal.SIGXCPU):
            raise PdfWorkerError("timeout", detail)
        if (
            "MemoryError" in detail
            or "bad_alloc" in detail
            or process.returncode == -signal.SIGSEGV
        ):
            raise PdfWorkerError("memory", detail)
        raise PdfWorkerError("broken", detail)
    result = json.loads(result_file.read_text(encoding="utf-8"))
    if not result.get("ok") and result.get("code") in {"memory", "timeout"}:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise PdfWorkerError(result["code"])
    return result, out_dir


def check(path: Path, size: int) -> int:
    """Accept a PDF or raise PdfRejectedError with the reason; return its number of pages."""
    sniff(path, size)
    try:
        result, out_dir = _run_worker(
            "check", path, timeout=int(conf.get("STEPPE_LIBRARY_PARSER_TIMEOUT"))
        )
    except PdfWorkerError as failure:
        raise PdfRejectedError(
            _(
                "This PDF could not be checked within the limits (time or memory): it may be "
                "damaged or built to overload a server. Save it again from the original "
                "application, or reduce its size."
            ),
            code=failure.code,
        ) from failure
    shutil.rmtree(out_dir, ignore_errors=True)
    if result["ok"]:
        return int(result["pages"])
    code = result["code"]
    if code == "encrypted":
        message = _(
            "This PDF is encrypted or protected by a password: send a copy without protection."
        )
    elif code == "too_many_pages":
        message = ngettext(
            "This PDF has %(pages)s page; the limit is %(limit)s.",
            "This PDF has %(pages)s pages; the limit is %(limit)s.",
            result["pages"],
        ) % {"pages": result["pages"], "limit": conf.max_pages()}
    elif code == "bomb":
        message = _(
            "This PDF holds compressed data that inflates out of all proportion (a "
            "“compression bomb”); Steppe does not accept it."
        )
    elif code == "active_content":
        message = _(
            "This PDF contains active content (%(kind)s) that could run on readers' computers; "
            "Steppe does not accept it. Export the document again as a plain PDF (for instance "
            "with “Print to PDF” or as PDF/A)."
        ) % {"kind": result["detail"]}
    else:
        message = _(
            "This PDF is damaged and cannot be read: save it again from the original "
            "application and send the new file."
        )
    raise PdfRejectedError(message, code=code)


def extract(path: Path) -> tuple[IntakeResult, Path]:
    """Text, outline and thumbnail of an accepted PDF; the caller removes the returned folder."""
    result, out_dir = _run_worker(
        "intake", path, timeout=int(conf.get("STEPPE_LIBRARY_INTAKE_TIMEOUT"))
    )
    if not result["ok"]:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise PdfWorkerError(result.get("code", "broken"), result.get("detail", ""))
    text_file = out_dir / "text.txt"
    text = text_file.read_text(encoding="utf-8") if text_file.exists() else ""
    return (
        IntakeResult(
            pages=int(result["pages"]),
            text=text,
            outline=result["outline"],
            thumbnail_path=Path(result["thumbnail"]) if result["thumbnail"] else None,
        ),
        out_dir,
    )


_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f"*:<>?|;\\/]+')


def safe_filename(name: str, *, fallback: str) -> str:
    """A download name made from a user-given file name: no folders, no control characters.

    Only the last path component is kept (either separator), characters that are unsafe in a
    header or a file system are replaced, and the name always ends with ".pdf".
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE_FILENAME.sub("_", name).strip(" ._")
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = stem.strip(" ._")[:120]
    return f"{stem or fallback}.pdf"
