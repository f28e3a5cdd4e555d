"""Template helpers of the search page, and the "related items" block for item pages."""

from urllib.parse import urlencode

from django import template
from django.http import QueryDict

from steppe.search.selectors import related_items

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_toggle_url(context: template.Context, name: str, value: str) -> str:
    """The current search with `value` of facet `name` switched on or off, back to page 1."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    values = params.getlist(name)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    params.setlist(name, values)
    params.pop("page", None)
    return "?" + urlencode(list(params.lists()), doseq=True)


@register.inclusion_tag("search/partials/related.html")
def related_to(item, limit: int = 4) -> dict:
    """Published items related to an article or a document: {% related_to article %}."""
    item_type = "document" if item._meta.model_name == "document" else "article"
    return {"hits": related_items(item_type=item_type, object_id=item.pk, limit=limit)}
