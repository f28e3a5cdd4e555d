"""Knowledge pages: actors, the regional timeline, and the editor's suggestions."""

from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("acteurs/<slug:slug>/", views.entity_detail, name="entity_detail"),
    path("chronologie/", views.timeline, name="timeline"),
    path("contribuer/suggestions/", views.editor_suggestions, name="editor_suggestions"),
]
