from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "steppe.taxonomy"
    verbose_name = _("Taxonomy")

    def ready(self) -> None:
        from . import receivers  # noqa: F401
