"""Cases (办件): from submission to decision, domain.md section 4.

A ``Case`` is pinned to the item version in force on its filing date. Its state is a django-fsm-2
field; every transition method below changes the state and nothing else. The rules (who may fire
a command, what it requires, which dates it sets) live in ``approvals.cases.services``; dates come only
from ``approvals.cases.clock``; every transition writes one ``TransitionLog`` row.

State table (kept true by ``tests/approvals/test_case_state_table.py``, which compares it with
``Case.get_all_state_transitions()``):

=========================  ==========================================  ======================  ===============
FSM method                 from                                        to                      who
=========================  ==========================================  ======================  ===============
submit                     draft                                       submitted               applicant
request_correction         submitted                                   correction_requested    front desk
resubmit                   correction_requested                        submitted               applicant
accept                     submitted                                   accepted                front desk
accept_with_pledge         submitted                                   accepted_with_pledge    front desk
not_accept                 submitted                                   not_accepted            front desk
deem_accepted              submitted                                   accepted                system (sweep)
start_review               accepted, accepted_with_pledge              in_review               department
start_special_procedure    in_review                                   in_review               department
end_special_procedure      in_review                                   in_review               department
request_extension          in_review                                   in_review               department
approve_extension          in_review                                   in_review               department head
approve                    in_review                                   approved                approver / head
refuse                     in_review                                   refused                 approver / head
issue_licence              approved                                    issued                  department
deliver                    issued                                      delivered               department / front desk
close                      delivered, refused, not_accepted            closed                  department / front desk
request_supplement         in_review                                   supplement_requested    department (joint items)
amend_supplement           supplement_requested                        supplement_requested    department (joint items)
resubmit_supplement        supplement_requested                        in_review               applicant
decide_part                in_review                                   in_review               department (independent)
withdraw                   draft … in_review (open)                    withdrawn               applicant
terminate                  submitted … in_review (open, not draft)     terminated              department / front desk
expire_pledge              accepted_with_pledge, in_review             terminated              system (sweep)
=========================  ==========================================  ======================  ===============

``STATE_TABLE`` below is the same table as data; the log's ``command`` column holds the service
command name (``COMMAND_OF_METHOD`` maps FSM methods to it: ``approve``/``refuse`` are both logged
as ``decide``; ``deem_accepted`` and ``expire_pledge`` are the sweep's commands).

Joint items (``approvals.parallel``): during review a department may ask for supplementary
materials; the case goes to ``supplement_requested`` with ONE combined notice per round
(``request_supplement``; requests of other departments in the same round are added to it with
``amend_supplement`` until the applicant resubmits); the decision clocks do not run from the
notice date to the resubmission date; ``resubmit_supplement`` opens the next round. Under the
independent policy each department's part decision is logged as ``decide_part``. Open states
include ``supplement_requested`` (the applicant may withdraw, an officer terminate).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_WITH_PLEDGE = "accepted_with_pledge", _("Accepted with pledge")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    IN_REVIEW = "in_review", _("In review")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplementary materials requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    ISSUED = "issued", _("Licence issued")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated")


S = State
#: States in which the applicant may still withdraw (nothing decided yet).
OPEN_STATES = (
    S.DRAFT, S.SUBMITTED, S.CORRECTION_REQUESTED, S.ACCEPTED, S.ACCEPTED_WITH_PLEDGE, S.IN_REVIEW,
    S.SUPPLEMENT_REQUESTED,
)
#: Open states after submission: an officer may terminate the review.
TERMINABLE_STATES = OPEN_STATES[1:]
#: States in which a pledged material may still be supplied (and its deadline missed).
PLEDGE_STATES = (S.ACCEPTED_WITH_PLEDGE, S.IN_REVIEW)
#: States in which the decision clocks run.
DECISION_CLOCK_STATES = (S.ACCEPTED, S.ACCEPTED_WITH_PLEDGE, S.IN_REVIEW)

#: (FSM method, sources, target) — the documented table as data.
STATE_TABLE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("submit", (S.DRAFT,), S.SUBMITTED),
    ("request_correction", (S.SUBMITTED,), S.CORRECTION_REQUESTED),
    ("resubmit", (S.CORRECTION_REQUESTED,), S.SUBMITTED),
    ("accept", (S.SUBMITTED,), S.ACCEPTED),
    ("accept_with_pledge", (S.SUBMITTED,), S.ACCEPTED_WITH_PLEDGE),
    ("not_accept", (S.SUBMITTED,), S.NOT_ACCEPTED),
    ("deem_accepted", (S.SUBMITTED,), S.ACCEPTED),
    ("start_review", (S.ACCEPTED, S.ACCEPTED_WITH_PLEDGE), S.IN_REVIEW),
    ("start_special_procedure", (S.IN_REVIEW,), S.IN_REVIEW),
    ("end_special_procedure", (S.IN_REVIEW,), S.IN_REVIEW),
    ("request_extension", (S.IN_REVIEW,), S.IN_REVIEW),
    ("approve_extension", (S.IN_REVIEW,), S.IN_REVIEW),
    ("approve", (S.IN_REVIEW,), S.APPROVED),
    ("refuse", (S.IN_REVIEW,), S.REFUSED),
    ("issue_licence", (S.APPROVED,), S.ISSUED),
    ("deliver", (S.ISSUED,), S.DELIVERED),
    ("close", (S.DELIVERED, S.REFUSED, S.NOT_ACCEPTED), S.CLOSED),
    ("request_supplement", (S.IN_REVIEW,), S.SUPPLEMENT_REQUESTED),
    ("amend_supplement", (S.SUPPLEMENT_REQUESTED,), S.SUPPLEMENT_REQUESTED),
    ("resubmit_supplement", (S.SUPPLEMENT_REQUESTED,), S.IN_REVIEW),
    ("decide_part", (S.IN_REVIEW,), S.IN_REVIEW),
    ("withdraw", OPEN_STATES, S.WITHDRAWN),
    ("terminate", TERMINABLE_STATES, S.TERMINATED),
    ("expire_pledge", PLEDGE_STATES, S.TERMINATED),
)
COMMAND_OF_METHOD = {"approve": "decide", "refuse": "decide"}


def documented_edges() -> set[tuple[str, str, str]]:
    """Every legal (from_state, to_state, logged command) triple."""
    return {
        (str(src), str(target), COMMAND_OF_METHOD.get(method, method))
        for method, sources, target in STATE_TABLE
        for src in sources
    }


class Case(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        WINDOW = "window", _("At the window")

    class Decision(models.TextChoices):
        NONE = "", _("Not decided")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class DeliveryMethod(models.TextChoices):
        WINDOW = "window", _("Collected at the window")
        POST = "post", _("By post")
        ELECTRONIC = "electronic", _("Electronic licence")

    case_no = models.CharField(_("case number"), max_length=32, unique=True, editable=False)
    verification_code = models.CharField(_("verification code"), max_length=12, editable=False)
    # No single-column indexes where a composite one leads with the column: every filing writes each
    # index of this table. item_version → workbench_case_version_state_idx (item_version_id, state);
    # applicant → case_applicant_idx; state → case_intake_sweep_idx / case_pledge_sweep_idx.
    item_version = models.ForeignKey(
        "items.ItemVersion", on_delete=models.PROTECT, related_name="cases", verbose_name=_("item version"),
        db_index=False,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases", verbose_name=_("applicant"),
        db_index=False,
    )
    business = models.ForeignKey(
        "accounts.Business", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("business"),
    )
    agent = models.ForeignKey(
        "accounts.BusinessAgent", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("acting agent"), help_text=_("The agency through which the applicant acts for the business."),
    )
    fields = models.JSONField(_("application fields"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    state = FSMField(_("state"), max_length=24, choices=State.choices, default=State.DRAFT)
    round = models.PositiveSmallIntegerField(_("round"), default=1)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True, help_text=_("Date in Asia/Shanghai."))
    complete_on = models.DateField(
        _("complete on"), null=True, blank=True, help_text=_("Day the application became complete after a correction.")
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("deemed accepted"), default=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # Clock: always computed by approvals.cases.clock and stored.
    intake_due = models.DateField(_("intake due"), null=True, blank=True)
    decision_due_promised = models.DateField(_("decision due (promised)"), null=True, blank=True)
    decision_due_statutory = models.DateField(_("decision due (statutory)"), null=True, blank=True)
    pledge_due = models.DateField(_("pledged materials due"), null=True, blank=True)
    licence_issue_due = models.DateField(_("licence issue due"), null=True, blank=True)

    # Outcome
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True, default="")
    reasons = models.TextField(_("reasons"), blank=True, help_text=_("Reasons of a refusal at intake or at decision."))
    remedies = models.TextField(_("remedies"), blank=True, help_text=_("Reconsideration and litigation rights."))
    competent_organ = models.CharField(_("competent organ"), max_length=200, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    licence_no = models.CharField(_("licence number"), max_length=60, blank=True)
    delivery_method = models.CharField(
        _("delivery method"), max_length=12, choices=DeliveryMethod.choices, blank=True, default=""
    )
    tracking_no = models.CharField(_("tracking number"), max_length=60, blank=True)

    #: Single-department items: the officer who holds the case (claimed, or given by the department
    #: head; history in ``CaseAssignment``). Joint items are assigned per department task instead.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_cases",
        verbose_name=_("assignee"),
    )

    class Meta:
        ordering = ["-case_no"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["state", "intake_due"], name="case_intake_sweep_idx"),
            models.Index(fields=["state", "pledge_due"], name="case_pledge_sweep_idx"),
            models.Index(fields=["applicant", "state"], name="case_applicant_idx"),
        ]

    def __str__(self) -> str:
        return self.case_no

    @property
    def department_id(self) -> int:
        return self.item_version.department_id

    # --- transitions: state only ------------------------------------------------------------
    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self) -> None: ...

    @transition(field=state, source=S.SUBMITTED, target=S.CORRECTION_REQUESTED)
    def request_correction(self) -> None: ...

    @transition(field=state, source=S.CORRECTION_REQUESTED, target=S.SUBMITTED)
    def resubmit(self) -> None: ...

    @transition(field=state, source=S.SUBMITTED, target=S.ACCEPTED)
    def accept(self) -> None: ...

    @transition(field=state, source=S.SUBMITTED, target=S.ACCEPTED_WITH_PLEDGE)
    def accept_with_pledge(self) -> None: ...

    @transition(field=state, source=S.SUBMITTED, target=S.NOT_ACCEPTED)
    def not_accept(self) -> None: ...

    @transition(field=state, source=S.SUBMITTED, target=S.ACCEPTED)
    def deem_accepted(self) -> None:
        """Done in bulk by the intake sweep; declared so the table is complete."""

    @transition(field=state, source=[S.ACCEPTED, S.ACCEPTED_WITH_PLEDGE], target=S.IN_REVIEW)
    def start_review(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.IN_REVIEW)
    def start_special_procedure(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.IN_REVIEW)
    def end_special_procedure(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.IN_REVIEW)
    def request_extension(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.IN_REVIEW)
    def approve_extension(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.APPROVED)
    def approve(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.REFUSED)
    def refuse(self) -> None: ...

    @transition(field=state, source=S.APPROVED, target=S.ISSUED)
    def issue_licence(self) -> None: ...

    @transition(field=state, source=S.ISSUED, target=S.DELIVERED)
    def deliver(self) -> None: ...

    @transition(field=state, source=[S.DELIVERED, S.REFUSED, S.NOT_ACCEPTED], target=S.CLOSED)
    def close(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.SUPPLEMENT_REQUESTED)
    def request_supplement(self) -> None: ...

    @transition(field=state, source=S.SUPPLEMENT_REQUESTED, target=S.SUPPLEMENT_REQUESTED)
    def amend_supplement(self) -> None: ...

    @transition(field=state, source=S.SUPPLEMENT_REQUESTED, target=S.IN_REVIEW)
    def resubmit_supplement(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.IN_REVIEW)
    def decide_part(self) -> None: ...

    @transition(field=state, source=list(OPEN_STATES), target=S.WITHDRAWN)
    def withdraw(self) -> None: ...

    @transition(field=state, source=list(TERMINABLE_STATES), target=S.TERMINATED)
    def terminate(self) -> None: ...

    @transition(field=state, source=list(PLEDGE_STATES), target=S.TERMINATED)
    def expire_pledge(self) -> None:
        """Done in bulk by the sweep when pledged materials are overdue."""


class CaseNumberSequence(models.Model):
    """One counter row per region and year, locked with SELECT … FOR UPDATE to allocate numbers."""

    region_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        constraints = [models.UniqueConstraint(fields=["region_code", "year"], name="unique_case_sequence")]

    def __str__(self) -> str:
        return f"{self.region_code}-{self.year}: {self.last}"


class CaseMaterial(models.Model):
    """One uploaded file version for a material requirement; only the latest per code counts."""

    class ContentType(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        OFD = "ofd", "OFD"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    requirement_code = models.CharField(_("material code"), max_length=30)
    file = models.FileField(_("file"), upload_to="cases/", max_length=200)
    original_name = models.CharField(_("original name"), max_length=255, blank=True, help_text=_("Display only."))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("detected type"), max_length=8, choices=ContentType.choices)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    supplied_for = models.CharField(
        _("supplied for"), max_length=12, blank=True, default="",
        help_text=_(
            "Empty: the application; 'correction': a correction notice; 'pledge': a pledge; "
            "'supplement': a supplementary-materials notice during review."
        ),
    )

    class Meta:
        ordering = ["requirement_code", "-uploaded_at", "-pk"]
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "requirement_code"], condition=Q(is_current=True), name="one_current_material_per_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.requirement_code}"


class CorrectionNotice(models.Model):
    """补正材料通知书: one per intake, listing every problem (``problems``: code, reason, expected)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="correction_notices")
    round = models.PositiveSmallIntegerField(default=1)
    issued_on = models.DateField()
    issued_at = models.DateTimeField()
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    problems = models.JSONField(default=list)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("correction notice")
        verbose_name_plural = _("correction notices")
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="one_correction_notice_per_round")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.round}"

    @property
    def material_codes(self) -> list[str]:
        return [p["material_code"] for p in self.problems]


