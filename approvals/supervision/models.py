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

from accounts.crypto import EncryptedTextField


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


# --- warnings and cards (domain.md section 6) ---------------------------------------------------


class CardKind(models.TextChoices):
    PROMPT = "prompt", _("Prompt")
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class CardRule(models.TextChoices):
    PROMISED_LIMIT = "promised_limit", _("Promised limit")
    STEP_LIMIT = "step_limit", _("Department step limit")
    STATUTORY_LIMIT = "statutory_limit", _("Statutory limit")
    DEEMED_ACCEPTANCE = "deemed_acceptance", _("Deemed acceptance by silence")
    REFUSAL_WITHOUT_REASONS = "refusal_without_reasons", _("Refusal without reasons")
    SECOND_CORRECTION_NOTICE = "second_correction_notice", _("Second intake correction notice")
    ILLEGAL_FEE = "illegal_fee", _("Illegal fee")
    OFFLINE_HANDLING = "offline_handling", _("Online item handled offline without reason")
    COMPLAINT_INTAKE = "complaint_intake", _("Complaint not taken up in time")
    COMPLAINT_REPLY = "complaint_reply", _("Complaint not answered in time")
    RECTIFICATION_CALLBACK = "rectification_callback", _("Bad rating not called back in time")
    RECTIFICATION_FIX = "rectification_fix", _("Bad rating not rectified in time")


class SubjectType(models.TextChoices):
    CASE = "case", _("Case")
    TASK = "task", _("Department task")
    COMPLAINT = "complaint", _("Complaint")
    TICKET = "ticket", _("Rectification ticket")


#: Columns that may be written once after a card is raised (everything else is permanent).
CARD_RESOLUTION_FIELDS = ("resolution", "resolved_by", "resolved_at")
CARD_SIGN_OFF_FIELDS = ("signed_off_by", "signed_off_at")


class CardQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("Cards are permanent and cannot be deleted.")

    def update(self, **kwargs):
        raise PermissionError("Cards are changed only through approvals.supervision.cards.")

    def open(self):
        return self.filter(signed_off_at__isnull=True)


class SweepRun(models.Model):
    """One run of the supervision sweep (``sweep.run_sweep``): when, which log window, what it raised."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    today = models.DateField(_("sweep day"))
    log_from = models.BigIntegerField(_("log rows scanned from (exclusive)"), default=0)
    log_to = models.BigIntegerField(_("log rows scanned up to (inclusive)"), default=0)
    full_scan = models.BooleanField(_("all open cases checked"), default=True)
    counts = models.JSONField(_("cards raised"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")

    def __str__(self) -> str:
        return f"{self.today} #{self.pk}"


class Card(models.Model):
    """A prompt, yellow or red card. Permanent: raised once per (rule, kind, subject) by the sweep,
    never edited or deleted; resolved once with a written explanation and signed off once by a
    supervisor (``approvals.supervision.cards``). A database trigger enforces this on PostgreSQL."""

    kind = models.CharField(_("kind"), max_length=8, choices=CardKind.choices)
    rule = models.CharField(_("rule"), max_length=32, choices=CardRule.choices)
    subject_type = models.CharField(_("subject type"), max_length=10, choices=SubjectType.choices)
    subject_id = models.BigIntegerField(_("subject id"))
    case = models.ForeignKey(
        "approvals.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="cards", verbose_name=_("case")
    )
    task_id = models.BigIntegerField(_("department task"), null=True, blank=True)
    complaint = models.ForeignKey(
        "supervision.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="cards",
        db_index=False, verbose_name=_("complaint"),
    )
    ticket = models.ForeignKey(
        "supervision.RectificationTicket", on_delete=models.PROTECT, null=True, blank=True, related_name="cards",
        db_index=False, verbose_name=_("rectification ticket"),
    )
    department = models.ForeignKey(
        "items.Department", on_delete=models.PROTECT, related_name="cards", verbose_name=_("department")
    )
    limit_date = models.DateField(_("limit date"), null=True, blank=True, help_text=_("The due date that was passed."))
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"), null=True, blank=True)
    detected_on = models.DateField(_("detected on"))
    working_days_over = models.IntegerField(_("working days over"), default=0)
    raised_at = models.DateTimeField(_("raised at"))
    sweep_run = models.ForeignKey(
        SweepRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    resolution = models.TextField(_("written explanation"), blank=True, default="")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_on", "-pk"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        constraints = [
            models.UniqueConstraint(fields=["rule", "kind", "subject_type", "subject_id"], name="card_once_per_subject"),
        ]
        indexes = [models.Index(fields=["detected_on", "kind"], name="card_period_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_rule_display()} {self.subject_type}:{self.subject_id}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    def save(self, *args, **kwargs):
        if self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        update_fields = set(kwargs.get("update_fields") or ())
        allowed = set(CARD_RESOLUTION_FIELDS) | set(CARD_SIGN_OFF_FIELDS)
        if not update_fields or not update_fields <= allowed:
            raise PermissionError("A card is permanent: only its resolution and sign-off may be written.")
        before = Card.objects.filter(pk=self.pk).values("resolved_at", "signed_off_at").get()
        if update_fields & set(CARD_RESOLUTION_FIELDS) and before["resolved_at"] is not None:
            raise PermissionError("The card is already resolved.")
        if update_fields & set(CARD_SIGN_OFF_FIELDS) and before["signed_off_at"] is not None:
            raise PermissionError("The card is already signed off.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Cards are permanent and cannot be deleted.")


class FeeCharge(models.Model):
    """A fee charged on a case (recorded by ``cards.record_fee``); on an item whose version charges
    no fee it is an illegal fee (red card)."""

    case = models.ForeignKey("approvals.Case", on_delete=models.PROTECT, related_name="fee_charges")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    charged_on = models.DateField(_("charged on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-charged_on", "-pk"]
        verbose_name = _("fee charge")
        verbose_name_plural = _("fee charges")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.amount}"


class OfflineHandlingReason(models.Model):
    """Why a case of an online item (online depth ≥ 3) was handled at the window."""

    case = models.OneToOneField("approvals.Case", on_delete=models.PROTECT, related_name="offline_reason")
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("offline handling reason")
        verbose_name_plural = _("offline handling reasons")

    def __str__(self) -> str:
        return f"{self.case_id}"


# --- complaints (投诉) ------------------------------------------------------------------------


class Complaint(models.Model):
    """A complaint about a case or a department (domain.md section 6).

    ===========  ===========================  ==============================================
    state        next                         command (``complaints`` service)
    ===========  ===========================  ==============================================
    received     taken_up / declined          ``decide_intake`` (within 5 working days)
    taken_up     replied                      ``reply`` (real-name complainants must get one)
    taken_up     closed                       ``close`` (anonymous complainants only)
    replied      closed                       ``close``
    declined     closed                       ``close``
    ===========  ===========================  ==============================================
    ``assign`` and ``add_note`` are allowed while taken up.
    """

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        TAKEN_UP = "taken_up", _("Taken up")
        DECLINED = "declined", _("Not taken up")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        PUBLIC = "public", _("Member of the public")

    number = models.CharField(_("complaint number"), max_length=24, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    real_name = models.BooleanField(_("real-name complaint"), default=False)
    complainant_name = models.CharField(_("complainant name"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    case = models.ForeignKey(
        "approvals.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    department = models.ForeignKey("items.Department", on_delete=models.PROTECT, related_name="complaints")
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RECEIVED, db_index=True)

    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"))
    intake_due = models.DateField(_("intake decision due"))
    intake_decided_at = models.DateTimeField(_("intake decided at"), null=True, blank=True)
    intake_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intake_reason = models.TextField(_("intake decision reason"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_complaints"
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["state", "intake_due"], name="complaint_intake_idx"),
            models.Index(fields=["state", "reply_due"], name="complaint_reply_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class ComplaintNote(models.Model):
    """An investigation note (append-only)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("investigation note")
        verbose_name_plural = _("investigation notes")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.at:%Y-%m-%d}"


