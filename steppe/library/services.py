"""Every write to library documents goes through these functions."""

import dataclasses
import logging
import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from steppe.core.models import Language, PublicationStatus
from steppe.core.slugs import unique_slug
from steppe.core.text import clean_text, render_markdown
from steppe.taxonomy.models import Country, Theme

from . import conf, notifications, pdf
from .models import Chapter, Document, DocumentVersion
from .signals import (
    document_changed,
    document_published,
    document_submitted,
    document_submitting,
    document_unpublished,
)

if TYPE_CHECKING:
    from steppe.accounts.models import User

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = (
    "title",
    "subtitle",
    "published_on",
    "organisation",
    "authors",
    "presentation_source",
    "language",
    "licence",
    "doi",
    "source_url",
)


class LibraryError(Exception):
    """A workflow step that is not allowed in the document's current state."""


@dataclass(frozen=True)
class ChapterData:
    title: str
    page: int | None = None


def _set_chapters(document: Document, chapters: Sequence[ChapterData]) -> None:
    document.chapters.all().delete()
    Chapter.objects.bulk_create(
        Chapter(
            document=document,
            position=index,
            title=clean_text(chapter.title)[:500],
            page=chapter.page,
        )
        for index, chapter in enumerate(chapters, start=1)
    )


@transaction.atomic
def document_create(
    *,
    contributor: "User",
    title: str,
    subtitle: str = "",
    published_on: date | None = None,
    organisation: str = "",
    authors: str = "",
    presentation_source: str = "",
    language: str = "fr",
    slug: str = "",
    countries: Sequence[Country] = (),
    themes: Sequence[Theme] = (),
    chapters: Sequence[ChapterData] = (),
    import_key: str | None = None,
    licence: str = "",
    doi: str = "",
    source_url: str = "",
    language_detect: bool = False,
    form_token: "uuid.UUID | None" = None,
) -> Document:
    """Create a draft document record with its ordered chapters."""
    title = clean_text(title)
    document = Document(
        contributor=contributor,
        title=title,
        slug=unique_slug(Document, slug or title),
        subtitle=clean_text(subtitle),
        published_on=published_on,
        organisation=clean_text(organisation),
        authors=clean_text(authors),
        presentation_source=clean_text(presentation_source),
        language=language,
        import_key=import_key,
        licence=licence,
        doi=clean_text(doi),
        source_url=clean_text(source_url),
        language_detect=language_detect,
        form_token=form_token,
    )
    document.presentation_html = render_markdown(document.presentation_source)
    document.full_clean()
    document.save()
    document.countries.set(countries)
    document.themes.set(themes)
    _set_chapters(document, chapters)
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    countries: Sequence[Country] | None = None,
    themes: Sequence[Theme] | None = None,
    chapters: Sequence[ChapterData] | None = None,
    by: "User | None" = None,
    **changes: str | date | None,
) -> Document:
    """Change a document's record; chapters, when given, replace the old list."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(document, field, clean_text(value) if isinstance(value, str) else value)
    document.presentation_html = render_markdown(document.presentation_source)
    document.full_clean()
    document.save()
    if countries is not None:
        document.countries.set(countries)
    if themes is not None:
        document.themes.set(themes)
    if chapters is not None:
        _set_chapters(document, chapters)
    if document.status == PublicationStatus.PUBLISHED:
        transaction.on_commit(
            lambda: document_changed.send(sender=Document, document=document, by=by)
        )
    return document


@transaction.atomic
def document_publish(
    *,
    document: Document,
    by: "User | None",
    at: datetime | None = None,
    notify: bool = False,
) -> Document:
    """Publish a document in the library now, or at the given date.

    `notify`: e-mail the contributor (an editor accepted a submission from the review queue).
    """
    if document.status == PublicationStatus.PUBLISHED and at is None:
        raise LibraryError(_("This document is already published."))
    document.status = PublicationStatus.PUBLISHED
    document.published_at = at or timezone.now()
    document.decision_reason = ""
    document.save(update_fields=["status", "published_at", "decision_reason", "updated_at"])
    if notify:
        notifications.contributor_notify(document=document, event="published")
    transaction.on_commit(
        lambda: document_published.send(sender=Document, document=document, by=by)
    )
    return document


@transaction.atomic
def document_withdraw(*, document: Document, by: "User | None") -> Document:
    """Take a submitted or published document offline; harvesters then see a deleted record."""
    if document.status not in {PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED}:
        raise LibraryError(_("Only a submitted or published document can be withdrawn."))
    was_published = document.status == PublicationStatus.PUBLISHED
    document.status = PublicationStatus.WITHDRAWN
    document.save(update_fields=["status", "updated_at"])
    if was_published:
        transaction.on_commit(
            lambda: document_unpublished.send(sender=Document, document=document, by=by)
        )
    return document


# --- Files: upload, versions, intake ---------------------------------------------------------


@dataclass(frozen=True)
class DocumentRecord:
    """What a contributor fills in for a document (the upload form)."""

    title: str
    subtitle: str = ""
    published_on: date | None = None
    organisation: str = ""
    authors: str = ""
    presentation_source: str = ""
    language: str = ""  # "" = detect it from the file's text
    licence: str = ""
    doi: str = ""
    source_url: str = ""
    countries: Sequence[Country] = ()
    themes: Sequence[Theme] = ()


@dataclass
class UploadOutcome:
    document: Document
    version: DocumentVersion
    # Other documents holding the very same file, among those the uploader may see.
    duplicates: list[Document] = dataclasses.field(default_factory=list)


PDF_FOLDER = "library/pdf"
THUMBNAIL_FOLDER = "library/thumbs"


def pdf_storage_name(checksum: str) -> str:
    """Content-addressed: identical files share one stored copy."""
    return f"{PDF_FOLDER}/{checksum[:2]}/{checksum}.pdf"


def thumbnail_storage_name(checksum: str) -> str:
    return f"{THUMBNAIL_FOLDER}/{checksum[:2]}/{checksum}.webp"


def _store(path: Path, *, name: str, size: int) -> tuple[str, bool]:
    """Save a local file through the storage API; return (stored name, whether this call wrote it).

    A stored file of the right size is reused; one of another size was cut short by a crash
    (storage backends write in place) and is replaced.
    """
    storage = default_storage
    if storage.exists(name):
        if storage.size(name) == size:
            return name, False
        storage.delete(name)
    try:
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name.rsplit("/", 1)[-1]))
    except BaseException:
        # Disk full, connection lost, worker stopped: leave no partial file behind.
        _discard_stored(name)
        raise
    return saved, True


def _discard_stored(name: str) -> None:
    """Delete a stored file unless a version or a thumbnail refers to it."""
    from django.db.models import Q

    if DocumentVersion.objects.filter(Q(file=name) | Q(thumbnail=name)).exists():
        return
    try:
        default_storage.delete(name)
    except OSError:
        logger.exception("Could not delete the stored file %s", name)


@contextmanager
def _stored_pdf(spool) -> Iterator[str]:
    """Store a checked PDF under its checksum for the rows the block writes; if the block fails,
    the stored copy is deleted again (unless it was there before or a version refers to it)."""
    stored, created = _store(spool.path, name=pdf_storage_name(spool.sha256), size=spool.size)
    try:
        yield stored
    except BaseException:
        if created:
            _discard_stored(stored)
        raise


def _can_manage(document: Document, user: "User") -> bool:
    return document.contributor_id == user.pk or user.has_perm("library.change_document")


def _duplicates(*, checksum: str, document: Document, by: "User") -> list[Document]:
    other_ids = (
        DocumentVersion.objects.filter(checksum=checksum)
        .exclude(document=document)
        .values("document_id")
    )
    return list(
        Document.objects.visible_to(by)
        .filter(pk__in=other_ids)
        .only("pk", "title", "slug", "status", "contributor_id")
        .order_by("pk")[:5]
    )


def _version_create(
    *, document: Document, by: "User", stored_name: str, spool, pages: int, filename: str
) -> DocumentVersion:
    """The document's next version, from a checked and stored file (`spool`: its checksum, size)."""
    # Lock the document row: two uploads at once get consecutive numbers.
    locked = Document.objects.select_for_update().only("pk").get(pk=document.pk)
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DocumentVersion.objects.create(
        document=document,
        number=last + 1,
        file=stored_name,
        checksum=spool.sha256,
        size=spool.size,
        pages=pages,
        original_filename=pdf.safe_filename(filename, fallback=document.slug)[:255],
        uploaded_by=by,
    )
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    transaction.on_commit(lambda: _intake_enqueue(version.pk))
    if document.status == PublicationStatus.PUBLISHED:
        transaction.on_commit(
            lambda: document_changed.send(sender=Document, document=document, by=by)
        )
    return version


