"""Settings of the library's file handling, read when used (never at import), with their defaults.

| setting | default | meaning |
| --- | --- | --- |
| `STEPPE_LIBRARY_MAX_UPLOAD_BYTES` | `52428800` (50 MB) | largest PDF accepted; a bigger upload is cut off while it arrives |
| `STEPPE_LIBRARY_MAX_PAGES` | `2000` | most pages a PDF may have |
| `STEPPE_LIBRARY_PARSER_TIMEOUT` | `30` | seconds the checking of an upload may take (wall clock, then the parser is killed) |
| `STEPPE_LIBRARY_INTAKE_TIMEOUT` | `180` | seconds the background intake of a file may take (text, outline, thumbnail) |
| `STEPPE_LIBRARY_PARSER_MEMORY_BYTES` | `1073741824` (1 GiB) | address-space limit of the parser process (`RLIMIT_AS`) |
| `STEPPE_LIBRARY_MAX_INFLATED_BYTES` | `536870912` (512 MB) | most bytes the pages' content streams may inflate to (more is refused as a compression bomb) |
| `STEPPE_LIBRARY_MAX_TEXT_CHARS` | `2000000` | characters of extracted text kept in `Document.text_content` |
| `STEPPE_LIBRARY_TEMP_DIR` | `VAR_DIR / "tmp" / "library"` | local folder for uploads being checked (swept by `library_sweep`) |
| `STEPPE_LIBRARY_SWEEP_AFTER_SECONDS` | `3600` | age after which `library_sweep` removes an unreferenced file or re-queues a stuck intake |
"""

from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULTS = {
    "STEPPE_LIBRARY_MAX_UPLOAD_BYTES": 50 * 1024 * 1024,
    "STEPPE_LIBRARY_MAX_PAGES": 2000,
    "STEPPE_LIBRARY_PARSER_TIMEOUT": 30,
    "STEPPE_LIBRARY_INTAKE_TIMEOUT": 180,
    "STEPPE_LIBRARY_PARSER_MEMORY_BYTES": 1024 * 1024 * 1024,
    "STEPPE_LIBRARY_MAX_INFLATED_BYTES": 512 * 1024 * 1024,
    "STEPPE_LIBRARY_MAX_TEXT_CHARS": 2_000_000,
    "STEPPE_LIBRARY_TEMP_DIR": None,
    "STEPPE_LIBRARY_SWEEP_AFTER_SECONDS": 3600,
}


def get(name: str) -> Any:
    """The value of a library setting, or its default."""
    return getattr(settings, name, DEFAULTS[name])


def max_upload_bytes() -> int:
    return int(get("STEPPE_LIBRARY_MAX_UPLOAD_BYTES"))


def max_pages() -> int:
    return int(get("STEPPE_LIBRARY_MAX_PAGES"))


def temp_dir() -> Path:
    """The folder for files being checked; created on first use."""
    configured = get("STEPPE_LIBRARY_TEMP_DIR")
    path = Path(configured) if configured else Path(settings.VAR_DIR) / "tmp" / "library"
    path.mkdir(parents=True, exist_ok=True)
    return path
