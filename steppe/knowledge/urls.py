"""Knowledge pages: actors and the regional timeline."""

from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("acteurs/<slug:slug>/", views.entity_detail, name="entity_detail"),
    path("chronologie/", views.timeline, name="timeline"),
]
