"""manage.py load_demo: the demo corpus and a demo editor account, for `make run`.

Safe to run again: the import changes nothing the second time, and the editor's credentials are
kept in var/demo-editor.txt (outside git) so they can be printed again.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from allauth.account.models import EmailAddress

from steppe.accounts.roles import roles_ensure

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
EDITOR_USERNAME = "editeur"
EDITOR_EMAIL = "editeur@steppe.example"


class Command(BaseCommand):
    help = "Load the demo corpus and create the demo editor account."

    def handle(self, *args, **options) -> None:
        call_command(
            "import_content",
            str(DEMO_DIR),
            verbosity=options["verbosity"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
        _username, password = self._editor()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo editor account: e-mail %(email)s, password %(password)s (sign in at /compte/login/)"
                )
                % {"email": EDITOR_EMAIL, "password": password}
            )
        )

    def _editor(self) -> tuple[str, str]:
        credentials = Path(settings.VAR_DIR) / "demo-editor.txt"
        User = get_user_model()
        user = User.objects.filter(username=EDITOR_USERNAME).first()
        if user is not None and credentials.exists():
            saved = credentials.read_text(encoding="utf-8").strip()
            if user.check_password(saved):
                return EDITOR_USERNAME, saved
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User(
                username=EDITOR_USERNAME,
                display_name="Équipe éditoriale",
                email=EDITOR_EMAIL,
            )
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(roles_ensure())
        EmailAddress.objects.update_or_create(
            user=user, email=EDITOR_EMAIL, defaults={"verified": True, "primary": True}
        )
        credentials.parent.mkdir(parents=True, exist_ok=True)
        credentials.write_text(password + "\n", encoding="utf-8")
        credentials.chmod(0o600)
        return EDITOR_USERNAME, password
