import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "approvals.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        # WeasyPrint logs seven INFO "Step n" lines per PDF; keep only its warnings.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
