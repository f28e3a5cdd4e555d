"""The contributors' side: dashboard, editor with preview and images, submission, revisions.

Every view looks articles up among the requesting user's own (`Article.objects.filter(author=…)`):
another contributor's article is a 404, never a 403 that would confirm it exists.
"""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steppe.core.models import PublicationStatus
from steppe.core.text import render_markdown

from . import services
from .decorators import login_required_keeping_post
from .forms import ArticleForm, ImageUploadForm
from .models import Article, ArticleRevision


def _own_article(request: HttpRequest, pk: int) -> Article:
    return get_object_or_404(Article.objects.filter(author=request.user), pk=pk)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    articles = list(
        Article.objects.filter(author=request.user)
        .defer("body_source", "body_html")
        .order_by("-updated_at")
    )
    pending_edits = set(
        ArticleRevision.objects.filter(
            article__author=request.user, state=ArticleRevision.State.PENDING
        ).values_list("article_id", flat=True)
    )
    sections = [
        {
            "status": status,
            "label": PublicationStatus(status).label,
            "articles": [a for a in articles if a.status == status],
        }
        for status in PublicationStatus  # the dashboard follows the workflow's order
    ]
    return render(
        request,
        "publishing/contrib/dashboard.html",
        {"sections": sections, "pending_edits": pending_edits},
    )


def _restore_stash(request: HttpRequest) -> QueryDict | None:
    """Form data kept when the session had expired at the moment of sending (see decorators)."""
    stash = request.session.get("stashed_form")
    if not stash or stash.get("path") != request.path:
        return None
    del request.session["stashed_form"]
    data = QueryDict(mutable=True)
    for key, values in stash["data"].items():
        data.setlist(key, values)
    messages.info(request, _("Your text was kept while you signed in again: check it and save."))
    return data


def _preview_html(form: ArticleForm, article: Article | None) -> str:
    source = form.data.get("body_source", "")
    if article is not None:
        preview = Article(pk=article.pk, body_source=source)
        return services.article_body_render(preview)
    return render_markdown(source)


@login_required_keeping_post
def article_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else _restore_stash(request)
    form = ArticleForm(data) if data is not None else ArticleForm()
    preview = None
    if request.method == "POST":
        if "preview" in request.POST:
            preview = _preview_html(form, None)
        elif form.is_valid():
            try:
                article = services.article_draft_save(
                    author=request.user,
                    data=form.article_data(),
                    form_token=form.cleaned_data["form_token"],
                )
            except (services.PublishingError, ValidationError) as error:
                form.add_error(
                    None, error.messages if isinstance(error, ValidationError) else str(error)
                )
            else:
                messages.success(request, _("Draft saved."))
                return redirect(article.get_edit_url())
    return render(
        request,
        "publishing/contrib/article_form.html",
        {"form": form, "article": None, "preview": preview},
    )


@login_required_keeping_post
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _own_article(request, pk)
    is_live = article.status == PublicationStatus.PUBLISHED
    data = request.POST if request.method == "POST" else _restore_stash(request)
    form = (
        ArticleForm(data)
        if data is not None
        else ArticleForm(initial=ArticleForm.initial_for(article))
    )
    preview = None
    if request.method == "POST":
        if "preview" in request.POST:
            preview = _preview_html(form, article)
        elif form.is_valid():
            try:
                if is_live:
                    revision = services.article_edit_propose(
                        article=article, by=request.user, data=form.article_data()
                    )
                    if revision.state == ArticleRevision.State.APPLIED:
                        messages.success(request, _("Your changes are online."))
                    else:
                        messages.success(
                            request,
                            _(
                                "Your changes were sent to the editors; the published version stays online meanwhile."
                            ),
                        )
                else:
                    services.article_draft_save(
                        author=request.user, article=article, data=form.article_data()
                    )
                    if "submit" in request.POST:
                        services.article_submit(article=article, by=request.user)
                        messages.success(request, _("Your article was sent to the editors."))
                        return redirect("publishing:dashboard")
                    messages.success(request, _("Draft saved."))
            except services.PublishingError as error:
                form.add_error(None, str(error))
            else:
                return redirect(article.get_edit_url())
    return _render_editor(request, article, form, preview=preview)


def _render_editor(
    request: HttpRequest,
    article: Article,
    form: ArticleForm,
    *,
    preview: str | None = None,
    image_form: ImageUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "publishing/contrib/article_form.html",
        {
            "form": form,
            "article": article,
            "preview": preview,
            "is_live": article.status == PublicationStatus.PUBLISHED,
            "images": list(article.images.all()),
            "image_form": image_form or ImageUploadForm(),
            "pending_edit": article.revisions.filter(state=ArticleRevision.State.PENDING).first(),
        },
        status=status,
    )


