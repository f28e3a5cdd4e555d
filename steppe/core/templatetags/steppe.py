"""Template helpers shared by every page."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: template.Context, language: str) -> str:
    """The current page's URL in another interface language (for the language links)."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)
