"""Accounts: one custom user model for readers' contributors, editors and administrators."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Usernames of system accounts, never given to a person at sign-up.
DELETED_ACCOUNT_USERNAME = "contributeur-supprime"
IMPORT_ACCOUNT_USERNAME = "import"
RESERVED_USERNAMES = frozenset(
    {
        DELETED_ACCOUNT_USERNAME,
        IMPORT_ACCOUNT_USERNAME,
        "admin",
        "administrateur",
        "editeur",
        "redaction",
        "steppe",
    }
)


class User(AbstractUser):
    """A contributor account. Editors are members of the "editors" group."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ASSOCIATION = "association", _("Association")
        NGO = "ngo", _("NGO")
        PROFESSIONAL = "professional", _("Professional")
        MEDIA = "media", _("Media")

    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    kind = models.CharField(_("account kind"), max_length=20, choices=Kind, default=Kind.INDIVIDUAL)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    country = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    avatar = models.ImageField(_("avatar or logo"), upload_to="avatars/", blank=True)
    is_trusted = models.BooleanField(
        _("trusted contributor"),
        default=False,
        help_text=_("Trusted contributors publish without review."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="individual") | ~models.Q(organisation=""),
                name="accounts_user_organisation_required",
                violation_error_message=_("An organisation account needs its organisation name."),
            )
        ]

    def __str__(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("publishing:author_detail", kwargs={"username": self.username})

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_organisation(self) -> bool:
        return self.kind != self.Kind.INDIVIDUAL


class ApiToken(models.Model):
    """A personal API token: `steppe_<prefix>_<secret>`, of which only a SHA-256 hash is kept.

    The secret is 256 random bits, so a fast hash is enough (nothing to brute-force, unlike a
    password); `prefix` is public, shown in the list of tokens, and finds the row in one lookup.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("hash of the secret"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