def _intake_enqueue(version_id: int) -> None:
    from .tasks import document_version_intake_task

    document_version_intake_task.enqueue(version_id=version_id)


def document_upload(
    *,
    by: "User",
    record: DocumentRecord,
    upload: IO[bytes],
    filename: str,
    form_token: uuid.UUID | None = None,
) -> UploadOutcome:
    """Check a PDF, store it and create the draft document with its first version.

    Nothing is kept when anything fails: the file is checked from a temporary copy, stored under
    its checksum, and the stored copy is deleted again if the rows cannot be written. A process
    killed in between leaves files that `library_sweep` removes.

    An upload sent again with the same `form_token` (a double click, a client retrying after a
    lost answer) gives back the document the first one created, without a second copy; the same
    token with another file is refused.
    """
    with pdf.spooled(upload) as spool:
        repeated = _upload_repeated(by=by, form_token=form_token, checksum=spool.sha256)
        if repeated is not None:
            return repeated
        pages = pdf.check(spool.path, spool.size)
        try:
            with _stored_pdf(spool) as stored, transaction.atomic():
                document = document_create(
                    contributor=by,
                    title=record.title,
                    subtitle=record.subtitle,
                    published_on=record.published_on,
                    organisation=record.organisation,
                    authors=record.authors,
                    presentation_source=record.presentation_source,
                    language=record.language or "fr",
                    language_detect=not record.language,
                    licence=record.licence,
                    doi=record.doi,
                    source_url=record.source_url,
                    countries=record.countries,
                    themes=record.themes,
                    form_token=form_token,
                )
                version = _version_create(
                    document=document,
                    by=by,
                    stored_name=stored,
                    spool=spool,
                    pages=pages,
                    filename=filename,
                )
        except (IntegrityError, ValidationError):
            # The same upload, sent twice at once: the other request created the document (or
            # another error, raised again below).
            repeated = _upload_repeated(by=by, form_token=form_token, checksum=spool.sha256)
            if repeated is None:
                raise
            return repeated
    return _outcome(document=document, version=version, by=by)


