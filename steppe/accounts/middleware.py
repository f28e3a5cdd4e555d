"""Editors must have a second factor (TOTP) before they reach editorial pages or the admin."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from allauth.mfa.models import Authenticator

PROTECTED_PREFIXES = ("/admin/", "/redaction/", "/en/redaction/", "/moderation/", "/en/moderation/")


class EditorMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Look at the path first: touching request.user reads the session and adds "Vary: Cookie",
        # which would make every other response (API, feeds) uncacheable by shared caches.
        if not (
            settings.STEPPE_EDITOR_MFA_REQUIRED and request.path.startswith(PROTECTED_PREFIXES)
        ):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.is_staff or user.is_superuser or user.groups.filter(name="editors").exists())
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request, _("Editors must turn on two-factor authentication before continuing.")
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
