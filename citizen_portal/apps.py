from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenPortalConfig(AppConfig):
    name = "citizen_portal"
    verbose_name = _("Citizen portal")

    def ready(self) -> None:
        from . import signals

        signals.connect()
