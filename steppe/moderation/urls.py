from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path(
        "signaler/<str:kind>/<int:pk>/",
        views.report_create,
        name="report_create",
    ),
    path("signalement-recu/", views.report_thanks, name="report_thanks"),
    path("transparence/", views.transparency_page, name="transparency"),
    path("transparence.csv", views.transparency_csv, name="transparency_csv"),
    # Editors
    path("", views.queue, name="queue"),
    path("articles/<int:pk>/", views.review, name="review"),
    path("articles/<int:pk>/versions/", views.article_revisions, name="article_revisions"),
    path("articles/<int:pk>/publier/", views.review_publish, name="review_publish"),
    path("articles/<int:pk>/refuser/", views.review_refuse, name="review_refuse"),
    path(
        "articles/<int:pk>/demander-modifications/",
        views.review_request_changes,
        name="review_request_changes",
    ),
    path("documents/<int:pk>/", views.document_review, name="document_review"),
    path("documents/<int:pk>/publier/", views.document_publish, name="document_publish"),
    path("documents/<int:pk>/refuser/", views.document_refuse, name="document_refuse"),
    path(
        "documents/<int:pk>/demander-modifications/",
        views.document_request_changes,
        name="document_request_changes",
    ),
    path("comptes/<int:pk>/", views.account_detail, name="account_detail"),
    path("comptes/<int:pk>/sanctionner/", views.account_sanction, name="account_sanction"),
    path("comptes/<int:pk>/confiance/", views.account_trust, name="account_trust"),
    path("sanctions/<int:pk>/lever/", views.sanction_lift, name="sanction_lift"),
    path("modifications/<int:pk>/appliquer/", views.edit_apply, name="edit_apply"),
    path("modifications/<int:pk>/refuser/", views.edit_reject, name="edit_reject"),
    path("signalements/", views.case_list, name="case_list"),
    path("signalements/<int:pk>/", views.case_detail, name="case_detail"),
    path("signalements/<int:pk>/decider/", views.case_decide, name="case_decide"),
    path("journal/", views.audit_log, name="audit_log"),
    path("recours/", views.appeal_list, name="appeal_list"),
    path("recours/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("recours/<int:pk>/decider/", views.appeal_decide, name="appeal_decide"),
    path("contester/<str:token>/", views.appeal_create, name="appeal_create"),
    path(
        "contester-refus/<str:kind>/<int:pk>/",
        views.refusal_appeal_create,
        name="refusal_appeal_create",
    ),
    path("recours-recu/", views.appeal_thanks, name="appeal_thanks"),
]
