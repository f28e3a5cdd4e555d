"""Write parsed records through the publishing and library services.

Each file is written in its own transaction: a file with an error leaves nothing behind, and the
other files go on. Records carry an import key, so importing again updates instead of duplicating,
and an unchanged record is not written at all.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from steppe.accounts.models import IMPORT_ACCOUNT_USERNAME
from steppe.core.models import PublicationStatus
from steppe.library.models import Document
from steppe.library.services import ChapterData, document_create, document_publish, document_update
from steppe.publishing.models import Article
from steppe.publishing.services import article_create, article_publish, article_update
from steppe.taxonomy.models import Country
from steppe.taxonomy.services import UnknownTermError, countries_by_codes, themes_by_slugs

from .parsers import parse_path
from .records import (
    ArticleRecord,
    AuthorRecord,
    DocumentRecord,
    ImportFormatError,
    ImportWarning,
    ParsedFile,
    Record,
)

IMPORT_ACCOUNT = IMPORT_ACCOUNT_USERNAME
AUTHOR_FILES = {"authors.yaml", "authors.yml"}
SKIPPED_FILES = {"README.md", "readme.md"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    files_imported: int = 0
    errors: list[ImportFormatError] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the files to import: author lists first, then the rest in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name not in SKIPPED_FILES
                and (p.name in AUTHOR_FILES or p.suffix.lower() in {".md", ".txt"})
            ]
            files.extend(sorted(found))
        else:
            files.append(path)
    return sorted(dict.fromkeys(files), key=lambda p: (p.name not in AUTHOR_FILES, str(p)))


def importer_account():
    """The account that owns drafts imported from other platforms until an editor reassigns them."""
    user, created = get_user_model().objects.get_or_create(
        username=IMPORT_ACCOUNT,
        defaults={"display_name": "Import", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def content_import(
    *,
    paths: Sequence[Path],
    owner_username: str | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import every file under `paths`; report what was created, updated, unchanged or refused."""
    report = ImportReport()
    owner = None
    for path in collect_files(paths):
        try:
            parsed = parse_path(path)
            with transaction.atomic():
                if owner is None and any(_needs_owner(record) for record in parsed.records):
                    owner = _owner(owner_username)
                counts = [_write(record, parsed, owner) for record in parsed.records]
        except ImportFormatError as error:
            report.errors.append(error)
        else:
            report.files_imported += 1
            report.warnings.extend(parsed.warnings)
            report.created += counts.count("created")
            report.updated += counts.count("updated")
            report.unchanged += counts.count("unchanged")
        if on_file is not None:
            on_file(path)
    return report


def _needs_owner(record: Record) -> bool:
    return (isinstance(record, ArticleRecord) and not record.author) or (
        isinstance(record, DocumentRecord) and not record.contributor
    )


def _owner(username: str | None):
    if not username:
        return importer_account()
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise ImportFormatError(
            Path(username), None, _("unknown account: %(username)s") % {"username": username}
        ) from None


def _write(record: Record, parsed: ParsedFile, owner) -> str:
    try:
        if isinstance(record, AuthorRecord):
            return _write_author(record)
        if isinstance(record, ArticleRecord):
            return _write_article(record, parsed, owner)
        return _write_document(record, parsed, owner)
    except UnknownTermError as exc:
        line = record.line_of(exc.field) if not isinstance(record, AuthorRecord) else record.line
        raise ImportFormatError(parsed.path, line, str(exc)) from exc
    except ValidationError as exc:
        reasons = "; ".join(
            f"{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items()
        )
        raise ImportFormatError(parsed.path, record.line, reasons) from exc


