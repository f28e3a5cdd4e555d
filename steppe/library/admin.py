from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from steppe.core.text import render_markdown

from .models import Chapter, Document, DocumentVersion


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 1
    fields = ["position", "title", "page"]
    ordering = ["position"]


class DocumentVersionInline(admin.TabularInline):
    """Versions are added through the upload pages (checked files only): read-only here."""

    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = [
        "number",
        "original_filename",
        "size",
        "pages",
        "checksum",
        "intake_status",
        "intake_error",
        "uploaded_by",
        "created_at",
    ]
    readonly_fields = fields
    ordering = ["-number"]
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "published_on",
        "contributor",
        "status",
        "published_at",
    ]
    list_filter = ["status", "language", "countries", "themes"]
    list_select_related = ["contributor"]
    search_fields = ["title", "subtitle", "organisation", "authors"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["contributor", "countries", "themes"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "import_key", "submitted_at"]
    inlines = [ChapterInline, DocumentVersionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "subtitle",
                    "published_on",
                    "organisation",
                    "authors",
                    "language",
                    "licence",
                    "doi",
                    "source_url",
                ]
            },
        ),
        (_("Presentation"), {"fields": ["presentation_source"]}),
        (_("Classification"), {"fields": ["countries", "themes"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "contributor",
                    "status",
                    "submitted_at",
                    "decision_reason",
                    "published_at",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at", "import_key"]}),
    )

    def save_model(self, request, obj, form, change) -> None:
        obj.presentation_html = render_markdown(obj.presentation_source)
        super().save_model(request, obj, form, change)
