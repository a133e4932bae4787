from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """The case engine (``approvals.cases``); the app label ``approvals`` keeps its tables and migrations."""

    name = "approvals"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # The component's admin and Celery tasks live in approvals.cases, where Django's and
        # Celery's autodiscovery (approvals.admin, approvals.tasks) would not look.
        from approvals.cases import admin, tasks  # noqa: F401
