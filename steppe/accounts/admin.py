from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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
    autocomplete_fields = ["country"]
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