class Pledge(models.Model):
    """容缺受理: materials the applicant pledged to supply by ``due``."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="pledge")
    material_codes = models.JSONField(default=list)
    due = models.DateField()
    pledged_at = models.DateTimeField()
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self) -> str:
        return f"{self.case_id}: {', '.join(self.material_codes)}"


#: The pledge declaration (承诺书) an applicant signs to submit without pledgeable materials, kept
#: verbatim with the case (``PledgeDeclaration.text``). Shown on the portal's review page; at the
#: window the applicant signs it on paper.
PLEDGE_TEXT = (
    "本人承诺：所提交的申请材料真实、合法、有效；如容缺受理，将在受理机关确定的期限内补齐容缺材料，"
    "逾期未补齐的，同意终止审查并承担相应责任。"
)


class PledgeDeclaration(models.Model):
    """The applicant's pledge declaration (承诺书), made at submission for the pledgeable (容缺)
    materials not supplied then (``services.filing.submit`` requires it on every channel).

    ``user`` declared it; ``recorded_by`` is the front-desk officer who took the signed paper at the
    window (empty online). The table was created by the portal, which held this model before."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="pledge_declaration")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    material_codes = models.JSONField(_("pledgeable materials"), default=list)
    text = models.TextField(_("declaration text"))
    declared_at = models.DateTimeField(_("declared at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"), help_text=_("The front-desk officer who took the signed declaration."),
    )

    class Meta:
        db_table = "citizen_portal_pledgedeclaration"
        verbose_name = _("pledge declaration")
        verbose_name_plural = _("pledge declarations")

    def __str__(self) -> str:
        return f"{self.case_id}: {', '.join(self.material_codes)}"


