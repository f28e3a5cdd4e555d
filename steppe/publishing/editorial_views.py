"""The editors' side: the review queue and decisions (publish, refuse with a reason, apply an edit).

A first, plain queue; the Moderation issue turns it into the full review tool (filters, templates of
reasons, reports, audit log).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steppe.core.models import PublicationStatus

from . import services
from .contrib_views import revision_diff, revisions_view
from .forms import DecisionForm
from .models import Article, ArticleRevision


def review_required(view):
    """Signed-out visitors go to the sign-in page; signed-in non-editors get a 403."""
    return login_required(
        permission_required("publishing.review_article", raise_exception=True)(view)
    )


@review_required
def review_queue(request: HttpRequest) -> HttpResponse:
    submitted = list(
        Article.objects.filter(status=PublicationStatus.SUBMITTED)
        .select_related("author")
        .defer("body_source", "body_html")
        .order_by("submitted_at", "id")
    )
    edits = list(
        ArticleRevision.objects.filter(state=ArticleRevision.State.PENDING)
        .select_related("article", "created_by")
        .defer("article__body_source", "article__body_html")
        .order_by("created_at")
    )
    return render(
        request, "publishing/editorial/queue.html", {"submitted": submitted, "edits": edits}
    )


@review_required
def review_article(request: HttpRequest, pk: int) -> HttpResponse:
    # Drafts belong to their authors until they are submitted: editors do not read them.
    article = get_object_or_404(
        Article.objects.select_related("author").exclude(status=PublicationStatus.DRAFT), pk=pk
    )
    return _review_page(request, article, DecisionForm())


def _review_page(
    request: HttpRequest, article: Article, form: DecisionForm, status: int = 200
) -> HttpResponse:
    pending = article.revisions.filter(state=ArticleRevision.State.PENDING).first()
    diff = None
    if pending is not None:
        live = services.ArticleData.from_article(article)
        diff = revision_diff(ArticleRevision(data=live.as_json()), pending)
    return render(
        request,
        "publishing/editorial/review.html",
        {"article": article, "pending": pending, "diff": diff, "form": form},
        status=status,
    )


@review_required
@require_POST
def review_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk, status=PublicationStatus.SUBMITTED)
    services.article_publish(article=article, by=request.user)
    messages.success(request, _("“%(title)s” is published.") % {"title": article.title})
    return redirect("publishing:review_queue")


@review_required
@require_POST
def review_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk, status=PublicationStatus.SUBMITTED)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.article_refuse(
                article=article, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.PublishingError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request,
                _("“%(title)s” is refused; the author was told why.") % {"title": article.title},
            )
            return redirect("publishing:review_queue")
    return _review_page(request, article, form, status=400)


@review_required
@require_POST
def review_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk, status=PublicationStatus.PUBLISHED)
    services.article_withdraw(article=article, by=request.user)
    messages.success(request, _("“%(title)s” was withdrawn.") % {"title": article.title})
    return redirect("publishing:review_queue")


@review_required
@require_POST
def review_revision_apply(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(ArticleRevision, pk=pk, state=ArticleRevision.State.PENDING)
    services.revision_apply(revision=revision, by=request.user)
    messages.success(request, _("The edit is online."))
    return redirect("publishing:review_queue")


@review_required
@require_POST
def review_revision_reject(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article"),
        pk=pk,
        state=ArticleRevision.State.PENDING,
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.revision_reject(
            revision=revision, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The edit was turned down; the author was told why."))
        return redirect("publishing:review_queue")
    return _review_page(request, revision.article, form, status=400)


@review_required
def review_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    return revisions_view(
        request, get_object_or_404(Article, pk=pk), "publishing/contrib/revisions.html"
    )
