from django.urls import path

from . import token_views, views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile_edit, name="profile_edit"),
    path("export/", views.data_export, name="data_export"),
    path("suppression/", views.account_delete, name="account_delete"),
    path("jetons/", token_views.api_token_list, name="api_tokens"),
    path("jetons/nouveau/", token_views.api_token_create, name="api_token_create"),
    path("jetons/<int:pk>/revoquer/", token_views.api_token_revoke, name="api_token_revoke"),
]
