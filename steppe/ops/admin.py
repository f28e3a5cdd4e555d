from django.contrib import admin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only: what waits for the mail server, what was sent, what was given up (and why)."""

    list_display = ("subject", "status", "attempts", "created_at", "sent_at", "next_attempt_at")
    list_filter = ("status",)
    search_fields = ("subject", "message_id")
    exclude = ("mime",)
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields if field.name != "mime"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