# --- ratings (好差评) ---------------------------------------------------------------------------


class Rating(models.Model):
    """One rating per case after delivery; levels 1 (very dissatisfied) … 5 (very satisfied)."""

    class Level(models.IntegerChoices):
        VERY_DISSATISFIED = 1, _("Very dissatisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        NEUTRAL = 3, _("Neutral")
        SATISFIED = 4, _("Satisfied")
        VERY_SATISFIED = 5, _("Very satisfied")

    class Appeal(models.TextChoices):
        NONE = "", _("No appeal")
        PENDING = "pending", _("Appeal pending")
        UPHELD = "upheld", _("Malicious: rating excluded")
        REJECTED = "rejected", _("Appeal rejected")

    case = models.OneToOneField("approvals.Case", on_delete=models.PROTECT, related_name="rating")
    department = models.ForeignKey("items.Department", on_delete=models.PROTECT, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    rated_on = models.DateField(_("rated on"))

    appeal = models.CharField(_("appeal"), max_length=10, choices=Appeal.choices, blank=True, default="")
    appeal_reason = models.TextField(_("appeal reason"), blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    ruling = models.TextField(_("supervision office ruling"), blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)

    class Meta:
        ordering = ["-rated_at", "-pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.level}"

    @property
    def is_bad(self) -> bool:
        return self.level <= self.Level.DISSATISFIED

    @property
    def counts(self) -> bool:
        """False once the supervision office ruled the rating malicious."""
        return self.appeal != self.Appeal.UPHELD


class RectificationTicket(models.Model):
    """Opened by a bad rating: call back within 1 working day, fix within 15, one follow-up rating."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CALLED_BACK = "called_back", _("Called back")
        FIXED = "fixed", _("Rectified")
        CLOSED = "closed", _("Closed")
        VOID = "void", _("Void (malicious rating)")

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="ticket")
    case = models.ForeignKey("approvals.Case", on_delete=models.PROTECT, related_name="rectification_tickets")
    department = models.ForeignKey("items.Department", on_delete=models.PROTECT, related_name="rectification_tickets")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN, db_index=True)
    opened_on = models.DateField(_("opened on"))
    callback_due = models.DateField(_("call back due"))
    fix_due = models.DateField(_("rectification due"))
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    callback_note = models.TextField(_("call back note"), blank=True)
    fixed_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fix_note = models.TextField(_("rectification"), blank=True)
    follow_up_level = models.PositiveSmallIntegerField(
        _("follow-up rating"), choices=Rating.Level.choices, null=True, blank=True
    )
    follow_up_comment = models.TextField(_("follow-up comment"), blank=True)
    follow_up_at = models.DateTimeField(_("follow-up rated at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("rectification ticket")
        verbose_name_plural = _("rectification tickets")

    def __str__(self) -> str:
        return f"{self.case_id} ({self.get_state_display()})"
