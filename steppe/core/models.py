"""Abstract models and choices shared by the domain apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PublicationStatus(models.TextChoices):
    """The status machine shared by articles and documents (DESIGN §3)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Language(models.TextChoices):
    """Languages content may be written in (the interface itself is French and English)."""

    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
