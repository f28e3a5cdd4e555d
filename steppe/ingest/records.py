"""What the parsers produce: plain records, independent of the database."""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path


class ImportFormatError(Exception):
    """A file that cannot be imported: nothing of it is written."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class ImportWarning:
    path: Path
    line: int | None
    message: str


@dataclass
class AuthorRecord:
    username: str
    display_name: str
    kind: str
    organisation: str = ""
    website: str = ""
    country: str = ""
    bio: str = ""
    line: int | None = None


@dataclass
class ArticleRecord:
    key: str
    title: str
    kind: str = "news"
    lead: str = ""
    body: str = ""
    author: str | None = None  # username; None: the importing account
    byline: str = ""
    published_at: datetime | None = None  # set: publish at that date; None: import as a draft
    language: str = "fr"
    countries: list[str] = field(default_factory=list)  # ISO codes
    country_names: list[str] = field(default_factory=list)  # names as printed ("Le Kazakhstan")
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    featured: bool = False
    slug: str = ""
    line: int | None = None
    field_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name, self.line)


@dataclass
class ChapterRecord:
    title: str
    page: int | None = None


@dataclass
class DocumentRecord:
    key: str
    title: str
    subtitle: str = ""
    published_on: date | None = None
    organisation: str = ""
    authors: str = ""
    contributor: str | None = None
    presentation: str = ""
    language: str = "fr"
    countries: list[str] = field(default_factory=list)
    country_names: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    chapters: list[ChapterRecord] = field(default_factory=list)
    published_at: datetime | None = None
    slug: str = ""
    line: int | None = None
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name, self.line)


Record = AuthorRecord | ArticleRecord | DocumentRecord


@dataclass
class ParsedFile:
    path: Path
    format: str
    records: list[Record] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
