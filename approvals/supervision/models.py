"""Supervision office data. The working-day calendar (domain.md section 3) lives here.

``CalendarDay`` holds one row per date of every confirmed year (``CalendarYear``): whether it is a
working day, what kind of day it is, where the row came from and its cumulative working-day index
(``working_index``: the number of working days from the first calendar date up to and including
this one), so SQL reports count working days as ``index(end) - index(start)``.

Rows are changed only through ``approvals.supervision.calendar_edit`` (admin, import, seeding),
which writes a ``CalendarChange`` row for every change, recomputes the index set-based in the same
transaction and bumps ``CalendarVersion`` so that every process reloads its in-memory clock.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary working day")
    WEEKEND = "weekend", _("Weekend")
    HOLIDAY = "holiday", _("Holiday")
    MAKEUP = "makeup", _("Make-up working day (调休)")


WORKING_KINDS = frozenset({DayKind.ORDINARY, DayKind.MAKEUP})


class DaySource(models.TextChoices):
    LIBRARY = "library", _("Seeded from a library")
    ADMIN = "admin", _("Entered by an administrator")


class CalendarYear(models.Model):
    """A year whose every date is in ``CalendarDay``: deadlines may be computed inside it."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices)
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    date = models.DateField(_("date"), primary_key=True)
    is_working_day = models.BooleanField(_("working day"))
    kind = models.CharField(_("kind of day"), max_length=10, choices=DayKind.choices)
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    working_index = models.PositiveIntegerField(
        _("cumulative working-day index"),
        editable=False,
        help_text=_("Working days from the first calendar date up to and including this date."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(is_working_day=True, kind__in=[DayKind.ORDINARY, DayKind.MAKEUP])
                    | Q(is_working_day=False, kind__in=[DayKind.WEEKEND, DayKind.HOLIDAY])
                ),
                name="calendarday_working_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class CalendarChange(models.Model):
    """Audit row for every change to the calendar: who, when, old and new values."""

    class Action(models.TextChoices):
        CONFIRM_YEAR = "confirm_year", _("Year confirmed")
        UPDATE_DAY = "update_day", _("Day changed")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(_("date"), null=True, blank=True)
    old_kind = models.CharField(_("old kind"), max_length=10, choices=DayKind.choices, blank=True)
    new_kind = models.CharField(_("new kind"), max_length=10, choices=DayKind.choices, blank=True)
    old_is_working_day = models.BooleanField(_("was a working day"), null=True)
    new_is_working_day = models.BooleanField(_("is a working day"), null=True)
    old_note = models.CharField(_("old note"), max_length=200, blank=True)
    new_note = models.CharField(_("new note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.date or self.year}"


class CalendarVersion(models.Model):
    """One row; ``version`` goes up in the transaction of every calendar change (see calendar.py)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("calendar version")
