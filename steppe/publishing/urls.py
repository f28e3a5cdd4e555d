from django.urls import path

from . import contrib_views, editorial_views, views

app_name = "publishing"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("types/<slug:kind_slug>/", views.kind_detail, name="kind_detail"),
    path("pays/<slug:slug>/", views.country_detail, name="country_detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
    path("auteurs/<str:username>/", views.author_detail, name="author_detail"),
    # Contributors
    path("tableau-de-bord/", contrib_views.dashboard, name="dashboard"),
    path("contribuer/articles/nouveau/", contrib_views.article_new, name="article_new"),
    path("contribuer/articles/apercu/", contrib_views.article_preview, name="article_preview_new"),
    path("contribuer/articles/brouillon/", contrib_views.article_autosave, name="article_autosave"),
    path("contribuer/articles/<int:pk>/", contrib_views.article_edit, name="article_edit"),
    path(
        "contribuer/articles/<int:pk>/apercu/",
        contrib_views.article_preview,
        name="article_preview",
    ),
    path(
        "contribuer/articles/<int:pk>/images/",
        contrib_views.article_image_upload,
        name="article_image_upload",
    ),
    path(
        "contribuer/articles/<int:pk>/soumettre/",
        contrib_views.article_submit,
        name="article_submit",
    ),
    path(
        "contribuer/articles/<int:pk>/retirer/",
        contrib_views.article_withdraw,
        name="article_withdraw",
    ),
    path(
        "contribuer/articles/<int:pk>/versions/",
        contrib_views.article_revisions,
        name="article_revisions",
    ),
    # The first review queue, retired: its addresses redirect to /moderation/ (see editorial_views).
    path("redaction/", editorial_views.review_queue, name="review_queue"),
    path("redaction/articles/<int:pk>/", editorial_views.review_article, name="review_article"),
    path(
        "redaction/articles/<int:pk>/versions/",
        editorial_views.review_revisions,
        name="review_revisions",
    ),
    *[
        path(f"redaction/articles/<int:pk>/{action}/", editorial_views.review_article, name=name)
        for action, name in [
            ("publier", "review_publish"),
            ("refuser", "review_refuse"),
            ("retirer", "review_withdraw"),
        ]
    ],
    *[
        path(
            f"redaction/modifications/<int:pk>/{action}/",
            editorial_views.review_revision,
            name=name,
        )
        for action, name in [
            ("appliquer", "review_revision_apply"),
            ("refuser", "review_revision_reject"),
        ]
    ],
]
