from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItemsConfig(AppConfig):
    name = "approvals.items"
    label = "items"
    verbose_name = _("Service catalog")

    def ready(self):
        from . import signals

        signals.connect()
