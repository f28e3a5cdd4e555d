"""Knowledge fragments for other apps' templates: `{% load knowledge %}` then one tag.

- `{% knowledge_item_panel article %}` (or a document): the actors and events an item contains, linked.
- `{% knowledge_country_timeline country %}`: the country's events, filter by year and theme
  (`?annee=`, `?theme=`), paginated by `?chrono=`; no JavaScript.
- `{% knowledge_country_actors country %}`: the actors most mentioned with the country.
- `{% knowledge_editor_suggestions form %}` (or `{% include "knowledge/editor_suggestions.html" %}`):
  countries, themes and tags suggested from the article editor form's text, with knowledge/suggestions.js.
"""

from django import template

from steppe.knowledge import selectors

register = template.Library()


def _positive_int(value: str | None, default: int | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if 0 < number < 10_000 else default


@register.inclusion_tag("knowledge/partials/item_panel.html")
def knowledge_item_panel(item) -> dict:
    return {
        "entities": selectors.entity_list_for_item(item=item, limit=20),
        "events": selectors.event_list_for_item(item=item),
    }


@register.inclusion_tag("knowledge/partials/timeline.html", takes_context=True)
def knowledge_country_timeline(context, country=None) -> dict:
    request = context.get("request")
    query = request.GET if request is not None else {}
    year = _positive_int(query.get("annee"), None)
    theme = (query.get("theme") or "")[:100]
    page = _positive_int(query.get("chrono"), 1)
    events, has_next = selectors.event_timeline_page(
        country=country, year=year, theme_slug=theme, page=page
    )
    return {
        "country": country,
        "events": events,
        "years": selectors.event_years(country=country),
        "year": year,
        "theme": theme,
        "page": page,
        "has_next": has_next,
    }


@register.inclusion_tag("knowledge/partials/actors.html")
def knowledge_country_actors(country, limit: int = 10) -> dict:
    return {"entities": list(selectors.entity_list_for_country(country=country, limit=limit))}


@register.inclusion_tag("knowledge/partials/suggestions.html", takes_context=True)
def knowledge_editor_suggestions(context, form=None) -> dict:
    """The suggestions for the text the editor form holds (its bound data, else its initial values)."""
    from steppe.knowledge.views import suggestion_context

    data: object = {}
    if form is not None:
        data = form.data if form.is_bound else form.initial
    return {"csrf_token": context.get("csrf_token"), **suggestion_context(data)}
