"""The library ("Files"): policy documents and reports, with their key chapters."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steppe.core.models import Language, PublicationStatus, TimeStampedModel
from steppe.core.urlcache import reverse_cached

from .querysets import DocumentQuerySet


class Licence(models.TextChoices):
    """Licences a library document may be distributed under (blank: not stated)."""

    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC_BY_ND = "cc-by-nd-4.0", "CC BY-ND 4.0"
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved (shared with permission)")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class Document(TimeStampedModel):
    Status = PublicationStatus

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    subtitle = models.TextField(_("subtitle"), max_length=1000, blank=True)
    published_on = models.DateField(
        _("document date"),
        null=True,
        blank=True,
        help_text=_("The date the document itself was published."),
    )
    organisation = models.CharField(_("issuing organisation"), max_length=255, blank=True)
    authors = models.CharField(
        _("authors"), max_length=500, blank=True, help_text=_("As printed on the document.")
    )
    presentation_source = models.TextField(_("presentation (Markdown)"), blank=True)
    presentation_html = models.TextField(_("presentation (HTML)"), blank=True, editable=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=Language.FRENCH
    )
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributor"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    countries = models.ManyToManyField(
        "taxonomy.Country", verbose_name=_("countries"), blank=True, related_name="documents"
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), blank=True, related_name="documents"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PublicationStatus, default=PublicationStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published on Steppe at"), null=True, blank=True)
    import_key = models.CharField(
        _("import key"), max_length=255, unique=True, null=True, blank=True, editable=False
    )
    licence = models.CharField(_("licence"), max_length=30, choices=Licence, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True, help_text=_("10.xxxx/…"))
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    language_detect = models.BooleanField(
        _("detect the language from the file"), default=False, editable=False
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Text of the current version's file, written by the intake task (the search index reads it).
    text_content = models.TextField(_("text of the file"), blank=True, editable=False)
    chapters_confirmed_at = models.DateTimeField(
        _("chapters confirmed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Until then, the intake fills the chapters from the PDF's outline."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_reason = models.TextField(_("editors' reason"), blank=True)
    form_token = models.UUIDField(
        _("form token"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Recognises an upload sent twice (the form, or the API's Idempotency-Key), so that it "
            "creates one document."
        ),
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="document_status_published"),
            # The editors' review queue: submitted documents, the oldest first.
            models.Index(fields=["status", "submitted_at"], name="document_status_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="document_published_has_date",
            ),
            models.UniqueConstraint(
                fields=["contributor", "form_token"], name="document_unique_form_token"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_cached("library:document_detail", slug=self.slug)

    def get_download_url(self) -> str:
        """The current file's address, or "" while the document has none (no query)."""
        if self.current_version_id is None:
            return ""
        return reverse_cached("library:document_download", slug=self.slug)

    def get_edit_url(self) -> str:
        return reverse("library:contrib_document_edit", kwargs={"pk": self.pk})

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def main_country(self):
        """The country shown in the breadcrumb: the first covered one, else the first one."""
        countries = list(self.countries.all())
        for country in countries:
            if country.is_focus:
                return country
        return countries[0] if countries else None


class Chapter(models.Model):
    """A key chapter of a document, in order."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="chapters"
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=500)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)

    class Meta:
        ordering = ["document", "position"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="chapter_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class DocumentVersion(models.Model):
    """One uploaded file of a document; the newest is the document's current version.

    Files are stored under a content-addressed name (`library/pdf/<sha256>.pdf`), so identical
    uploads share one stored file; the name shown and downloaded is never the stored one.
    """

    class IntakeStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for analysis")
        PROCESSING = "processing", _("Being analysed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Analysis failed")

    class IntakeError(models.TextChoices):
        TIMEOUT = "timeout", _("The analysis took too long (the file is too complex).")
        MEMORY = "memory", _("The analysis needed too much memory (the file is too complex).")
        BROKEN = "broken", _("The file could not be read.")
        MISSING = "missing", _("The stored file is missing.")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    file = models.FileField(_("file"), max_length=300)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    intake_status = models.CharField(
        _("analysis"), max_length=20, choices=IntakeStatus, default=IntakeStatus.PENDING
    )
    intake_error = models.CharField(
        _("analysis error"), max_length=20, choices=IntakeError, blank=True
    )
    intake_attempts = models.PositiveSmallIntegerField(_("analysis attempts"), default=0)
    intake_started_at = models.DateTimeField(null=True, blank=True)
    intake_finished_at = models.DateTimeField(null=True, blank=True)
    thumbnail = models.FileField(_("thumbnail"), max_length=300, blank=True)
    detected_language = models.CharField(
        _("detected language"), max_length=2, choices=Language, blank=True
    )
    outline = models.JSONField(_("outline"), default=list, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    def get_download_url(self) -> str:
        return reverse(
            "library:document_version_download",
            kwargs={"slug": self.document.slug, "number": self.number},
        )

    @property
    def is_busy(self) -> bool:
        return self.intake_status in {self.IntakeStatus.PENDING, self.IntakeStatus.PROCESSING}
