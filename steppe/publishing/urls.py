from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("types/<slug:kind_slug>/", views.kind_detail, name="kind_detail"),
    path("pays/<slug:slug>/", views.country_detail, name="country_detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
    path("auteurs/<str:username>/", views.author_detail, name="author_detail"),
]
