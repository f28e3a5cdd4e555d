"""Editors' curation of the registry: confirm, rename, merge, split, reject (all through services)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Entity, EntityAlias, Event, ItemAnalysis, ItemCountry, Mention, ReviewStatus
from .selectors import entity_generated_description
from .services import (
    KnowledgeError,
    entity_confirm,
    entity_merge,
    entity_reject,
    entity_rename,
    entity_split,
)


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    extra = 0
    fields = ["name", "key", "origin"]
    readonly_fields = ["key", "origin"]


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("Keep this entity"))

    def __init__(self, *args, entities: QuerySet[Entity], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = entities


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "mention_count", "merged_into", "updated_at"]
    list_filter = ["kind", "status", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["name", "key", "aliases__name"]
    readonly_fields = ["key", "mention_count", "merged_into", "created_at", "updated_at",
                       "generated_description"]  # fmt: skip
    fields = ["kind", "name", "slug", "description", "generated_description", "country", "status",
              "key", "merged_into", "mention_count", "created_at", "updated_at"]  # fmt: skip
    autocomplete_fields = ["country"]
    inlines = [EntityAliasInline]
    actions = ["confirm", "reject", "merge"]

    def save_model(self, request, obj: Entity, form, change) -> None:
        # A renamed entity keeps its old name as an alias: go through the service.
        if change and "name" in form.changed_data:
            new_name = obj.name
            obj.name = form.initial["name"]
            super().save_model(request, obj, form, change)
            entity_rename(entity=obj, name=new_name)
        else:
            super().save_model(request, obj, form, change)

    @admin.display(description=_("generated description"))
    def generated_description(self, obj: Entity) -> str:
        """What the actor page shows while the description above is empty."""
        if obj.pk is None:
            return "–"
        return entity_generated_description(entity=obj) or "–"

    @admin.action(description=_("Confirm selected entities"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[Entity]) -> None:
        for entity in queryset:
            entity_confirm(entity=entity)
        self.message_user(request, _("Entities confirmed."), messages.SUCCESS)

    @admin.action(description=_("Reject selected entities (never linked again)"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Entity]) -> None:
        for entity in queryset:
            entity_reject(entity=entity)
        self.message_user(request, _("Entities rejected."), messages.SUCCESS)

    @admin.action(description=_("Merge selected entities into one"))
    def merge(self, request: HttpRequest, queryset: QuerySet[Entity]) -> HttpResponse | None:
        entities = queryset.filter(merged_into__isnull=True)
        if len({entity.kind for entity in entities}) != 1 or entities.count() < 2:
            self.message_user(
                request, _("Choose at least two entities of the same kind."), messages.ERROR
            )
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, entities=entities)
        if form.is_valid():
            target = form.cleaned_data["target"]
            count = 0
            for source in entities.exclude(pk=target.pk):
                entity_merge(source=source, target=target)
                count += 1
            self.message_user(
                request,
                ngettext("%(count)d entity merged.", "%(count)d entities merged.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        return render(
            request,
            "admin/knowledge/entity_merge.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "entities": entities,
                "title": _("Merge entities"),
                "opts": self.model._meta,
            },
        )


class SplitForm(forms.Form):
    name = forms.CharField(label=_("Name of the new entity"), max_length=255)


@admin.register(EntityAlias)
class EntityAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "entity", "key", "origin"]
    search_fields = ["name", "key", "entity__name"]
    list_select_related = ["entity"]
    autocomplete_fields = ["entity"]
    actions = ["split"]

    @admin.action(description=_("Split selected aliases into a new entity"))
    def split(self, request: HttpRequest, queryset: QuerySet[EntityAlias]) -> HttpResponse | None:
        aliases = list(queryset.select_related("entity"))
        if len({alias.entity_id for alias in aliases}) != 1:
            self.message_user(request, _("Choose aliases of one entity."), messages.ERROR)
            return None
        form = SplitForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                entity_split(
                    entity=aliases[0].entity, aliases=aliases, name=form.cleaned_data["name"]
                )
            except KnowledgeError:
                self.message_user(request, _("This entity could not be split."), messages.ERROR)
                return None
            self.message_user(request, _("New entity created."), messages.SUCCESS)
            return None
        return render(
            request,
            "admin/knowledge/entity_split.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "aliases": aliases,
                "title": _("Split an entity"),
                "opts": self.model._meta,
            },
        )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["date_value", "summary", "is_future_target", "status", "article", "document"]
    list_filter = ["status", "is_future_target", "precision", "countries"]
    search_fields = ["summary", "sentence"]
    list_select_related = ["article", "document"]
    raw_id_fields = ["article", "document", "place"]
    autocomplete_fields = ["countries", "entities"]
    readonly_fields = ["fingerprint", "sentence_start", "sentence_end"]
    actions = ["confirm", "reject"]

    @admin.action(description=_("Confirm selected events"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        queryset.update(status=ReviewStatus.CONFIRMED)

    @admin.action(description=_("Reject selected events"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        queryset.update(status=ReviewStatus.REJECTED)

    def save_model(self, request, obj: Event, form, change) -> None:
        # An event an editor edited is theirs: extraction will not replace it.
        if obj.status == ReviewStatus.AUTO:
            obj.status = ReviewStatus.CONFIRMED
        super().save_model(request, obj, form, change)


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["surface", "entity", "article", "document", "origin"]
    list_select_related = ["entity", "article", "document"]
    search_fields = ["surface", "entity__name"]
    raw_id_fields = ["entity", "article", "document"]


@admin.register(ItemCountry)
class ItemCountryAdmin(admin.ModelAdmin):
    list_display = ["country", "article", "document", "mention_count", "origin", "status"]
    list_filter = ["status", "origin", "country"]
    list_select_related = ["country", "article", "document"]
    raw_id_fields = ["article", "document"]


@admin.register(ItemAnalysis)
class ItemAnalysisAdmin(admin.ModelAdmin):
    list_display = ["__str__", "language", "extracted_at", "duration_ms", "extractor_version"]
    list_filter = ["language", "extractor_version"]
    list_select_related = ["article", "document"]
    raw_id_fields = ["article", "document"]
    readonly_fields = ["notes", "text_hash", "extracted_at", "duration_ms", "language_reason"]
