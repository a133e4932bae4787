from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParallelConfig(AppConfig):
    name = "approvals.parallel"
    label = "parallel"
    verbose_name = _("Parallel processing")
