from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile_edit, name="profile_edit"),
    path("export/", views.data_export, name="data_export"),
    path("suppression/", views.account_delete, name="account_delete"),
]
