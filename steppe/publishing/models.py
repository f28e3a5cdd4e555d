"""Articles: news, opinion pieces, analyses and interviews."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steppe.core.models import Language, PublicationStatus, TimeStampedModel
from steppe.core.urlcache import reverse_cached

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
    sources = models.TextField(_("sources"), blank=True, help_text=_("Links, one per line."))
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the editors' decision"), blank=True)
    form_token = models.UUIDField(
        _("form token"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Recognises a form sent twice, so that a double submit creates one article."),
    )
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
            # The review queue: submitted articles, the oldest first.
            models.Index(fields=["status", "submitted_at", "id"], name="article_status_submitted"),
            # The home page's featured article: a partial index holds only the featured rows, so
            # finding the newest (or learning there is none) reads one index entry instead of
            # walking every published article. Status first, like the query's equality: SQLite
            # then picks this index even without ANALYZE statistics.
            models.Index(
                fields=["status", "-published_at", "-id"],
                condition=models.Q(is_featured=True),
                name="article_featured",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.UniqueConstraint(
                fields=["author", "form_token"], name="article_unique_form_token"
            ),
        ]
        permissions = [("review_article", _("Can review, publish and refuse articles"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_cached("publishing:article_detail", slug=self.slug)

    def get_edit_url(self) -> str:
        return reverse("publishing:article_edit", kwargs={"pk": self.pk})

    @property
    def source_links(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    def get_kind_url(self) -> str:
        return reverse_cached("publishing:kind_detail", kind_slug=KIND_URL_SLUGS[self.kind])

    def get_author_url(self) -> str:
        """The author's public page (what `author.get_absolute_url` gives, remembered)."""
        return reverse_cached("publishing:author_detail", username=self.author.username)

    @property
    def is_opinion(self) -> bool:
        return self.kind == self.Kind.OPINION

    @property
    def signature(self) -> str:
        return self.byline or self.author.public_name


class ArticleRevision(models.Model):
    """A saved version of an article. A proposed edit of a published article waits here for review."""

    class State(models.TextChoices):
        SAVED = "saved", _("Saved")
        PENDING = "pending", _("Waiting for review")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.SAVED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    data = models.JSONField(
        _("content"), help_text=_("Title, lead, body, kind, sources and classification.")
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number")
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="revision_state_created")]

    def __str__(self) -> str:
        return f"{self.article} — {self.number}"


class ArticleImage(models.Model):
    """An image uploaded into an article's body, re-encoded by steppe.core.images."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="images"
    )
    file = models.ImageField(
        _("file"), upload_to="articles/%Y/%m/", width_field="width", height_field="height"
    )
    variants = models.JSONField(
        _("smaller copies"), default=dict, help_text=_("Width → stored file name.")
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["article", "id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.caption or self.file.name

    @property
    def markdown(self) -> str:
        """What the author pastes in the body to show this image."""
        return f"![{self.caption}](image:{self.pk})"


# Public URL segment (French) for each kind of article.
KIND_URL_SLUGS = {
    Article.Kind.NEWS: "actualites",
    Article.Kind.OPINION: "opinions",
    Article.Kind.ANALYSIS: "analyses",
    Article.Kind.INTERVIEW: "entretiens",
}
