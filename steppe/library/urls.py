from django.urls import path, re_path

from . import contrib_views, views

app_name = "library"

urlpatterns = [
    path("bibliotheque/", views.document_list, name="document_list"),
    path("bibliotheque/<slug:slug>/", views.document_detail, name="document_detail"),
    path(
        "bibliotheque/<slug:slug>/telecharger/",
        views.document_download,
        name="document_download",
    ),
    path(
        "bibliotheque/<slug:slug>/versions/<int:number>/telecharger/",
        views.document_version_download,
        name="document_version_download",
    ),
    # Contributors
    path("contribuer/documents/", contrib_views.document_list, name="contrib_document_list"),
    path("contribuer/documents/nouveau/", contrib_views.document_new, name="contrib_document_new"),
    path(
        "contribuer/documents/<int:pk>/",
        contrib_views.document_edit,
        name="contrib_document_edit",
    ),
    path(
        "contribuer/documents/<int:pk>/fichier/",
        contrib_views.version_add,
        name="contrib_version_add",
    ),
    path(
        "contribuer/documents/<int:pk>/chapitres/",
        contrib_views.chapters_save,
        name="contrib_chapters_save",
    ),
    path(
        "contribuer/documents/<int:pk>/etat/",
        contrib_views.intake_status,
        name="contrib_intake_status",
    ),
    path(
        "contribuer/documents/<int:pk>/soumettre/",
        contrib_views.document_submit,
        name="contrib_document_submit",
    ),
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
