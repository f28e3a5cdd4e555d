"""Parsers for the formats the importer reads.

- Steppe's own demo format: `authors.yaml`, and Markdown files with YAML front matter (see demo/README.md).
- Plain-text pages of other platforms, as in ../shared/seeds: a library document page
  ("Files / <country>", title, subtitle, "Detail", "Published", dd/mm/yyyy, numbered key chapters,
  presentation); a listing of headline + lead pairs; a bare article body (possibly an opinion piece
  with its signature line).

Parsers only read text and return records; they never touch the database.
"""

import hashlib
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.text import slugify
from django.utils.translation import gettext as _

import yaml

from .records import (
    ArticleRecord,
    AuthorRecord,
    ChapterRecord,
    DocumentRecord,
    ImportFormatError,
    ImportWarning,
    ParsedFile,
)

ARTICLE_KINDS = {"news", "opinion", "analysis", "interview"}
AUTHOR_KINDS = {"individual", "association", "ngo", "professional", "media"}
LANGUAGES = {"fr", "en", "ru"}
DEFAULT_TZ = ZoneInfo("Europe/Paris")

# A headline is a short line that does not end like a sentence; a lead is the paragraph after it.
HEADLINE_MAX_CHARS = 180
BREADCRUMB = re.compile(r"^\s*Files\s*/\s*(?P<country>.+?)\s*$", re.IGNORECASE)
CHAPTERS_HEADING = re.compile(r"^\s*liste des titres des chapitres", re.IGNORECASE)
PRESENTATION_HEADING = re.compile(r"^\s*pr[ée]sentation du document\s*$", re.IGNORECASE)
NUMBERED = re.compile(r"^\s*(?P<number>\d{1,3})[.)]\s+(?P<title>\S.*?)\s*$")
DMY_DATE = re.compile(r"^\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\s*$")
OPINION_SIGNATURE = re.compile(
    r"^\s*article\s+(?:d['’]\s*)?opinion\s+écrit\s+par\s+(?:le|la)\s+créat(?:eur|rice)\s+de\s+contenu"
    r"\s*:\s*(?P<name>.+?)\s*\.?\s*$",
    re.IGNORECASE,
)
FOOTER_SEPARATOR = re.compile(r"^\s*[—–-]{1,3}\s*$")
MAX_FILE_BYTES = 20 * 1024 * 1024


