"""Articles: news, opinion pieces, analyses and interviews."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steppe.core.models import Language, PublicationStatus, TimeStampedModel

from .querysets import ArticleQuerySet


class Article(TimeStampedModel):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        OPINION = "opinion", _("Opinion")
        ANALYSIS = "analysis", _("Analysis")
        INTERVIEW = "interview", _("Interview")

    Status = PublicationStatus

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    lead = models.TextField(_("lead"), max_length=2000, blank=True)
    body_source = models.TextField(_("body (Markdown)"), blank=True)
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=Language.FRENCH
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    byline = models.CharField(
        _("signature"),
        max_length=200,
        blank=True,
        help_text=_(
            "Name printed on a piece imported from elsewhere, when it is not the account's."
        ),
    )
    countries = models.ManyToManyField(
        "taxonomy.Country", verbose_name=_("countries"), blank=True, related_name="articles"
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), blank=True, related_name="articles"
    )
    tags = models.ManyToManyField(
        "taxonomy.Tag", verbose_name=_("tags"), blank=True, related_name="articles"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PublicationStatus, default=PublicationStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    import_key = models.CharField(
        _("import key"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Identifies an imported item, so that importing again updates it."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["kind", "status", "-published_at"], name="article_kind_published"),
            models.Index(
                fields=["author", "status", "-published_at"], name="article_author_published"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publishing:article_detail", kwargs={"slug": self.slug})

    def get_kind_url(self) -> str:
        return reverse("publishing:kind_detail", kwargs={"kind_slug": KIND_URL_SLUGS[self.kind]})

    @property
    def is_opinion(self) -> bool:
        return self.kind == self.Kind.OPINION

    @property
    def signature(self) -> str:
        return self.byline or self.author.public_name


# Public URL segment (French) for each kind of article.
KIND_URL_SLUGS = {
    Article.Kind.NEWS: "actualites",
    Article.Kind.OPINION: "opinions",
    Article.Kind.ANALYSIS: "analyses",
    Article.Kind.INTERVIEW: "entretiens",
}
