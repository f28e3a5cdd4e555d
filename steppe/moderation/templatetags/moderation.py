"""`{% moderation_notices user %}`: what moderation decided about a contributor, for the dashboard.

The dashboard belongs to publishing, which does not import moderation; the template asks for this
panel instead. A fixed number of queries, whatever the number of items.
"""

from datetime import timedelta

from django import template
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.utils import timezone

from steppe.core.models import PublicationStatus
from steppe.library.models import Document
from steppe.moderation.models import Appeal, AuditEvent, ReportCase, Sanction
from steppe.moderation.services import REFUSAL_APPEAL_DAYS
from steppe.moderation.tokens import appeal_url
from steppe.publishing.models import Article

register = template.Library()

DECISIONS_SHOWN = 20


REFUSALS_SHOWN = 10


def _appealable_refusals(user) -> list:
    """The contributor's refused articles and documents whose refusal can still be appealed, each
    with `appeal_kind` for the link (a fixed number of queries)."""
    since = timezone.now() - timedelta(days=REFUSAL_APPEAL_DAYS)
    items = [
        *Article.objects.filter(author=user, status=PublicationStatus.REFUSED)
        .only("pk", "title", "slug", "updated_at")
        .order_by("-updated_at")[:REFUSALS_SHOWN],
        *Document.objects.filter(contributor=user, status=PublicationStatus.REFUSED)
        .only("pk", "title", "slug", "updated_at")
        .order_by("-updated_at")[:REFUSALS_SHOWN],
    ]
    if not items:
        return []
    types = ContentType.objects.get_for_models(Article, Document)
    keys = Q()
    for item in items:
        keys |= Q(content_type=types[type(item)], object_id=item.pk)
    refused_at = {
        (row["content_type"], row["object_id"]): row["last"]
        for row in AuditEvent.objects.filter(keys, action=AuditEvent.Action.REFUSED)
        .values("content_type", "object_id")
        .annotate(last=Max("created_at"))
        .order_by()
    }
    appealed = {
        (row["refused_type"], row["refused_id"]): row["last"]
        for row in Appeal.objects.filter(
            refused_id__in=[item.pk for item in items], refused_type__in=types.values()
        )
        .values("refused_type", "refused_id")
        .annotate(last=Max("created_at"))
        .order_by()
    }
    shown = []
    for item in items:
        key = (types[type(item)].pk, item.pk)
        refused = refused_at.get(key)
        if refused is None or refused < since:
            continue
        last_appeal = appealed.get(key)
        if last_appeal is not None and last_appeal >= refused:
            continue  # already appealed since this refusal
        item.appeal_kind = "article" if isinstance(item, Article) else "document"
        item.refused_at = refused
        shown.append(item)
    return sorted(shown, key=lambda item: item.refused_at, reverse=True)


@register.inclusion_tag("moderation/partials/notices.html")
def moderation_notices(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"sanctions": [], "cases": [], "refusals": []}
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
    return {"sanctions": sanctions, "cases": cases, "refusals": _appealable_refusals(user)}


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
