"""Regions, countries, themes and tags: how content is classified and browsed."""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from steppe.core.urlcache import reverse_cached


class TranslatedNameMixin(models.Model):
    """Names in the three content languages, picked by the active language.

    Three fixed columns rather than django-modeltranslation: the set of languages is closed and small,
    and explicit columns keep queries, admin and data migrations obvious.
    """

    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        language = (get_language() or "fr")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fr


class Region(TranslatedNameMixin):
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name_fr

    def get_absolute_url(self) -> str:
        return reverse_cached("publishing:region_detail", slug=self.slug)


class Country(TranslatedNameMixin):
    code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    name_fr_article = models.CharField(
        _("French name with its article"), max_length=120, help_text=_("e.g. le Kazakhstan")
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="countries"
    )
    is_focus = models.BooleanField(
        _("covered country"),
        default=False,
        help_text=_("A country the platform covers, shown in the menu."),
    )

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name_fr

    def get_absolute_url(self) -> str:
        return reverse_cached("publishing:country_detail", slug=self.slug)

    @property
    def name_with_article(self) -> str:
        """ "Le Kazakhstan" in French, "Kazakhstan" elsewhere: as in a breadcrumb."""
        if (get_language() or "fr")[:2] == "fr":
            return capfirst(self.name_fr_article)
        return self.name


class Theme(TranslatedNameMixin):
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name_fr

    def get_absolute_url(self) -> str:
        return reverse_cached("publishing:theme_detail", slug=self.slug)


class Tag(models.Model):
    """A free label. A plain model rather than django-taggit: no generic relations to join through."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name
