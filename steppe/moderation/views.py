"""Moderation pages: the public report form, and the editors' queue, reports and audit log."""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steppe.core.models import PublicationStatus
from steppe.core.pagination import paginate
from steppe.library.models import Document
from steppe.publishing.contrib_views import revision_diff, revisions_view
from steppe.publishing.models import Article, ArticleRevision
from steppe.publishing.services import ArticleData

from . import conf, duplicates, selectors, services, transparency
from .forms import (
    AppealDecisionForm,
    AppealForm,
    CaseDecisionForm,
    LiftForm,
    QueueFilterForm,
    ReasonsForm,
    ReportForm,
    SanctionForm,
    TrustForm,
)
from .models import Appeal, AuditEvent, ReportCase, ReportCategory, Sanction
from .tokens import appeal_right_read

PER_PAGE = 50


def moderation_required(view):
    """Signed-out visitors go to the sign-in page; signed-in non-editors get a 403."""
    return login_required(
        permission_required("publishing.review_article", raise_exception=True)(view)
    )


# --- Readers' reports ------------------------------------------------------------------------


def _reported_item(kind: str, pk: int):
    if kind == "article":
        return get_object_or_404(Article.objects.published().select_related("author"), pk=pk)
    if kind == "document":
        return get_object_or_404(Document.objects.published(), pk=pk)
    if kind == "profile":
        return get_object_or_404(get_user_model(), pk=pk, is_active=True)
    raise Http404


def _rate_limited(request: HttpRequest) -> bool:
    """Count this report against the sender's IP address (fixed window in the cache)."""
    limit, window = conf.report_rate_limit()
    key = f"moderation:report-rate:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def report_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _reported_item(kind, pk)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            if _rate_limited(request):
                form.add_error(
                    None, _("You sent many reports in a short time. Please try again later.")
                )
                status = 429
            else:
                if not form.is_robot:
                    services.report_submit(
                        obj=item,
                        category=form.cleaned_data["category"],
                        explanation=form.cleaned_data["explanation"],
                        reporter_email=form.cleaned_data["reporter_email"],
                    )
                return redirect("moderation:report_thanks")
        else:
            status = 400
    else:
        form = ReportForm()
    return render(
        request,
        "moderation/report_form.html",
        {"form": form, "item": item, "item_url": item.get_absolute_url()},
        status=status,
    )


def report_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/report_thanks.html")


# --- Review queue ----------------------------------------------------------------------------


@moderation_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            kind=data["kind"],
            country=data["country"],
            author_kind=data["author_kind"],
            age_days=int(data["age"]) if data["age"] else None,
            flagged=data["flagged"],
        )
    submissions = paginate(
        selectors.submission_list_for_queue(filters=filters), request, per_page=PER_PAGE
    )
    flags = duplicates.near_duplicates_for(list(submissions.items))
    for article in submissions.items:
        article.near_duplicates = flags.get(article.pk, [])
    edits = list(selectors.edit_list_for_queue(filters=filters)[:PER_PAGE])
    edit_flags = duplicates.near_duplicates_for(edits)
    for revision in edits:
        revision.near_duplicates = edit_flags.get(revision.pk, [])
    documents = list(selectors.document_list_for_queue(filters=filters)[:PER_PAGE])
    document_flags = duplicates.near_duplicates_for(documents)
    for document in documents:
        document.near_duplicates = document_flags.get(document.pk, [])
    return render(
        request,
        "moderation/queue.html",
        {"form": form, "submissions": submissions, "edits": edits, "documents": documents},
    )


