from django.contrib import admin

from .models import AuditEvent, RefusalReason, Report, ReportCase, Sanction


@admin.register(RefusalReason)
class RefusalReasonAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["title", "text"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "created_at",
        "action",
        "object_repr",
        "actor_name",
        "status_before",
        "status_after",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["created_at", "category", "explanation"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportCase)
class ReportCaseAdmin(admin.ModelAdmin):
    """Read-only: cases are decided in the moderation pages, which send the statements of reasons."""

    list_display = ["object_repr", "status", "report_count", "opened_at", "decided_at"]
    list_filter = ["status", "content_type"]
    inlines = [ReportInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    """Read-only: account actions are taken in the moderation pages, which mail the statement of
    reasons, take the items offline and write the audit log."""

    list_display = ["account", "kind", "status", "ground", "created_at", "ends_at", "created_by"]
    list_filter = ["kind", "status", "ground"]
    search_fields = ["account__username", "account__display_name", "statement"]
    raw_id_fields = ["account", "case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