def _outcome(*, document: Document, version: DocumentVersion, by: "User") -> UploadOutcome:
    return UploadOutcome(
        document=document,
        version=version,
        duplicates=_duplicates(checksum=version.checksum, document=document, by=by),
    )


def _upload_repeated(
    *, by: "User", form_token: uuid.UUID | None, checksum: str
) -> UploadOutcome | None:
    if form_token is None:
        return None
    document = (
        Document.objects.filter(contributor=by, form_token=form_token)
        .select_related("current_version")
        .first()
    )
    if document is None:
        return None
    version = document.current_version
    first = document.versions.order_by("number").first()
    if first is None or first.checksum != checksum:
        raise LibraryError(
            _(
                "This upload key was already used for another file. Send the new file as a "
                "new version of the document, or start a new upload."
            )
        )
    return _outcome(document=document, version=version or first, by=by)


def document_version_add(
    *, document: Document, by: "User", upload: IO[bytes], filename: str
) -> UploadOutcome:
    """Add a new file to a document: it becomes the current version; older ones stay available.

    Its contributor may do so while the document is not online; once it is, only a trusted
    contributor or an editor may (the new file is public at once).
    """
    if not _can_manage(document, by):
        raise LibraryError(_("Only the document's contributor or an editor can add a version."))
    if document.status == PublicationStatus.SUBMITTED and not by.has_perm(
        "library.change_document"
    ):
        raise LibraryError(_("The document is being reviewed: wait for the editors' decision."))
    if (
        document.status == PublicationStatus.PUBLISHED
        and not by.is_trusted
        and not by.has_perm("library.change_document")
    ):
        raise LibraryError(_("This document is published: ask the editors to replace its file."))
    with pdf.spooled(upload) as spool:
        if document.current_version_id and (
            DocumentVersion.objects.filter(
                pk=document.current_version_id, checksum=spool.sha256
            ).exists()
        ):
            raise pdf.PdfRejectedError(
                _("This file is identical to the current version of the document."),
                code="duplicate",
            )
        pages = pdf.check(spool.path, spool.size)
        with _stored_pdf(spool) as stored, transaction.atomic():
            version = _version_create(
                document=document,
                by=by,
                stored_name=stored,
                spool=spool,
                pages=pages,
                filename=filename,
            )
    return _outcome(document=document, version=version, by=by)


@lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code, _label in Language.choices])
    return identifier


def language_detect(text: str) -> str:
    """The language of a text among French, English and Russian, or "" when unsure."""
    sample = " ".join(text[:20_000].split())
    if len(sample) < 40:
        return ""
    code, probability = _language_identifier().classify(sample)
    return code if probability >= 0.8 else ""


def chapters_from_outline(outline: Sequence[dict]) -> list[ChapterData]:
    """Key chapters from a PDF outline: the top level, or the next one under a single title."""
    entries = [e for e in outline if clean_text(e.get("title") or "")]
    top = [e for e in entries if e.get("level") == 0]
    if len(top) == 1:
        second = [e for e in entries if e.get("level") == 1]
        if second:
            top = second
    return [
        ChapterData(title=clean_text(e["title"])[:500], page=e.get("page") or None)
        for e in top[:MAX_CHAPTERS]
    ]


MAX_CHAPTERS = 100


def _intake_fail(version_id: int, code: str) -> str:
    DocumentVersion.objects.filter(pk=version_id).update(
        intake_status=DocumentVersion.IntakeStatus.FAILED,
        intake_error=code,
        intake_finished_at=timezone.now(),
    )
    return code


def document_version_intake(*, version_id: int) -> str:
    """Read a stored version: pages, text, language, thumbnail, outline → chapters.

    Idempotent, since a killed worker's task is run again: the thumbnail is content-addressed and
    every field is overwritten with the same values. Text, detected language and outline chapters
    go to the document only if this version is still its current one, and chapters only while the
    contributor has not confirmed them. Returns the final status (or "gone").
    """
    updated = DocumentVersion.objects.filter(pk=version_id).update(
        intake_status=DocumentVersion.IntakeStatus.PROCESSING,
        intake_error="",
        intake_started_at=timezone.now(),
        intake_attempts=F("intake_attempts") + 1,
    )
    if not updated:
        return "gone"
    version = DocumentVersion.objects.get(pk=version_id)
    out_dir: Path | None = None
    try:
        try:
            source = default_storage.open(version.file.name, "rb")
        except FileNotFoundError:
            return _intake_fail(version_id, DocumentVersion.IntakeError.MISSING)
        with source, pdf.spooled(source, limit=None) as spool:
            result, out_dir = pdf.extract(spool.path)
        thumbnail = ""
        if result.thumbnail_path is not None:
            size = result.thumbnail_path.stat().st_size
            thumbnail, _created = _store(
                result.thumbnail_path, name=thumbnail_storage_name(version.checksum), size=size
            )
        text = clean_text(result.text.replace("\r\n", "\n").replace("\f", "\n\n"))
        language = language_detect(text)
    except pdf.PdfWorkerError as failure:
        logger.warning("Intake of document version %s failed: %s", version_id, failure)
        code = failure.code if failure.code in {"timeout", "memory"} else "broken"
        return _intake_fail(version_id, code)
    finally:
        if out_dir is not None:
            shutil.rmtree(out_dir, ignore_errors=True)
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version_id)
        version.pages = result.pages
        version.outline = result.outline
        version.thumbnail = thumbnail
        version.detected_language = language
        version.intake_status = DocumentVersion.IntakeStatus.READY
        version.intake_error = ""
        version.intake_finished_at = timezone.now()
        version.save()
        document = Document.objects.select_for_update().get(pk=version.document_id)
        if document.current_version_id == version.pk:
            document.text_content = text
            if document.language_detect and language:
                document.language = language
            document.save(update_fields=["text_content", "language", "updated_at"])
            chapters = chapters_from_outline(result.outline)
            # Until the contributor confirms them, chapters follow the current file's outline (a
            # file without one leaves the list as it was).
            if document.chapters_confirmed_at is None and chapters:
                _set_chapters(document, chapters)
            if document.status == PublicationStatus.PUBLISHED:
                transaction.on_commit(
                    lambda: document_changed.send(sender=Document, document=document, by=None)
                )
    return version.intake_status