def _review_page(request, article: Article, form: ReasonsForm, status: int = 200) -> HttpResponse:
    pending = article.revisions.filter(state=ArticleRevision.State.PENDING).first()
    diff = None
    if pending is not None:
        live = ArticleData.from_article(article)
        diff = revision_diff(ArticleRevision(data=live.as_json()), pending)
    return render(
        request,
        "moderation/review.html",
        {
            "article": article,
            "pending": pending,
            "diff": diff,
            "form": form,
            "near_duplicates": duplicates.near_duplicates_for([article]).get(article.pk, []),
            "edit_near_duplicates": (
                duplicates.near_duplicates_for([pending]).get(pending.pk, []) if pending else []
            ),
        },
        status=status,
    )


@moderation_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    # Drafts belong to their authors until they are submitted: editors do not read them.
    article = get_object_or_404(
        Article.objects.select_related("author").exclude(status=PublicationStatus.DRAFT), pk=pk
    )
    return _review_page(request, article, ReasonsForm())


@moderation_required
def article_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    # Drafts belong to their authors until they are submitted: editors do not read them.
    article = get_object_or_404(Article.objects.exclude(status=PublicationStatus.DRAFT), pk=pk)
    return revisions_view(request, article, "publishing/contrib/revisions.html")


@moderation_required
@require_POST
def review_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk, status=PublicationStatus.SUBMITTED)
    services.submission_publish(article=article, by=request.user)
    messages.success(request, _("“%(title)s” is published.") % {"title": article.title})
    return redirect("moderation:queue")


def _review_reasons_decide(request: HttpRequest, pk: int, service, message: str):
    article = get_object_or_404(
        Article.objects.select_related("author"), pk=pk, status=PublicationStatus.SUBMITTED
    )
    form = ReasonsForm(request.POST)
    if form.is_valid():
        service(
            article=article,
            by=request.user,
            reasons=list(form.cleaned_data["reasons"]),
            text=form.cleaned_data["text"],
        )
        messages.success(request, message % {"title": article.title})
        return redirect("moderation:queue")
    return _review_page(request, article, form, status=400)


@moderation_required
@require_POST
def review_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_reasons_decide(
        request,
        pk,
        services.submission_refuse,
        _("“%(title)s” is refused; the author was told why."),
    )


@moderation_required
@require_POST
def review_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_reasons_decide(
        request,
        pk,
        services.submission_request_changes,
        _("“%(title)s” went back to its author with your message."),
    )


@moderation_required
@require_POST
def edit_apply(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article"),
        pk=pk,
        state=ArticleRevision.State.PENDING,
    )
    services.edit_apply(revision=revision, by=request.user)
    messages.success(request, _("The edit is online."))
    return redirect("moderation:queue")


@moderation_required
@require_POST
def edit_reject(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article", "article__author"),
        pk=pk,
        state=ArticleRevision.State.PENDING,
    )
    form = ReasonsForm(request.POST)
    if form.is_valid():
        services.edit_reject(
            revision=revision,
            by=request.user,
            reasons=list(form.cleaned_data["reasons"]),
            text=form.cleaned_data["text"],
        )
        messages.success(request, _("The edit was turned down; the author was told why."))
        return redirect("moderation:queue")
    return _review_page(request, revision.article, form, status=400)


# --- Review of library documents -------------------------------------------------------------


def _document_review_page(
    request, document: Document, form: ReasonsForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "moderation/document_review.html",
        {
            "document": document,
            "version": document.current_version,
            "form": form,
            "near_duplicates": duplicates.near_duplicates_for([document]).get(document.pk, []),
        },
        status=status,
    )


@moderation_required
def document_review(request: HttpRequest, pk: int) -> HttpResponse:
    # Drafts belong to their contributors until they are submitted: editors do not read them.
    document = selectors.document_get_for_review(pk=pk)
    return _document_review_page(request, document, ReasonsForm())


def _submitted_document(pk: int) -> Document:
    return get_object_or_404(
        Document.objects.select_related("contributor").defer("text_content"),
        pk=pk,
        status=PublicationStatus.SUBMITTED,
    )


def _document_decided(request, document: Document, message: str) -> HttpResponse:
    messages.success(request, message % {"title": document.title})
    return redirect("moderation:queue")


