"""allauth adapter: usernames from the display name (never from the e-mail address)."""

from django.utils.text import slugify

from allauth.account.adapter import DefaultAccountAdapter

from .models import User


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
        while User.objects.filter(username__iexact=username).exists():
            username = f"{base}-{suffix}"
            suffix += 1
        user.username = username
