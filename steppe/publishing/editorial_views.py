"""The first review queue (`/redaction/`), retired: its addresses redirect to `/moderation/`.

Decisions are taken in the moderation app (filters, reason templates, requests for changes, audit
log). The old addresses keep the editors-only check, so a contributor still gets a 403 and a
visitor the sign-in page; nothing is decided here any more, whatever the method.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from .models import ArticleRevision


def review_required(view):
    """Signed-out visitors go to the sign-in page; signed-in non-editors get a 403."""
    return login_required(
        permission_required("publishing.review_article", raise_exception=True)(view)
    )


@review_required
def review_queue(request: HttpRequest, **kwargs) -> HttpResponse:
    return HttpResponsePermanentRedirect(reverse("moderation:queue"))


@review_required
def review_article(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponsePermanentRedirect(reverse("moderation:review", args=[pk]))


@review_required
def review_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return HttpResponsePermanentRedirect(reverse("moderation:article_revisions", args=[pk]) + query)


@review_required
def review_revision(request: HttpRequest, pk: int) -> HttpResponse:
    article_id = ArticleRevision.objects.filter(pk=pk).values_list("article_id", flat=True).first()
    if article_id is None:
        return HttpResponsePermanentRedirect(reverse("moderation:queue"))
    return HttpResponsePermanentRedirect(reverse("moderation:review", args=[article_id]))