@moderation_required
@require_POST
def document_publish(request: HttpRequest, pk: int) -> HttpResponse:
    document = _submitted_document(pk)
    try:
        services.document_submission_publish(document=document, by=request.user)
    except services.ModerationError as error:
        messages.error(request, str(error))
        return redirect("moderation:document_review", pk=pk)
    return _document_decided(request, document, _("“%(title)s” is published in the library."))


def _document_reasons_decide(request: HttpRequest, pk: int, service, message: str):
    document = _submitted_document(pk)
    form = ReasonsForm(request.POST)
    if form.is_valid():
        try:
            service(
                document=document,
                by=request.user,
                reasons=list(form.cleaned_data["reasons"]),
                text=form.cleaned_data["text"],
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            return _document_decided(request, document, message)
    # Everything the editor typed stays in the form.
    return _document_review_page(
        request, selectors.document_get_for_review(pk=pk), form, status=400
    )


@moderation_required
@require_POST
def document_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_reasons_decide(
        request,
        pk,
        services.document_submission_refuse,
        _("“%(title)s” is refused; the contributor was told why."),
    )


@moderation_required
@require_POST
def document_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_reasons_decide(
        request,
        pk,
        services.document_submission_request_changes,
        _("“%(title)s” went back to its contributor with your message."),
    )


# --- Report cases ----------------------------------------------------------------------------


@moderation_required
def case_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.case_list_pending(), request, per_page=PER_PAGE)
    return render(request, "moderation/case_list.html", {"page": page})


def _case_page(request, case: ReportCase, form=None, status: int = 200) -> HttpResponse:
    target = services.case_target(case)
    allowed = services.case_allowed_decisions(case, target)
    if form is None:
        form = CaseDecisionForm(allowed=allowed)
    return render(
        request,
        "moderation/case_detail.html",
        {
            "case": case,
            "target": target,
            "reports": selectors.case_reports(case=case),
            "account": services.item_author(target) if target is not None else None,
            "form": form,
            "allowed": allowed,
        },
        status=status,
    )


@moderation_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ReportCase.objects.select_related("content_type", "decided_by"), pk=pk)
    return _case_page(request, case)


@moderation_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ReportCase.objects.select_related("content_type"), pk=pk)
    allowed = services.case_allowed_decisions(case, services.case_target(case))
    form = CaseDecisionForm(request.POST, allowed=allowed)
    if form.is_valid():
        try:
            services.case_decide(case=case, by=request.user, **form.cleaned_data)
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision recorded; the statement of reasons was sent."))
            return redirect("moderation:case_list")
    return _case_page(request, case, form, status=400)


@moderation_required
def audit_log(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.audit_event_list(), request, per_page=PER_PAGE)
    return render(request, "moderation/audit_log.html", {"page": page})


# --- Appeals ---------------------------------------------------------------------------------


def _appeal_post(form: AppealForm, submit) -> HttpResponse | None:
    """Check the appeal form and send it with `submit(explanation)`: the thank-you redirect when done
    (robots get it too, and nothing is stored), None with the errors on the form otherwise."""
    if not form.is_valid():
        return None
    if not form.is_robot:
        try:
            submit(form.cleaned_data["explanation"])
        except services.ModerationError as error:
            form.add_error(None, str(error))
            return None
    return redirect("moderation:appeal_thanks")


