from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "steppe.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import receivers  # noqa: F401
