"""Public knowledge pages: the actor page and the regional timeline."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import selectors
from .models import Entity, ReviewStatus


def entity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entity = get_object_or_404(Entity.objects.exclude(status=ReviewStatus.REJECTED), slug=slug)
    if entity.merged_into_id:
        return redirect(entity.merged_into, permanent=True)
    articles, documents = selectors.item_list_for_entity(entity=entity)
    return render(
        request,
        "knowledge/entity_detail.html",
        {
            "entity": entity,
            "aliases": [a.name for a in entity.aliases.all() if a.name != entity.name],
            "articles": articles,
            "documents": documents,
            **selectors.entity_profile(entity=entity),
        },
    )


def timeline(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/timeline.html")
