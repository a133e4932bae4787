from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "approvals.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from . import calendar
        from .calendar_seed import seed_if_empty
        from .models import CalendarDay, CalendarYear

        # Any direct row change makes the in-memory clock reload (calendar_edit also does this).
        for model in (CalendarDay, CalendarYear):
            post_save.connect(
                calendar.invalidate, sender=model, dispatch_uid=f"calendar-save-{model.__name__}"
            )
            post_delete.connect(
                calendar.invalidate, sender=model, dispatch_uid=f"calendar-delete-{model.__name__}"
            )
        # A new or flushed database (migrate, TransactionTestCase teardown) gets the libraries' calendar.
        post_migrate.connect(seed_if_empty, sender=self, dispatch_uid="calendar-seed-if-empty")
