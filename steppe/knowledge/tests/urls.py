"""The site's URLs plus a test-only editor page that includes the suggestions the way the article
editor template is meant to (`{% include "knowledge/editor_suggestions.html" %}` inside its form)."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from steppe.urls import urlpatterns as site_urlpatterns

PAGE = """{% extends "base.html" %}{% block content %}
<form method="post" id="editor" action="">{% csrf_token %}
  {{ form.as_div }}
  {% include "knowledge/editor_suggestions.html" %}
  <button type="submit">Save</button>
</form>{% endblock content %}"""


def editor_page(request: HttpRequest) -> HttpResponse:
    from steppe.publishing.forms import ArticleForm

    initial = {"title": request.GET.get("title", ""), "body_source": request.GET.get("body", "")}
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"form": ArticleForm(initial=initial)}, request))


urlpatterns = [
    path("test-editeur/", editor_page),
    *site_urlpatterns,
]
