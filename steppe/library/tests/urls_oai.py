"""The project's URLs plus the OAI-PMH endpoint at /oai, as steppe/urls.py will include it."""

from django.urls import include, path

from steppe.library.urls import oai_urlpatterns
from steppe.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("", include((oai_urlpatterns, "oai"))),
    *project_urlpatterns,
]