def appeal_create(request: HttpRequest, token: str) -> HttpResponse:
    right = appeal_right_read(token)
    if right is None:
        raise Http404(_("This appeal link is not valid or has expired."))
    case = sanction = None
    if right.sanction_id is not None:
        sanction = get_object_or_404(
            Sanction.objects.select_related("account"), pk=right.sanction_id
        )
        already = Appeal.objects.filter(sanction=sanction, email__iexact=right.email).first()
    else:
        case = get_object_or_404(ReportCase, pk=right.case_id)
        already = Appeal.objects.filter(case=case, email__iexact=right.email).first()
    status = 200
    form = AppealForm(request.POST or None)
    if request.method == "POST" and already is not None:
        status = 409
    elif request.method == "POST":
        done = _appeal_post(
            form,
            lambda explanation: services.appeal_submit(
                case=case,
                sanction=sanction,
                role=right.role,
                email=right.email,
                explanation=explanation,
            ),
        )
        if done is not None:
            return done
        status = 400
    return render(
        request,
        "moderation/appeal_form.html",
        {"form": form, "case": case, "sanction": sanction, "already": already},
        status=status,
    )


REFUSED_KINDS = {"article": Article, "document": Document}


@login_required
def refusal_appeal_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The author of a refused article or document contests the refusal (signed in: no token)."""
    model = REFUSED_KINDS.get(kind)
    if model is None:
        raise Http404
    owner = {"author": request.user} if model is Article else {"contributor": request.user}
    # Someone else's item, or one that is not refused, is not found: nothing to learn from it.
    item = get_object_or_404(
        model.objects.defer("text_content") if model is Document else model.objects,
        pk=pk,
        status=PublicationStatus.REFUSED,
        **owner,
    )
    refusal = services.refusal_last(item)
    appealable = services.refusal_appealable(item, request.user)
    already = (
        None
        if appealable or refusal is None
        else Appeal.objects.filter(
            refused_type=ContentType.objects.get_for_model(model),
            refused_id=item.pk,
            created_at__gte=refusal.created_at,
        ).first()
    )
    form = AppealForm(request.POST or None)
    status = 200
    if request.method == "POST" and not appealable:
        status = 409
    elif request.method == "POST":
        done = _appeal_post(
            form,
            lambda explanation: services.refusal_appeal_submit(
                item=item, by=request.user, explanation=explanation
            ),
        )
        if done is not None:
            return done
        status = 400
    return render(
        request,
        "moderation/appeal_form.html",
        {
            "form": form,
            "refused": item,
            "refusal": refusal,
            "already": already,
            "closed": not appealable and already is None,
        },
        status=status,
    )


def appeal_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/appeal_thanks.html")


@moderation_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.appeal_list_pending(), request, per_page=PER_PAGE)
    return render(request, "moderation/appeal_list.html", {"page": page})


def _refused_review_url(item) -> str:
    if item is None:
        return ""
    name = "moderation:review" if isinstance(item, Article) else "moderation:document_review"
    return reverse(name, args=[item.pk])


def _appeal_page(request, appeal: Appeal, form=None, status: int = 200) -> HttpResponse:
    refused = services.refusal_appeal_item(appeal) if appeal.is_refusal else None
    return render(
        request,
        "moderation/appeal_detail.html",
        {
            "appeal": appeal,
            "case": appeal.case,
            "sanction": appeal.sanction,
            "refused": refused,
            "refused_review_url": _refused_review_url(refused),
            "form": form or AppealDecisionForm(),
            "can_decide": services.appeal_can_decide(appeal, request.user),
        },
        status=status,
    )


@moderation_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(
        Appeal.objects.select_related(
            "case", "sanction", "sanction__account", "refused_type", "contested_by", "decided_by"
        ),
        pk=pk,
    )
    return _appeal_page(request, appeal)


@moderation_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(
        Appeal.objects.select_related(
            "case", "sanction", "sanction__account", "refused_type", "contested_by", "decided_by"
        ),
        pk=pk,
    )
    if appeal.contested_by_id == request.user.pk:
        raise PermissionDenied(_("Another editor must decide the appeal of your own decision."))
    form = AppealDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_decide(appeal=appeal, by=request.user, **form.cleaned_data)
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Appeal decided; the appellant was told why."))
            return redirect("moderation:appeal_list")
    return _appeal_page(request, appeal, form, status=400)


# --- Transparency --------------------------------------------------------------------------


def transparency_page(request: HttpRequest) -> HttpResponse:
    report = transparency.transparency_report_get()
    return render(
        request,
        "moderation/transparency.html",
        {
            "report": report,
            "rows": [
                {
                    "figures": m,
                    "refused": [m.refused_by_reason.get(r, 0) for r in report.reasons],
                }
                for m in report.months
            ],
            "categories": ReportCategory.choices,
        },
    )


def transparency_csv(request: HttpRequest) -> HttpResponse:
    report = transparency.transparency_report_get()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="steppe-transparency.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "month",
            "submissions_received",
            "published_after_review",
            "refused",
            *[f"refused_reason:{reason or 'free_text'}" for reason in report.reasons],
            "reports",
            *[f"reports_{value}" for value in ReportCategory.values],
            "median_hours_to_decision",
            "appeals",
            "appeals_upheld",
            "appeals_granted",
            "account_warnings",
            "account_suspensions",
            "account_bans",
        ]
    )
    for m in report.months:
        writer.writerow(
            [
                m.month.strftime("%Y-%m"),
                m.submissions,
                m.published,
                m.refused,
                *[m.refused_by_reason.get(reason, 0) for reason in report.reasons],
                m.reports,
                *m.report_counts(),
                "" if m.median_hours_to_decision is None else m.median_hours_to_decision,
                m.appeals,
                m.appeals_upheld,
                m.appeals_granted,
                m.warnings,
                m.suspensions,
                m.bans,
            ]
        )
    return response


# --- Account actions -------------------------------------------------------------------------


def _account_page(request, account, forms: dict | None = None, status: int = 200) -> HttpResponse:
    forms = forms or {}
    case_id = request.GET.get("case") or request.POST.get("case")
    return render(
        request,
        "moderation/account_detail.html",
        {
            "account": account,
            "active": services.account_sanction_active(account),
            "sanctions": list(
                Sanction.objects.filter(account=account).select_related("created_by", "ended_by")
            ),
            "events": list(AuditEvent.objects.for_object(account).select_related("actor")[:50]),
            "sanction_form": forms.get("sanction")
            or SanctionForm(initial={"case": case_id if str(case_id).isdigit() else None}),
            "trust_form": forms.get("trust") or TrustForm(),
            "lift_form": forms.get("lift") or LiftForm(),
            "can_act": not (account.is_superuser or services.is_editor(account))
            and account.pk != request.user.pk,
        },
        status=status,
    )


@moderation_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_page(request, get_object_or_404(get_user_model(), pk=pk))


@moderation_required
@require_POST
def account_sanction(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(get_user_model(), pk=pk)
    form = SanctionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        case = ReportCase.objects.filter(pk=data["case"]).first() if data["case"] else None
        try:
            services.account_sanction(
                account=account,
                by=request.user,
                kind=data["kind"],
                ground=data["ground"],
                statement=data["statement"],
                days=data["days"],
                case=case,
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Decision recorded; the statement of reasons was sent."))
            return redirect("moderation:account_detail", pk=account.pk)
    return _account_page(request, account, {"sanction": form}, status=400)


@moderation_required
@require_POST
def sanction_lift(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = get_object_or_404(Sanction.objects.select_related("account"), pk=pk)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            services.sanction_lift(
                sanction=sanction, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The sanction is lifted."))
            return redirect("moderation:account_detail", pk=sanction.account_id)
    return _account_page(request, sanction.account, {"lift": form}, status=400)


@moderation_required
@require_POST
def account_trust(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(get_user_model(), pk=pk)
    form = TrustForm(request.POST)
    if form.is_valid():
        try:
            services.trust_set(
                account=account,
                trusted=form.cleaned_data["trusted"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The trusted status was changed."))
            return redirect("moderation:account_detail", pk=account.pk)
    return _account_page(request, account, {"trust": form}, status=400)
