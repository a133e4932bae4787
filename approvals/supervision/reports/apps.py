import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "approvals.supervision.reports"
    label = "reports"
    verbose_name = _("Transparency reports")

    def ready(self):
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
