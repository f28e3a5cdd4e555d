from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Article
from .services import article_body_render


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "author", "status", "published_at", "is_featured", "language"]
    list_filter = ["status", "kind", "language", "is_featured", "countries", "themes"]
    list_select_related = ["author"]
    search_fields = ["title", "lead", "author__username", "author__display_name", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["author", "countries", "themes", "tags"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "import_key"]
    fieldsets = (
        (None, {"fields": ["kind", "title", "slug", "lead", "body_source", "language"]}),
        (_("Authorship"), {"fields": ["author", "byline"]}),
        (_("Classification"), {"fields": ["countries", "themes", "tags"]}),
        (_("Publication"), {"fields": ["status", "published_at", "is_featured"]}),
        (_("History"), {"fields": ["created_at", "updated_at", "import_key"]}),
    )

    def save_model(self, request, obj, form, change) -> None:
        # The admin edits the Markdown source; the stored HTML is rendered (with the article's images)
        # and sanitised by the same function as every other path.
        obj.body_html = article_body_render(obj)
        super().save_model(request, obj, form, change)
