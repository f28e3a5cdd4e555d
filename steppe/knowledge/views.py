"""Knowledge pages: the actor page, the regional timeline, and the editor's suggestion fragment."""

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import conf, selectors
from .models import Entity, ReviewStatus

# The editor form's fields the suggestions read (`text` for a page that posts the text alone).
SUGGESTION_TEXT_FIELDS = ("title", "lead", "body_source", "text")
SUGGESTION_MAX_CHARS = 250_000


def entity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entity = get_object_or_404(Entity.objects.exclude(status=ReviewStatus.REJECTED), slug=slug)
    if entity.merged_into_id:
        return redirect(entity.merged_into, permanent=True)
    articles, documents = selectors.item_list_for_entity(entity=entity)
    if not articles and not documents:
        # Named only in drafts or scheduled items: the page would reveal them before publication.
        raise Http404
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


def _suggestions_rate_limited(request: HttpRequest) -> bool:
    """Count this request against the user (fixed window in the cache, as moderation's reports do)."""
    limit, window = conf.suggestion_rate_limit()
    key = f"knowledge:suggestions:{request.user.pk}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache is down
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def suggestion_context(data) -> dict:
    """Suggestions for the editor form's data (a QueryDict, or a dict of the form's initial values)."""
    getlist = data.getlist if hasattr(data, "getlist") else lambda name: data.get(name) or []
    text = "\n\n".join(str(data.get(name) or "") for name in SUGGESTION_TEXT_FIELDS)
    return selectors.editor_suggestions(
        text=text[:SUGGESTION_MAX_CHARS],
        chosen_countries={str(getattr(v, "pk", v)) for v in getlist("countries")},
        chosen_themes={str(getattr(v, "pk", v)) for v in getlist("themes")},
        tags=str(data.get("tags") or ""),
    )


@never_cache
@require_POST
def editor_suggestions(request: HttpRequest) -> HttpResponse:
    """HTML fragment: countries, themes and tags suggested from a draft's text (the editor form posted
    as is). Signed-in contributors only (403, not a sign-in redirect: it is fetched by script); CSRF
    checked by the middleware; rate-limited per user."""
    if not request.user.is_authenticated or not request.user.is_active:
        return HttpResponse(status=403)
    if _suggestions_rate_limited(request):
        return render(
            request, "knowledge/partials/suggestion_list.html", {"rate_limited": True}, status=429
        )
    return render(
        request, "knowledge/partials/suggestion_list.html", suggestion_context(request.POST)
    )