@login_required
@require_POST
def article_preview(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """HTMX: the body rendered as it will be published."""
    article = _own_article(request, pk) if pk else None
    return render(
        request,
        "publishing/contrib/partials/preview.html",
        {"preview": _preview_html(ArticleForm(request.POST), article)},
    )


@login_required
@require_POST
def article_autosave(request: HttpRequest) -> HttpResponse:
    """HTMX: save the draft in the background; a new article is created once, keyed by its form token."""
    form = ArticleForm(request.POST)
    pk = request.POST.get("article")
    article = _own_article(request, int(pk)) if pk and pk.isdigit() else None
    if article is not None and article.status == PublicationStatus.PUBLISHED:
        return render(request, "publishing/contrib/partials/autosave.html", {"state": "live"})
    if not form.is_valid():
        return render(request, "publishing/contrib/partials/autosave.html", {"state": "invalid"})
    try:
        article = services.article_draft_save(
            author=request.user,
            article=article,
            data=form.article_data(),
            form_token=None if article else form.cleaned_data["form_token"],
            revision=False,
        )
    except services.PublishingError:
        # A stale tab: its form token now belongs to an article that is no longer a draft.
        return render(request, "publishing/contrib/partials/autosave.html", {"state": "live"})
    return render(
        request, "publishing/contrib/partials/autosave.html", {"state": "saved", "article": article}
    )


@login_required
@require_POST
def article_image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    article = _own_article(request, pk)
    form = ImageUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = services.article_image_add(
                article=article,
                by=request.user,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
            )
        except ValidationError as error:
            form.add_error("image", error)
        else:
            messages.success(
                request,
                _("Image added. Paste this line where it should appear: %(code)s")
                % {"code": image.markdown},
            )
            return redirect(article.get_edit_url() + "#images")
    # Errors next to the file field, caption and credit kept; the article form shows the saved text.
    article_form = ArticleForm(initial=ArticleForm.initial_for(article))
    return _render_editor(request, article, article_form, image_form=form, status=400)


@login_required
@require_POST
def article_submit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _own_article(request, pk)
    try:
        services.article_submit(article=article, by=request.user)
    except services.PublishingError as error:
        messages.error(request, str(error))
        return redirect(article.get_edit_url())
    messages.success(request, _("Your article was sent to the editors."))
    return redirect("publishing:dashboard")


@login_required
@require_POST
def article_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    article = _own_article(request, pk)
    try:
        services.article_withdraw(article=article, by=request.user)
    except services.PublishingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The article was withdrawn."))
    return redirect("publishing:dashboard")


def revision_diff(old: ArticleRevision | None, new: ArticleRevision) -> list[dict]:
    """Line diffs of each field between two revisions (the older one may be None)."""
    fields = [
        ("title", _("Title")),
        ("lead", _("Lead")),
        ("body_source", _("Body")),
        ("kind", _("Kind")),
        ("countries", _("Countries")),
        ("themes", _("Themes")),
        ("tags", _("Tags")),
        ("sources", _("Sources")),
    ]
    changes = []
    for key, label in fields:
        before = old.data.get(key, "") if old else ""
        after = new.data.get(key, "")
        if isinstance(before, list):
            before, after = ", ".join(before), ", ".join(after)
        if before == after:
            continue
        lines = list(
            difflib.unified_diff(
                str(before).splitlines(), str(after).splitlines(), lineterm="", n=2
            )
        )[2:]
        changes.append({"label": label, "lines": lines})
    return changes


def revisions_view(request: HttpRequest, article: Article, template: str) -> HttpResponse:
    revisions = list(article.revisions.select_related("created_by").order_by("-number"))
    by_number = {r.number: r for r in revisions}

    def pick(name: str) -> ArticleRevision | None:
        value = request.GET.get(name, "")
        return by_number.get(int(value)) if value.isdigit() else None

    # By default: the latest version against the one before it.
    b = pick("b") or (revisions[0] if revisions else None)
    a = pick("a") or (by_number.get(b.number - 1) if b else None)
    diff = revision_diff(a, b) if b else []
    return render(
        request,
        template,
        {"article": article, "revisions": revisions, "a": a, "b": b, "diff": diff},
    )


@login_required
def article_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    return revisions_view(request, _own_article(request, pk), "publishing/contrib/revisions.html")
