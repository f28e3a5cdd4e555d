from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("bibliotheque/", views.document_list, name="document_list"),
    path("bibliotheque/<slug:slug>/", views.document_detail, name="document_detail"),
]
