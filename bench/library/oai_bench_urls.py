"""The project's URLs plus /oai, as steppe/urls.py includes it."""

from django.urls import include, path

from steppe.library.urls import oai_urlpatterns
from steppe.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include((oai_urlpatterns, "oai"))), *project_urlpatterns]
