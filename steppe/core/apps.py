from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "steppe.core"
    verbose_name = _("Core")

    def ready(self):
        from django.core.signals import request_finished

        from steppe.core.logging import request_id_reset

        request_finished.connect(request_id_reset, dispatch_uid="steppe.core.request_id_reset")
