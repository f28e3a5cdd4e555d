"""`{% moderation_notices user %}`: what moderation decided about a contributor, for the dashboard.

The dashboard belongs to publishing, which does not import moderation; the template asks for this
panel instead. Two queries, whatever the number of items.
"""

from django import template
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from steppe.library.models import Document
from steppe.moderation.models import ReportCase, Sanction
from steppe.moderation.tokens import appeal_url
from steppe.publishing.models import Article

register = template.Library()

DECISIONS_SHOWN = 20


@register.inclusion_tag("moderation/partials/notices.html")
def moderation_notices(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"sanctions": [], "cases": []}
    sanctions = list(
        Sanction.objects.filter(account=user)
        .filter(Q(status=Sanction.Status.ACTIVE) | Q(kind=Sanction.Kind.WARNING))
        .order_by("-created_at")[:5]
    )
    for sanction in sanctions:
        sanction.appeal_url = appeal_url(sanction_id=sanction.pk, role="author", email=user.email)
    User = get_user_model()
    types = ContentType.objects.get_for_models(Article, Document, User)
    cases = list(
        ReportCase.objects.filter(decided_at__isnull=False)
        .filter(
            Q(
                content_type=types[Article],
                object_id__in=Article.objects.filter(author=user).values("pk"),
            )
            | Q(
                content_type=types[Document],
                object_id__in=Document.objects.filter(contributor=user).values("pk"),
            )
            | Q(content_type=types[User], object_id=user.pk)
        )
        .order_by("-decided_at")[:DECISIONS_SHOWN]
    )
    for case in cases:
        case.appeal_url = appeal_url(case_id=case.pk, role="author", email=user.email)
    return {"sanctions": sanctions, "cases": cases}


@register.simple_tag
def contributor_documents(user) -> list[Document]:
    """The contributor's library documents with their status and the editors' reason (one query).

    For the dashboard, which publishing renders without importing the library.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Document.objects.filter(contributor=user)
        .only("pk", "title", "slug", "status", "decision_reason", "updated_at")
        .order_by("-updated_at", "-id")
    )