@transaction.atomic
def document_record_update(*, document: Document, by: "User", record: DocumentRecord) -> Document:
    """A contributor's (or an editor's) change to the record of a document that is not online."""
    if not _can_manage(document, by):
        raise LibraryError(_("Only the document's contributor or an editor can change it."))
    if document.status in {PublicationStatus.PUBLISHED, PublicationStatus.SUBMITTED} and not (
        by.has_perm("library.change_document")
    ):
        raise LibraryError(
            _("This document is with the editors or online: ask them for any change.")
        )
    if document.status in {PublicationStatus.REFUSED, PublicationStatus.WITHDRAWN} and not (
        by.has_perm("library.change_document")
    ):
        document.status = PublicationStatus.DRAFT
        document.save(update_fields=["status", "updated_at"])
    if record.language:
        document.language_detect = False
    else:
        document.language_detect = True
        current = document.current_version
        detected = current.detected_language if current else ""
        record = _replace(record, language=detected or document.language)
    document.save(update_fields=["language_detect", "updated_at"])
    return document_update(
        document=document,
        by=by,
        countries=list(record.countries),
        themes=list(record.themes),
        title=record.title,
        subtitle=record.subtitle,
        published_on=record.published_on,
        organisation=record.organisation,
        authors=record.authors,
        presentation_source=record.presentation_source,
        language=record.language,
        licence=record.licence,
        doi=record.doi,
        source_url=record.source_url,
    )


def _replace(record: DocumentRecord, **changes) -> DocumentRecord:
    from dataclasses import replace

    return replace(record, **changes)


@transaction.atomic
def document_chapters_confirm(
    *, document: Document, by: "User", chapters: Sequence[ChapterData]
) -> Document:
    """Keep the contributor's list of key chapters; the intake no longer replaces it."""
    if not _can_manage(document, by):
        raise LibraryError(_("Only the document's contributor or an editor can change it."))
    if document.status in {PublicationStatus.PUBLISHED, PublicationStatus.SUBMITTED} and not (
        by.has_perm("library.change_document")
    ):
        raise LibraryError(
            _("This document is with the editors or online: ask them for any change.")
        )
    _set_chapters(document, chapters[:MAX_CHAPTERS])
    document.chapters_confirmed_at = timezone.now()
    document.save(update_fields=["chapters_confirmed_at", "updated_at"])
    if document.status == PublicationStatus.PUBLISHED:
        transaction.on_commit(
            lambda: document_changed.send(sender=Document, document=document, by=by)
        )
    return document


# --- Workflow ----------------------------------------------------------------------------------


@transaction.atomic
def document_submit(*, document: Document, by: "User") -> Document:
    """Send a draft document to the editors; a trusted contributor's is published at once."""
    if document.contributor_id != by.pk:
        raise LibraryError(_("Only its contributor can submit this document."))
    if document.status not in {
        PublicationStatus.DRAFT,
        PublicationStatus.REFUSED,
        PublicationStatus.WITHDRAWN,
    }:
        raise LibraryError(_("This document is not a draft."))
    # Read the status afresh: the intake may have finished since the document was loaded.
    version = DocumentVersion.objects.filter(pk=document.current_version_id).first()
    if version is None:
        raise LibraryError(_("Add the PDF file before submitting the document."))
    if version.is_busy:
        raise LibraryError(
            _("The file is still being analysed: submit the document when it is ready.")
        )
    document_submitting.send(sender=Document, document=document, by=by)
    document.submitted_at = timezone.now()
    document.decision_reason = ""
    if by.is_trusted:
        document.save(update_fields=["submitted_at", "decision_reason", "updated_at"])
        return document_publish(document=document, by=by)
    document.status = PublicationStatus.SUBMITTED
    document.save(update_fields=["status", "submitted_at", "decision_reason", "updated_at"])
    transaction.on_commit(
        lambda: document_submitted.send(sender=Document, document=document, by=by)
    )
    return document


