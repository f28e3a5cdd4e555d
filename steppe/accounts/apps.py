from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "steppe.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import receivers  # noqa: F401
