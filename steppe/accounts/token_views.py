"""The contributor's personal API tokens: list, create (after the password again), revoke."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from allauth.account.decorators import reauthentication_required

from . import tokens
from .models import ApiToken


class ApiTokenForm(forms.Form):
    # Kept out of forms.py, which belongs to the sign-up and profile flows.
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “My newsroom's export script”."),
    )
    lifetime = forms.TypedChoiceField(
        label=gettext_lazy("Expires"),
        coerce=int,
        initial=90,
        choices=[
            (30, gettext_lazy("in 30 days")),
            (90, gettext_lazy("in 90 days")),
            (365, gettext_lazy("in one year")),
            (0, gettext_lazy("never")),
        ],
    )

    def expires_at(self):
        days = self.cleaned_data["lifetime"]
        return timezone.now() + timedelta(days=days) if days else None


@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": list(tokens.api_token_list(user=request.user)),
            "form": ApiTokenForm(),
            "now": timezone.now(),
        },
    )


@login_required
@reauthentication_required
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = tokens.api_token_create(
                user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except tokens.TokenError as error:
            form.add_error(None, str(error))
        else:
            # Shown in this answer only: no redirect through a page that would have to keep it.
            response = render(
                request,
                "accounts/api_token_created.html",
                {"token": new.token, "plaintext": new.plaintext},
            )
            add_never_cache_headers(response)
            return response
    return render(request, "accounts/api_token_form.html", {"form": form})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    tokens.api_token_revoke(token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("accounts:api_tokens")
