from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from steppe.core.text import render_markdown

from .models import Chapter, Document


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 1
    fields = ["position", "title", "page"]
    ordering = ["position"]


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
    readonly_fields = ["created_at", "updated_at", "import_key"]
    inlines = [ChapterInline]
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
                ]
            },
        ),
        (_("Presentation"), {"fields": ["presentation_source"]}),
        (_("Classification"), {"fields": ["countries", "themes"]}),
        (_("Publication"), {"fields": ["contributor", "status", "published_at"]}),
        (_("History"), {"fields": ["created_at", "updated_at", "import_key"]}),
    )

    def save_model(self, request, obj, form, change) -> None:
        obj.presentation_html = render_markdown(obj.presentation_source)
        super().save_model(request, obj, form, change)
