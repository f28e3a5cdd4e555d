from django.urls import path, re_path

from . import views

app_name = "library"

urlpatterns = [
    path("bibliotheque/", views.document_list, name="document_list"),
    path("bibliotheque/<slug:slug>/", views.document_detail, name="document_detail"),
    re_path(
        r"^bibliotheque/(?P<slug>[-a-zA-Z0-9_]+)/citation\.(?P<fmt>bib|ris|json)$",
        views.document_cite,
        name="document_cite",
    ),
]

# Outside the language prefix (one address for harvesters): steppe/urls.py includes this list
# at the root, before i18n_patterns, under the namespace "oai" (reverse("oai:endpoint")).
oai_urlpatterns = [
    path("oai", views.oai, name="endpoint"),
]