def parse_path(path: Path) -> ParsedFile:
    """Parse one file, choosing the format from its name and content."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFormatError(
            path, None, _("cannot read the file (%(error)s)") % {"error": exc}
        ) from exc
    if size > MAX_FILE_BYTES:
        raise ImportFormatError(path, None, _("file too large (over 20 MB)"))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(path, None, _("the file is not UTF-8 text")) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ImportFormatError(path, None, _("the file is empty"))
    if path.name in {"authors.yaml", "authors.yml"}:
        return parse_authors(path, text)
    if text.startswith("---\n"):
        return parse_front_matter_file(path, text)
    lines = text.split("\n")
    first = next((line for line in lines if line.strip()), "")
    if BREADCRUMB.match(first):
        return parse_document_page(path, lines)
    listing = _try_listing(path, lines)
    if listing is not None:
        return listing
    return parse_bare_article(path, lines)


# --- Steppe's demo format ---------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text and are checked here, with their line."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(text: str):
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)


def _yaml_line(exc: yaml.YAMLError, offset: int) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 + offset if mark is not None else None


def parse_authors(path: Path, text: str) -> ParsedFile:
    try:
        data = _load_yaml(text)
    except yaml.YAMLError as exc:
        raise ImportFormatError(path, _yaml_line(exc, 0), _("invalid YAML")) from exc
    if not isinstance(data, list):
        raise ImportFormatError(path, 1, _("expected a list of authors"))
    lines = text.split("\n")
    parsed = ParsedFile(path=path, format="authors")
    seen: set[str] = set()
    for index, entry in enumerate(data, start=1):
        username = str(entry.get("username", "")).strip() if isinstance(entry, dict) else ""
        line = next(
            (
                n
                for n, raw in enumerate(lines, start=1)
                if username and re.search(rf"username:\s*{re.escape(username)}\s*$", raw)
            ),
            None,
        )
        if not isinstance(entry, dict) or not username:
            raise ImportFormatError(
                path, line, _("author no. %(index)s has no username") % {"index": index}
            )
        if username in seen:
            raise ImportFormatError(
                path, line, _("username %(username)s appears twice") % {"username": username}
            )
        seen.add(username)
        kind = str(entry.get("kind", "individual")).strip()
        if kind not in AUTHOR_KINDS:
            raise ImportFormatError(
                path, line, _("unknown account kind: %(kind)s") % {"kind": kind}
            )
        organisation = str(entry.get("organisation") or "").strip()
        if kind != "individual" and not organisation:
            raise ImportFormatError(
                path, line, _("an organisation account needs its organisation name")
            )
        parsed.records.append(
            AuthorRecord(
                username=username,
                display_name=str(entry.get("display_name") or username).strip(),
                kind=kind,
                organisation=organisation,
                website=str(entry.get("website") or "").strip(),
                country=str(entry.get("country") or "").strip().upper(),
                bio=str(entry.get("bio") or "").strip(),
                line=line,
            )
        )
    return parsed


def _split_front_matter(path: Path, text: str) -> tuple[dict, str, list[str]]:
    lines = text.split("\n")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ImportFormatError(
            path, 1, _("the front matter is not closed by a '---' line")
        ) from None
    try:
        meta = _load_yaml("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise ImportFormatError(
            path, _yaml_line(exc, 1), _("invalid YAML in the front matter")
        ) from exc
    if not isinstance(meta, dict):
        raise ImportFormatError(path, 2, _("the front matter must be a mapping of keys to values"))
    return meta, "\n".join(lines[end + 1 :]).strip(), lines[: end + 1]


def _key_line(head: list[str], key: str) -> int:
    for number, line in enumerate(head, start=1):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return number
    return 1


def _field_lines(head: list[str], *keys: str) -> dict[str, int]:
    return {key: _key_line(head, key) for key in keys}


def _require(path: Path, meta: dict, head: list[str], key: str) -> str:
    value = meta.get(key)
    if value is None or not str(value).strip():
        raise ImportFormatError(
            path, _key_line(head, key), _("missing value for '%(key)s'") % {"key": key}
        )
    return str(value).strip()


def _string_list(path: Path, meta: dict, head: list[str], key: str) -> list[str]:
    value = meta.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ImportFormatError(
            path, _key_line(head, key), _("'%(key)s' must be a list") % {"key": key}
        )
    return [str(item).strip() for item in value if str(item).strip()]


def _datetime(path: Path, meta: dict, head: list[str], key: str) -> datetime:
    value = meta.get(key)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, 8, 0, tzinfo=DEFAULT_TZ)
    if not isinstance(value, datetime):
        raise ImportFormatError(
            path,
            _key_line(head, key),
            _("'%(key)s' must be a date and time (ISO 8601)") % {"key": key},
        )
    return value if value.tzinfo else value.replace(tzinfo=DEFAULT_TZ)


def _date(path: Path, meta: dict, head: list[str], key: str) -> date | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ImportFormatError(
            path, _key_line(head, key), _("'%(key)s' must be a date (YYYY-MM-DD)") % {"key": key}
        ) from None


def _language(path: Path, meta: dict, head: list[str]) -> str:
    language = str(meta.get("language") or "fr").strip().lower()
    if language not in LANGUAGES:
        raise ImportFormatError(
            path,
            _key_line(head, "language"),
            _("unknown language: %(language)s") % {"language": language},
        )
    return language


def parse_front_matter_file(path: Path, text: str) -> ParsedFile:
    meta, body, head = _split_front_matter(path, text)
    key = f"demo:{path.parent.name}/{path.stem}"
    if meta.get("type") == "document":
        chapters: list[ChapterRecord] = []
        raw_chapters = meta.get("chapters") or []
        if not isinstance(raw_chapters, list):
            raise ImportFormatError(
                path, _key_line(head, "chapters"), _("'chapters' must be a list")
            )
        for item in raw_chapters:
            if isinstance(item, dict) and str(item.get("title") or "").strip():
                page = item.get("page")
                if page is not None and (not isinstance(page, int) or page < 1):
                    raise ImportFormatError(
                        path,
                        _key_line(head, "chapters"),
                        _("a chapter page must be a positive whole number"),
                    )
                chapters.append(ChapterRecord(title=str(item["title"]).strip(), page=page))
            elif isinstance(item, str | int | float) and str(item).strip():
                chapters.append(ChapterRecord(title=str(item).strip()))
            else:
                raise ImportFormatError(
                    path, _key_line(head, "chapters"), _("a chapter needs a title")
                )
        record = DocumentRecord(
            key=key,
            title=_require(path, meta, head, "title"),
            subtitle=str(meta.get("subtitle") or "").strip(),
            published_on=_date(path, meta, head, "published_on"),
            organisation=str(meta.get("organisation") or "").strip(),
            authors=str(meta.get("authors") or "").strip(),
            contributor=_require(path, meta, head, "contributor"),
            presentation=body,
            language=_language(path, meta, head),
            countries=[code.upper() for code in _string_list(path, meta, head, "countries")],
            themes=_string_list(path, meta, head, "themes"),
            chapters=chapters,
            published_at=_datetime(path, meta, head, "published_at")
            if meta.get("published_at")
            else None,
            slug=str(meta.get("slug") or "").strip(),
            line=1,
            field_lines=_field_lines(head, "contributor", "countries", "themes"),
        )
        if record.published_at is None and record.published_on is not None:
            record.published_at = datetime(
                record.published_on.year,
                record.published_on.month,
                record.published_on.day,
                9,
                0,
                tzinfo=DEFAULT_TZ,
            )
        if record.published_at is None:
            raise ImportFormatError(path, 1, _("a document needs 'published_on' or 'published_at'"))
        return ParsedFile(path=path, format="demo-document", records=[record])

    kind = _require(path, meta, head, "kind")
    if kind not in ARTICLE_KINDS:
        raise ImportFormatError(
            path, _key_line(head, "kind"), _("unknown kind of article: %(kind)s") % {"kind": kind}
        )
    if not body:
        raise ImportFormatError(path, len(head), _("the article has no body"))
    record = ArticleRecord(
        key=key,
        kind=kind,
        title=_require(path, meta, head, "title"),
        lead=str(meta.get("lead") or "").strip(),
        body=body,
        author=_require(path, meta, head, "author"),
        published_at=_datetime(path, meta, head, "published_at"),
        language=_language(path, meta, head),
        countries=[code.upper() for code in _string_list(path, meta, head, "countries")],
        themes=_string_list(path, meta, head, "themes"),
        tags=_string_list(path, meta, head, "tags"),
        featured=bool(meta.get("featured", False)),
        slug=str(meta.get("slug") or "").strip(),
        line=1,
        field_lines=_field_lines(head, "author", "countries", "themes"),
    )
    return ParsedFile(path=path, format="demo-article", records=[record])


# --- Pages of other platforms -------------------------------------------------------------------


def _page_key(*parts: str) -> str:
    digest = hashlib.sha256(" ".join(slugify(part) for part in parts).encode()).hexdigest()[:24]
    return f"page:{digest}"


def _paragraphs(lines: list[str], start: int, stop: int) -> list[tuple[int, str]]:
    """Non-empty lines between two indexes, with their 1-based line numbers."""
    return [
        (number + 1, lines[number].strip())
        for number in range(start, stop)
        if lines[number].strip()
    ]


def parse_document_page(path: Path, lines: list[str]) -> ParsedFile:
    parsed = ParsedFile(path=path, format="document-page")
    numbered = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    breadcrumb_line, breadcrumb = numbered[0]
    country = BREADCRUMB.match(breadcrumb).group("country")

    def find(pattern: re.Pattern | str) -> int | None:
        for n, line in numbered:
            if pattern.match(line) if isinstance(pattern, re.Pattern) else line.lower() == pattern:
                return n
        return None

    detail_at = find("detail")
    chapters_at = find(CHAPTERS_HEADING)
    presentation_at = find(PRESENTATION_HEADING)
    header_end = detail_at or chapters_at or presentation_at or (len(lines) + 1)
    header = _paragraphs(lines, breadcrumb_line, header_end - 1)
    if not header:
        raise ImportFormatError(path, breadcrumb_line + 1, _("no title after the breadcrumb"))
    title_line, title = header[0]
    if len(title) > 255:
        raise ImportFormatError(path, title_line, _("the title is longer than 255 characters"))
    subtitle = "\n\n".join(text for _n, text in header[1:])

    published_on = None
    if detail_at:
        details_end = chapters_at or presentation_at or (len(lines) + 1)
        details = _paragraphs(lines, detail_at, details_end - 1)
        for index, (n, text) in enumerate(details):
            if text.lower() == "published":
                if index + 1 >= len(details):
                    raise ImportFormatError(path, n, _("'Published' is not followed by a date"))
                date_line, value = details[index + 1]
                match = DMY_DATE.match(value)
                if not match:
                    raise ImportFormatError(
                        path,
                        date_line,
                        _("unreadable date '%(value)s' (expected dd/mm/yyyy)")
                        % {"value": value[:40]},
                    )
                try:
                    published_on = date(int(match["year"]), int(match["month"]), int(match["day"]))
                except ValueError:
                    raise ImportFormatError(
                        path, date_line, _("impossible date '%(value)s'") % {"value": value}
                    ) from None
    if published_on is None:
        parsed.warnings.append(ImportWarning(path, detail_at, _("no published date found")))

    chapters: list[ChapterRecord] = []
    if chapters_at:
        chapters_end = presentation_at or (len(lines) + 1)
        expected = 1
        for n, text in _paragraphs(lines, chapters_at, chapters_end - 1):
            match = NUMBERED.match(text)
            if not match:
                parsed.warnings.append(
                    ImportWarning(path, n, _("line ignored in the chapter list: not numbered"))
                )
                continue
            if int(match["number"]) != expected:
                parsed.warnings.append(
                    ImportWarning(
                        path,
                        n,
                        _("chapter numbered %(found)s where %(expected)s was expected")
                        % {"found": match["number"], "expected": expected},
                    )
                )
            chapters.append(ChapterRecord(title=match["title"][:500]))
            expected += 1
    else:
        parsed.warnings.append(ImportWarning(path, None, _("no list of key chapters found")))

    presentation = ""
    if presentation_at:
        presentation = "\n\n".join(
            text for _n, text in _paragraphs(lines, presentation_at, len(lines))
        )

    parsed.records.append(
        DocumentRecord(
            key=_page_key("document", title),
            title=title,
            subtitle=subtitle,
            published_on=published_on,
            presentation=presentation,
            country_names=[country],
            chapters=chapters,
            line=title_line,
        )
    )
    return parsed


def _is_headline(text: str) -> bool:
    return len(text) <= HEADLINE_MAX_CHARS and not text.rstrip().endswith((".", "…", ":", ";", ","))


def _try_listing(path: Path, lines: list[str]) -> ParsedFile | None:
    """Read headline + lead pairs; None when the page does not look like a listing."""
    paragraphs = _paragraphs(lines, 0, len(lines))
    parsed = ParsedFile(path=path, format="listing")
    pairs = 0
    index = 0
    while index < len(paragraphs):
        n, text = paragraphs[index]
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if _is_headline(text) and following is not None and not _is_headline(following[1]):
            parsed.records.append(
                ArticleRecord(key=_page_key("listing", text), title=text, lead=following[1], line=n)
            )
            pairs += 1
            index += 2
            continue
        if _is_headline(text):
            parsed.warnings.append(
                ImportWarning(path, n, _("headline without a lead paragraph: skipped"))
            )
        else:
            parsed.warnings.append(
                ImportWarning(path, n, _("paragraph without a headline: skipped"))
            )
        index += 1
    # A page is a listing when most of its paragraphs pair up; an article body pairs up rarely.
    if pairs >= 2 and pairs * 2 >= 0.6 * len(paragraphs):
        return parsed
    return None


def parse_bare_article(path: Path, lines: list[str]) -> ParsedFile:
    parsed = ParsedFile(path=path, format="article-body")
    paragraphs: list[tuple[int, str]] = []
    byline = ""
    for n, text in _paragraphs(lines, 0, len(lines)):
        signature = OPINION_SIGNATURE.match(text)
        if signature:
            byline = byline or signature["name"].strip()
            continue
        if FOOTER_SEPARATOR.match(text):
            # What follows the rule is the other platform's footer, not the article.
            break
        paragraphs.append((n, text))
    if not paragraphs:
        raise ImportFormatError(path, None, _("no text to import"))
    first_line, first = paragraphs[0]
    sentence = re.split(r"(?<=[.!?])\s+", first, maxsplit=1)[0]
    title = sentence if len(sentence) <= 160 else sentence[:157].rsplit(" ", 1)[0] + "…"
    parsed.warnings.append(
        ImportWarning(
            path,
            first_line,
            _("no title line: the first sentence was used; review it before publishing"),
        )
    )
    parsed.records.append(
        ArticleRecord(
            key=_page_key("article", " ".join(text for _n, text in paragraphs)[:500]),
            title=title.rstrip("."),
            kind="opinion" if byline else "news",
            body="\n\n".join(text for _n, text in paragraphs),
            byline=byline,
            line=first_line,
        )
    )
    return parsed
