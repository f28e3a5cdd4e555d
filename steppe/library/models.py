"""The library ("Files"): policy documents and reports, with their key chapters."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steppe.core.models import Language, PublicationStatus, TimeStampedModel

from .querysets import DocumentQuerySet


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

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="document_status_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="document_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:document_detail", kwargs={"slug": self.slug})

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
