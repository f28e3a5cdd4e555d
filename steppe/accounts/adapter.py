"""allauth adapter: usernames from the display name (never from the e-mail address)."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from allauth.account.adapter import DefaultAccountAdapter

from .models import RESERVED_USERNAMES, User

EMAIL_MAX_LENGTH = 254  # RFC 5321; the column is that long, so a longer address would be cut


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user: User) -> None:
        # The username is the public profile's URL: build it from the public name, so that it never
        # reveals the e-mail address.
        display_name = getattr(user, "display_name", "") or (
            request.POST.get("display_name", "") if request else ""
        )
        base = slugify(display_name)[:40].strip("-") or "contributeur"
        username = base
        suffix = 2
        while (
            username in RESERVED_USERNAMES
            or User.objects.filter(username__iexact=username).exists()
        ):
            username = f"{base}-{suffix}"
            suffix += 1
        user.username = username

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _("This address is too long (%(max)s characters at most).")
                % {"max": EMAIL_MAX_LENGTH}
            )
        return email