class SpecialProcedurePause(models.Model):
    """A special procedure (Art. 45); whole days start … end inclusive are not counted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=20)
    start = models.DateField(_("start"))
    expected_days = models.PositiveSmallIntegerField(_("expected working days"))
    end = models.DateField(_("end"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    pauses_clock = models.BooleanField(_("pauses the clock"), default=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("special procedure")
        verbose_name_plural = _("special procedures")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(end__isnull=True), name="one_open_pause_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.start}"


class Extension(models.Model):
    """The one extension of the decision limit (Art. 42), approved by the department head."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="extension")
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class TransitionLog(models.Model):
    """Who, when, from which state, to which state, why, in which round (append-only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="log", db_index=False)  # transitionlog_case_idx
    from_state = models.CharField(max_length=24, choices=State.choices)
    to_state = models.CharField(max_length=24, choices=State.choices)
    command = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    round = models.PositiveSmallIntegerField(default=1)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transition log")
        indexes = [models.Index(fields=["case", "at"], name="transitionlog_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_state} → {self.to_state} ({self.command})"


#: States in which a single-department case may be claimed or reassigned (the department's inbox).
ASSIGNABLE_STATES = (S.ACCEPTED, S.ACCEPTED_WITH_PLEDGE, S.IN_REVIEW, S.APPROVED, S.ISSUED)


class CaseAssignment(models.Model):
    """Who held a single-department case, from when, and who gave it to them (append-only).

    Kept apart from ``TransitionLog``: assignment is not a state transition (the log holds only the
    documented edges and is the applicant's timeline) and staffing is internal to the department.
    """

    class Command(models.TextChoices):
        CLAIM = "claim", _("Claim")
        REASSIGN = "reassign", _("Reassign")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    command = models.CharField(_("command"), max_length=10, choices=Command.choices)
    state = models.CharField(_("case state"), max_length=24, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        indexes = [models.Index(fields=["case", "at"], name="caseassignment_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.command} {self.from_user_id} → {self.to_user_id}"


class IdempotencyRecord(models.Model):
    """A client's Idempotency-Key: the same key with the same request replays the stored response."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(  # unique_idempotency_key (user, key) serves look-ups by user
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    fingerprint = models.CharField(max_length=64, help_text=_("sha256 of method, path and body."))
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency record")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")]

    def __str__(self) -> str:
        return self.key


class CaseOpinion(models.Model):
    """The opinion chain of a single-department case (joint items keep theirs on the department
    tasks): the reviewer's 审查意见 with the outcome they propose, then the 审批意见 of the officer
    who signs the decision. Append-only; shown on the case page and carried into the decision."""

    class Stage(models.TextChoices):
        REVIEW = "review", _("Review opinion")
        APPROVAL = "approval", _("Approval opinion")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposal = models.CharField(_("outcome"), max_length=10, choices=Case.Decision.choices)
    opinion = models.TextField(_("opinion"))
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case opinion")
        verbose_name_plural = _("case opinions")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.stage} {self.proposal}"