def _user(parsed: ParsedFile, record: ArticleRecord | DocumentRecord, username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        field_name = "author" if isinstance(record, ArticleRecord) else "contributor"
        raise ImportFormatError(
            parsed.path,
            record.line_of(field_name),
            _("unknown author: %(username)s") % {"username": username},
        ) from None


def _countries(record: ArticleRecord | DocumentRecord, parsed: ParsedFile) -> list[Country]:
    countries = countries_by_codes(record.countries)
    for name in record.country_names:
        match = Country.objects.filter(
            Q(name_fr_article__iexact=name) | Q(name_fr__iexact=name) | Q(name_en__iexact=name)
        ).first()
        if match is None:
            parsed.warnings.append(
                ImportWarning(
                    parsed.path, record.line, _("unknown country: %(name)s") % {"name": name}
                )
            )
        elif match not in countries:
            countries.append(match)
    return countries


def _write_author(record: AuthorRecord) -> str:
    country = countries_by_codes([record.country])[0] if record.country else None
    wanted = {
        "display_name": record.display_name,
        "kind": record.kind,
        "organisation": record.organisation,
        "website": record.website,
        "country": country,
        "bio": record.bio,
    }
    User = get_user_model()
    user = User.objects.filter(username=record.username).first()
    if user is None:
        user = User(username=record.username, **wanted)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        return "created"
    if all(getattr(user, name) == value for name, value in wanted.items()):
        return "unchanged"
    for name, value in wanted.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    return "updated"


def _write_article(record: ArticleRecord, parsed: ParsedFile, owner) -> str:
    author = _user(parsed, record, record.author) if record.author else owner
    countries = _countries(record, parsed)
    themes = themes_by_slugs(record.themes)
    fields = {
        "kind": record.kind,
        "title": record.title,
        "lead": record.lead,
        "body_source": record.body,
        "language": record.language,
        "byline": record.byline,
        "is_featured": record.featured,
    }
    article = Article.objects.filter(import_key=record.key).first()
    if article is None:
        article = article_create(
            author=author,
            slug=record.slug,
            countries=countries,
            themes=themes,
            tag_names=record.tags,
            import_key=record.key,
            **fields,
        )
        if record.published_at is not None:
            article_publish(article=article, by=None, at=record.published_at)
        return "created"
    same_text = all(getattr(article, name) == value for name, value in fields.items())
    same_terms = (
        list(article.countries.order_by("code").values_list("code", flat=True))
        == sorted(c.code for c in countries)
        and list(article.themes.order_by("slug").values_list("slug", flat=True))
        == sorted(t.slug for t in themes)
        and sorted(article.tags.values_list("name", flat=True))
        == sorted(dict.fromkeys(record.tags))
        and article.author_id == author.pk
    )
    same_status = record.published_at is None or (
        article.status == PublicationStatus.PUBLISHED
        and article.published_at == record.published_at
    )
    if same_text and same_terms and same_status:
        return "unchanged"
    if article.author_id != author.pk:
        Article.objects.filter(pk=article.pk).update(author=author)
        article.author = author
    article_update(
        article=article, countries=countries, themes=themes, tag_names=record.tags, **fields
    )
    if not same_status:
        article_publish(article=article, by=None, at=record.published_at)
    return "updated"


def _write_document(record: DocumentRecord, parsed: ParsedFile, owner) -> str:
    contributor = _user(parsed, record, record.contributor) if record.contributor else owner
    countries = _countries(record, parsed)
    themes = themes_by_slugs(record.themes)
    chapters = [ChapterData(title=chapter.title, page=chapter.page) for chapter in record.chapters]
    fields = {
        "title": record.title,
        "subtitle": record.subtitle,
        "published_on": record.published_on,
        "organisation": record.organisation,
        "authors": record.authors,
        "presentation_source": record.presentation,
        "language": record.language,
    }
    document = Document.objects.filter(import_key=record.key).first()
    if document is None:
        document = document_create(
            contributor=contributor,
            slug=record.slug,
            countries=countries,
            themes=themes,
            chapters=chapters,
            import_key=record.key,
            **fields,
        )
        if record.published_at is not None:
            document_publish(document=document, by=None, at=record.published_at)
        return "created"
    same = (
        all(getattr(document, name) == value for name, value in fields.items())
        and list(document.countries.order_by("code").values_list("code", flat=True))
        == sorted(c.code for c in countries)
        and list(document.themes.order_by("slug").values_list("slug", flat=True))
        == sorted(t.slug for t in themes)
        and [ChapterData(c.title, c.page) for c in document.chapters.order_by("position")]
        == chapters
        and (
            record.published_at is None
            or (
                document.status == PublicationStatus.PUBLISHED
                and document.published_at == record.published_at
            )
        )
    )
    if same:
        return "unchanged"
    document_update(
        document=document, countries=countries, themes=themes, chapters=chapters, **fields
    )
    if record.published_at is not None and document.published_at != record.published_at:
        document_publish(document=document, by=None, at=record.published_at)
    return "updated"
