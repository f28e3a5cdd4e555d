from django.contrib import admin

from .models import Country, Region, Tag, Theme


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "name_ru", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "name_en", "name_ru"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = [
        "name_fr",
        "name_fr_article",
        "code",
        "name_en",
        "name_ru",
        "region",
        "is_focus",
    ]
    list_filter = ["is_focus", "region"]
    list_select_related = ["region"]
    search_fields = ["name_fr", "name_en", "name_ru", "code"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "name_ru", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "name_en", "name_ru"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
