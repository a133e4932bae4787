"""Transparency report runs (domain.md section 6).

One ``ReportRun`` per (period, scope). Its ``watermark`` records the state of the event log the
result was computed from (row count and highest id of the transition-log rows dated before the
period's end, plus the same for the supervision rows counted in the report). A request finds the
stored result and serves it while the watermark is unchanged: the log is append-only, so a
closed period's watermark, and therefore its report, changes only if the log itself does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportRun(models.Model):
    class Kind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        CUSTOM = "custom", _("Custom period")

    class Scope(models.TextChoices):
        OFFICE = "office", _("Supervision office (XLSX with case rows, PDF)")
        OPEN = "open", _("Open data (aggregates only)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    watermark = models.CharField(_("log watermark"), max_length=200, blank=True)
    result = models.JSONField(_("aggregates"), null=True, blank=True)
    xlsx = models.FileField(_("XLSX workbook"), upload_to="reports/", blank=True, max_length=200)
    pdf = models.FileField(_("PDF report"), upload_to="reports/", blank=True, max_length=200)
    case_rows = models.PositiveIntegerField(_("case rows"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-start", "scope"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.UniqueConstraint(fields=["start", "end", "scope"], name="one_report_run_per_period_scope"),
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="report_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.start}…{self.end} {self.scope}"


class ReportFact(models.Model):
    """One counted row of the case event log, with what the measures need copied onto it.

    Derived data only: ``approvals.supervision.reports.facts.refresh`` writes these rows from the
    transition log (and rebuilds them when the log below its mark changes), so a period's report
    reads that period's facts alone instead of joining every log row to its case, item version and
    earlier log rows. The definitions of the values are those of ``measures`` (its docstring).
    """

    log_id = models.BigIntegerField(_("log row"), primary_key=True)
    at = models.DateTimeField(_("at"))
    command = models.CharField(_("command"), max_length=40)
    case_id = models.BigIntegerField(_("case"))
    item_id = models.BigIntegerField(_("item"))
    department_id = models.BigIntegerField(_("department"))
    # submit rows
    online = models.BooleanField(_("online application"), default=False)
    visits = models.PositiveSmallIntegerField(_("visits required"), default=0)
    corrected_at = models.DateTimeField(_("first correction notice"), null=True)
    corrected_upto = models.BigIntegerField(_("last correction log row"), null=True)
    # decide rows
    approved = models.BooleanField(_("approved"), default=False)
    accepted_on = models.DateField(_("acceptance date"), null=True)
    decided_on = models.DateField(_("decision date"), null=True)
    promised = models.PositiveSmallIntegerField(_("promised limit"), null=True)
    statutory = models.PositiveSmallIntegerField(_("statutory limit"), null=True)
    ext = models.PositiveSmallIntegerField(_("approved extension days"), default=0)
    used = models.IntegerField(_("working days used"), null=True)

    class Meta:
        verbose_name = _("report fact")
        verbose_name_plural = _("report facts")
        indexes = [
            models.Index(fields=["at"], name="reports_fact_at_idx"),
            models.Index(fields=["case_id"], name="reports_fact_case_idx", condition=models.Q(command="submit")),
            models.Index(fields=["item_id", "at"], name="reports_fact_item_dec_idx", condition=models.Q(command="decide")),
            models.Index(
                fields=["corrected_upto"], name="reports_fact_corrected_idx", condition=models.Q(corrected_upto__isnull=False)
            ),
        ]


class ReportFactState(models.Model):
    """The single row recording how far the facts follow the log (see ``facts.refresh``)."""

    log_max = models.BigIntegerField(default=0)
    floor_count = models.BigIntegerField(default=0)
    calendar = models.CharField(max_length=100, blank=True)
    refreshed_at = models.DateTimeField(null=True)
