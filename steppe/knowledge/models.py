"""The knowledge layer: an entity registry, mentions, dated events and per-item results.

Every row that extraction writes carries `origin = auto`; rows an editor created or decided on carry
`origin = editor` (mentions, item countries) or a non-auto `status` (entities, events). Re-extracting an
item deletes and rewrites only its auto rows, so an editor's decision is never undone.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from steppe.core.models import TimeStampedModel
from steppe.core.urlcache import reverse_cached


class Origin(models.TextChoices):
    AUTO = "auto", _("Extracted automatically")
    EDITOR = "editor", _("Set by an editor")


class ReviewStatus(models.TextChoices):
    AUTO = "auto", _("Not reviewed")
    CONFIRMED = "confirmed", _("Confirmed")
    # Its own context: the shared "Rejected" is feminine in French (« Refusée », an edit).
    REJECTED = "rejected", pgettext_lazy("entity or event review status", "Rejected")


class ItemLinkQuerySet(models.QuerySet):
    def for_item(self, item) -> "ItemLinkQuerySet":
        return self.filter(**{_item_field(item): item})


def _item_field(item) -> str:
    return "article" if item._meta.model_name == "article" else "document"


class ItemLink(models.Model):
    """Points at one article or one document: two nullable keys and a check, rather than a generic
    relation, so that joins, deletion cascades and prefetching stay ordinary."""

    article = models.ForeignKey(
        "publishing.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="knowledge_%(class)ss",
    )
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="knowledge_%(class)ss",
    )

    objects = ItemLinkQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(Q(article__isnull=False) & Q(document__isnull=True))
                | (Q(article__isnull=True) & Q(document__isnull=False)),
                name="%(app_label)s_%(class)s_one_item",
            )
        ]

    @property
    def item(self):
        return self.article if self.article_id else self.document


class Entity(TimeStampedModel):
    """One person, organisation or place, whatever the spelling or script it is written in."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        PLACE = "place", _("Place")

    Status = ReviewStatus

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=255)
    key = models.CharField(
        _("matching key"),
        max_length=255,
        db_index=True,
        help_text=_("The name folded and transliterated to Latin letters, used for matching."),
    )
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "Who or what this is, in a sentence or two, written by an editor. Left empty, the "
            "page shows a line generated from the data (kind, period, countries)."
        ),
    )
    country = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus, default=ReviewStatus.AUTO
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    mention_count = models.PositiveIntegerField(_("mentions"), default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(merged_into__isnull=True),
                name="knowledge_entity_unique_key",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_cached("knowledge:entity_detail", slug=self.slug)


class EntityAlias(models.Model):
    """Another way of writing an entity's name: a spelling, a script, an acronym."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("name"), max_length=255)
    key = models.CharField(_("matching key"), max_length=255, db_index=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin, default=Origin.AUTO)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="knowledge_alias_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Mention(ItemLink):
    """Where an entity is named in an item (offsets into the item's analysed text)."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="mentions"
    )
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    surface = models.CharField(_("text as written"), max_length=255)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin, default=Origin.AUTO)

    class Meta(ItemLink.Meta):
        ordering = ["start"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        indexes = [
            models.Index(fields=["entity", "article"]),
            models.Index(fields=["entity", "document"]),
        ]

    def __str__(self) -> str:
        return self.surface


class Event(ItemLink):
    """Something the item places at a date: the source sentence, its date and who and where."""

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    Status = ReviewStatus

    date_value = models.CharField(
        _("date (EDTF)"), max_length=32, help_text=_("e.g. 2024-06-06/2024-06-07, 2024-09, 2024")
    )
    precision = models.CharField(_("precision"), max_length=10, choices=Precision)
    start_on = models.DateField(_("starts on"), db_index=True)
    end_on = models.DateField(_("ends on"))
    is_future_target = models.BooleanField(
        _("future target"),
        default=False,
        help_text=_("A goal for a future date, not something that happened."),
    )
    summary = models.CharField(_("summary"), max_length=255)
    sentence = models.TextField(_("source sentence"))
    sentence_start = models.PositiveIntegerField(_("sentence start"))
    sentence_end = models.PositiveIntegerField(_("sentence end"))
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        help_text=_("Date and sentence hashed: finds the event again."),
    )
    place = models.ForeignKey(
        Entity,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_here",
    )
    countries = models.ManyToManyField(
        "taxonomy.Country", verbose_name=_("countries"), blank=True, related_name="knowledge_events"
    )
    entities = models.ManyToManyField(
        Entity, verbose_name=_("actors"), blank=True, related_name="events"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus, default=ReviewStatus.AUTO
    )

    class Meta(ItemLink.Meta):
        ordering = ["start_on", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["is_future_target", "start_on"])]

    def __str__(self) -> str:
        return f"{self.date_value} — {self.summary}"


class ItemCountry(ItemLink):
    """A country an item mentions, with how often: the basis of suggestions and country pages."""

    country = models.ForeignKey(
        "taxonomy.Country", verbose_name=_("country"), on_delete=models.CASCADE, related_name="+"
    )
    mention_count = models.PositiveIntegerField(_("mentions"), default=0)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin, default=Origin.AUTO)
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus, default=ReviewStatus.AUTO
    )

    class Meta(ItemLink.Meta):
        ordering = ["-mention_count"]
        constraints = [
            *ItemLink.Meta.constraints,
            models.UniqueConstraint(
                fields=["article", "country"], name="knowledge_itemcountry_article"
            ),
            models.UniqueConstraint(
                fields=["document", "country"], name="knowledge_itemcountry_document"
            ),
        ]
        verbose_name = _("country mentioned")
        verbose_name_plural = _("countries mentioned")

    def __str__(self) -> str:
        return str(self.country_id)


class ItemAnalysis(ItemLink):
    """The last extraction run on an item: its language and what was noted."""

    language = models.CharField(_("detected language"), max_length=8, blank=True)
    language_reason = models.CharField(_("language detection"), max_length=255, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    text_hash = models.CharField(_("text hash"), max_length=64)
    extractor_version = models.PositiveSmallIntegerField(_("extractor version"), default=0)
    extracted_at = models.DateTimeField(_("extracted at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta(ItemLink.Meta):
        verbose_name = _("item analysis")
        verbose_name_plural = _("item analyses")
        constraints = [
            *ItemLink.Meta.constraints,
            models.UniqueConstraint(fields=["article"], name="knowledge_analysis_one_per_article"),
            models.UniqueConstraint(
                fields=["document"], name="knowledge_analysis_one_per_document"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.language})"