@transaction.atomic
def document_refuse(*, document: Document, by: "User", reason: str) -> Document:
    """Refuse a submitted document, with the reason its contributor will read."""
    reason = clean_text(reason)
    if document.status != PublicationStatus.SUBMITTED:
        raise LibraryError(_("Only a submitted document can be refused."))
    if not reason:
        raise LibraryError(_("Say why the document is refused: its contributor will read it."))
    document.status = PublicationStatus.REFUSED
    document.decision_reason = reason
    document.save(update_fields=["status", "decision_reason", "updated_at"])
    notifications.contributor_notify(document=document, event="refused", reason=reason)
    return document


@transaction.atomic
def document_changes_request(*, document: Document, by: "User", message: str) -> Document:
    """Send a submitted document back to its contributor as a draft, with the editors' message."""
    message = clean_text(message).strip()
    if document.status != PublicationStatus.SUBMITTED:
        raise LibraryError(_("Only a submitted document can be sent back for changes."))
    if not message:
        raise LibraryError(_("Say what should change: the contributor will read it."))
    document.status = PublicationStatus.DRAFT
    document.decision_reason = message
    document.save(update_fields=["status", "decision_reason", "updated_at"])
    notifications.contributor_notify(document=document, event="changes_requested", reason=message)
    return document


# --- Housekeeping ------------------------------------------------------------------------------


@dataclass
class SweepReport:
    temporary_files: int = 0
    stored_files: int = 0
    intakes_requeued: int = 0


def _storage_walk(folder: str):
    storage = default_storage
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _storage_walk(f"{folder}/{sub}")


def library_files_sweep(*, older_than: timedelta | None = None) -> SweepReport:
    """Remove what interrupted uploads left behind and re-queue intakes a dead worker dropped.

    - temporary files of the library older than `older_than`;
    - stored PDFs and thumbnails no version refers to, older than `older_than` (younger ones may
      belong to an upload whose transaction has not committed yet);
    - versions still pending or processing after `older_than` get their intake queued again.
    """
    if older_than is None:
        older_than = timedelta(seconds=int(conf.get("STEPPE_LIBRARY_SWEEP_AFTER_SECONDS")))
    report = SweepReport()
    cutoff = timezone.now() - older_than
    for path in conf.temp_dir().glob(pdf.TEMP_PREFIX + "*"):
        try:
            modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        except FileNotFoundError:
            continue
        if modified < cutoff:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            report.temporary_files += 1
    referenced = set(DocumentVersion.objects.values_list("file", flat=True))
    referenced |= set(
        DocumentVersion.objects.exclude(thumbnail="").values_list("thumbnail", flat=True)
    )
    for folder in (PDF_FOLDER, THUMBNAIL_FOLDER):
        for name in _storage_walk(folder):
            if name in referenced:
                continue
            try:
                if default_storage.get_modified_time(name) >= cutoff:
                    continue
                default_storage.delete(name)
            except FileNotFoundError:
                continue
            report.stored_files += 1
    stuck = DocumentVersion.objects.filter(
        intake_status__in=[
            DocumentVersion.IntakeStatus.PENDING,
            DocumentVersion.IntakeStatus.PROCESSING,
        ],
        created_at__lt=cutoff,
    ).filter(
        # A version being processed right now is left alone.
        models.Q(intake_started_at__isnull=True) | models.Q(intake_started_at__lt=cutoff)
    )
    for version_id in stuck.values_list("pk", flat=True):
        _intake_enqueue(version_id)
        report.intakes_requeued += 1
    return report
