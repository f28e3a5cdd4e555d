"""Profile editing, data export and account deletion (sensitive actions ask for the password again)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from allauth.account.decorators import reauthentication_required

from . import services
from .forms import AccountDeleteForm, ProfileForm


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user,
            data=form.cleaned_data,
            avatar=form.cleaned_data.get("avatar_upload"),
            remove_avatar=form.cleaned_data.get("remove_avatar", False),
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile_edit")
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
@reauthentication_required
def data_export(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/export.html")
    archive = services.account_export(user=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="steppe-{request.user.username}-{stamp}.zip"'
    )
    return response


@login_required
@reauthentication_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(
            user=user,
            keep_published=form.cleaned_data["published"] == AccountDeleteForm.Published.ANONYMISE,
        )
        messages.success(request, _("Your account is deleted."))
        return redirect("publishing:home")
    return render(request, "accounts/delete.html", {"form": form})
