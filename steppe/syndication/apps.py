from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "steppe.syndication"
    verbose_name = _("Syndication")

    def ready(self) -> None:
        from . import receivers  # noqa: F401
