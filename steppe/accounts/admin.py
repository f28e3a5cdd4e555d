from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "display_name",
        "kind",
        "organisation",
        "email",
        "is_trusted",
        "is_staff",
    ]
    list_filter = ["kind", "is_trusted", "is_staff", "is_active", "groups"]
    search_fields = ["username", "display_name", "organisation", "email"]
    # "example.org" means https://example.org, as in the profile form (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["country"]
    # Trusted status is granted and revoked only by moderation's `trust_set` (audited, with a
    # reason): from the account's page under /moderation/comptes/, or automatically.
    readonly_fields = ["is_trusted"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Public profile"),
            {
                "fields": [
                    "display_name",
                    "kind",
                    "organisation",
                    "website",
                    "country",
                    "bio",
                    "is_trusted",
                ]
            },
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners only (the secret is shown to them once); an
    administrator can see them and revoke one by setting its revocation date."""

    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]

    def has_add_permission(self, request) -> bool:
        return False
