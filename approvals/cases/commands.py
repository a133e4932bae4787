"""The command table: every legal command of cases and department tasks, once, as data.

One row says what a command is called (its code name is also the ``command`` of its log row), which
FSM method(s) it fires, who may fire it, the input it takes, what the applicant is told (the
notification event) and which official document it produces, how the timeline, the buttons and the
success message name it, and which service carries its rule. Everything that lists commands reads
this table:

- the permission check (``approvals.cases.permissions.can`` and the department tasks' check);
- the API routes ``POST /api/v1/cases/{case_no}/{path}/`` and ``/api/v1/tasks/{id}/{path}/`` with
  their input serializers (built from ``inputs``);
- the workbench's forms and buttons: a page shows exactly the rows this officer may fire on this
  case or task now (``available``: the permission, the FSM's ``can_proceed`` and the row's
  precondition ``when``, which names the reason when it does not hold);
- the notice plan (``approvals.cases.notices``), the applicant's timeline in the portal and the
  reports' command sets.

Adding a command touches this table, its service and its tests. Rows with no ``service`` are written
by the system (a sweep, a join) and appear only in logs and timelines.

This module sits just above the models: it names services and preconditions by dotted path and
resolves them only when they are called.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.models import OfficerMembership
from approvals.items.models import SpecialProcedure

from .models import Case

Job = OfficerMembership.Job

# Who may fire a command: the applicant (or an active agent of the business), the front desk, or a
# job in the department concerned (the item's department for a case, the task's for a task).
APPLICANT = "applicant"
FRONT_DESK = Job.FRONT_DESK
REVIEWER = Job.REVIEWER
APPROVER = Job.APPROVER
HEAD = Job.DEPARTMENT_HEAD
#: The jobs that work a department's cases (the one definition of this tuple).
DEPARTMENT_JOBS = (REVIEWER, APPROVER, HEAD)
#: The jobs that sign (decide, sign off) in a department.
SIGNING_JOBS = (APPROVER, HEAD)

CASE = "case"
TASK = "task"

#: What a department proposes or decides on its task.
OUTCOMES = (
    ("agree", _("Agree")),
    ("agree_with_conditions", _("Agree with conditions")),
    ("disagree", _("Disagree")),
    ("request_materials", _("Request materials")),
)

STANDARD_REMEDIES = (
    "如不服本决定，可自收到本决定之日起六十日内依法申请行政复议（《中华人民共和国行政复议法》），"
    "或者在六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》）。"
)


@dataclass(frozen=True)
class Input:
    """One input of a command: the service's keyword argument, the API field and the form field.

    ``kind``: ``text``, ``textarea``, ``date`` (``default="today"`` on pages), ``int``, ``bool``
    (a check box), ``decision`` (approve / refuse), ``choice`` (``choices`` for the API, ``source``
    for the page's options), ``codes`` (several material codes), ``problems`` / ``requests``
    (material, reason, expected; a checklist on pages), ``officer`` (a user, ``source`` names who).
    """

    name: str
    kind: str
    label: str
    required: bool = False
    choices: tuple = ()
    source: str = ""
    default: str = ""
    max_length: int | None = None
    help: str = ""


@dataclass(frozen=True)
class Command:
    name: str
    on: str
    label: str
    methods: tuple[str, ...] = ()
    who: tuple[str, ...] = ()
    service: str = ""
    actor: str = "officer"
    inputs: tuple[Input, ...] = ()
    path: str = ""
    summary: str = ""
    timeline: str = ""
    done: str = ""
    event: str = ""
    document: str = ""
    when: str = ""
    log_as: str = ""
    danger: bool = False
    #: The command takes a file: it has its own upload endpoint and widget, no generic route or form.
    upload: bool = False
    #: The command ends a joint case's open department tasks (their officers are told).
    cancels_tasks: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def route(self) -> str:
        return self.path or self.name.replace("_", "-")

    @property
    def logged_as(self) -> str:
        return self.log_as or self.name

    @property
    def is_system(self) -> bool:
        return not self.service

    def call(self, ref, user, data: dict):
        """Run the command's service for ``user`` with the cleaned ``data``."""
        return _resolve(self.service)(ref, **{self.actor: user}, **data)

    def precondition(self, obj, user) -> str | None:
        """Why the command cannot be fired on ``obj`` now beyond its FSM state (``None``: it can)."""
        return _resolve(self.when)(obj, user) if self.when else None


@cache
def _resolve(path: str):
    return import_string(path)


# --- inputs used by several commands ------------------------------------------------------------

NOTE = Input("note", "text", _("Note"))
REASONS = Input("reasons", "textarea", _("Reasons"))
REMEDIES = Input("remedies", "textarea", _("Remedies (reconsideration and litigation)"), default=STANDARD_REMEDIES)
CONDITIONS = Input("conditions", "textarea", _("Conditions"))
OPINION = Input("opinion", "textarea", _("Opinion"))
APPROVE = Input("approve", "decision", _("Outcome"), required=True,
                help=_("true: 准予; false: 不予 (reasons and remedies required)."))
PROCEDURE_INPUTS = (
    Input("kind", "choice", _("Kind"), required=True, choices=tuple(SpecialProcedure.Kind.choices), source="procedures"),
    Input("start", "date", _("Start"), required=True, default="today"),
    Input("expected_days", "int", _("Expected working days"), required=True),
    Input("reason", "textarea", _("Reason (told to the applicant)")),
)
END_INPUTS = (Input("end", "date", _("End date"), required=True, default="today"),)
REQUESTS = Input("requests", "requests", _("Materials requested"), required=True, source="materials")

S = "approvals.cases.services."
R = "approvals.cases.rules."
P = "approvals.parallel.services."
PR = "approvals.parallel.rules."
DEPT = DEPARTMENT_JOBS

CASE_COMMANDS: tuple[Command, ...] = (
    # --- the applicant ------------------------------------------------------------------------
    Command("attach_material", CASE, _("Upload a material"), who=(APPLICANT,), service=S + "attach_material",
            actor="user", upload=True, when=R + "upload_refusal"),
    Command("submit", CASE, _("Submit the application"), ("submit",), (APPLICANT,), S + "submit", actor="user",
            inputs=(Input("pledge_declared", "bool",
                          _("I accept the pledge declaration for the missing pledgeable materials")),),
            summary=_("Submit a draft (the intake clock starts)"), timeline=_("Application submitted"),
            done=_("The application was submitted."), event="case_submitted"),
    Command("resubmit", CASE, _("Resubmit the corrected materials"), ("resubmit",), (APPLICANT,), S + "resubmit",
            actor="user", summary=_("Resubmit after replacing every material the correction notice lists"),
            timeline=_("Corrected materials submitted"), done=_("The corrected materials were submitted.")),
    Command("resubmit_supplement", CASE, _("Submit the supplementary materials"), ("resubmit_supplement",),
            (APPLICANT,), P + "resubmit_supplement", actor="user",
            summary=_("Resubmit after supplying every material of the supplementary notice (next round)"),
            timeline=_("Supplementary materials submitted"), done=_("The supplementary materials were submitted."),
            event="case_status_changed", cancels_tasks=True),
    Command("withdraw", CASE, _("Withdraw the application"), ("withdraw",), (APPLICANT,), S + "withdraw",
            actor="user", inputs=(Input("reason", "textarea", _("Reason")),),
            summary=_("The applicant withdraws an open case"), timeline=_("Application withdrawn"),
            done=_("The application was withdrawn."), event="case_status_changed", danger=True, cancels_tasks=True),
    # --- intake (front desk) ------------------------------------------------------------------
    Command("request_correction", CASE, _("Send one correction notice (defective items)"), ("request_correction",),
            (FRONT_DESK,), S + "request_correction",
            inputs=(Input("problems", "problems", _("Defective or missing materials"), required=True,
                          source="materials"),),
            summary=_("Send the one correction notice of this intake (补正)"), timeline=_("Correction notice sent"),
            done=_("The correction notice was sent."), event="correction_requested", document="correction_notice",
            when=R + "correction_refusal"),
    Command("accept", CASE, _("Accept"), ("accept",), (FRONT_DESK,), S + "accept", inputs=(NOTE,),
            summary=_("Accept (受理); the decision clocks start"), timeline=_("Application accepted"),
            done=_("The application was accepted."), event="case_accepted", document="acceptance_receipt"),
    Command("accept_with_pledge", CASE, _("Accept with pledge"), ("accept_with_pledge",), (FRONT_DESK,),
            S + "accept_with_pledge",
            inputs=(Input("pledged_material_codes", "codes", _("Pledged materials"), required=True,
                          source="pledgeable"),
                    Input("pledge_due", "date", _("Supply by"), required=True), NOTE),
            summary=_("Accept with pledged materials (容缺受理)"), timeline=_("Accepted with pledge"),
            done=_("The application was accepted with a pledge."), event="case_accepted",
            document="acceptance_receipt", when=R + "pledge_refusal"),
    Command("not_accept", CASE, _("Not accept"), ("not_accept",), (FRONT_DESK,), S + "not_accept",
            inputs=(REASONS, REMEDIES,
                    Input("outside_competence", "bool", _("Outside this organ's competence")),
                    Input("competent_organ", "text", _("Competent organ"))),
            summary=_("Refuse at intake (不予受理) with reasons and remedies"), timeline=_("Not accepted"),
            done=_("The application was not accepted."), event="case_not_accepted", document="not_accepted_notice",
            danger=True),
    # --- review (the item's department) -------------------------------------------------------
    Command("start_review", CASE, _("Start the review"), ("start_review",), DEPT, S + "start_review",
            summary=_("Take the accepted case into review"), timeline=_("Review started"),
            done=_("The review has started."), event="case_status_changed"),
    Command("start_special_procedure", CASE, _("Start a special procedure"), ("start_special_procedure",), DEPT,
            S + "start_special_procedure", inputs=PROCEDURE_INPUTS,
            summary=_("Start a special procedure the item declares (its days are not counted)"),
            timeline=_("Special procedure started (time not counted)"),
            done=_("The special procedure has started; the applicant is notified."),
            event="special_procedure_started", document="special_procedure_notice", when=R + "procedure_refusal"),
    Command("end_special_procedure", CASE, _("End the special procedure"), ("end_special_procedure",), DEPT,
            S + "end_special_procedure", inputs=END_INPUTS, summary=_("End the running special procedure"),
            timeline=_("Special procedure ended"), done=_("The special procedure has ended; the dues moved."),
            when=R + "no_running_procedure"),
    Command("request_extension", CASE, _("Request an extension"), ("request_extension",), DEPT,
            S + "request_extension",
            inputs=(Input("days", "int", _("Working days"), required=True), Input("reason", "textarea", _("Reason"))),
            summary=_("Ask for the one extension of the decision limit"), timeline=_("Extension requested"),
            done=_("The extension was requested from the department head."), when=R + "extension_refusal"),
    Command("approve_extension", CASE, _("Approve the extension"), ("approve_extension",), (HEAD,),
            S + "approve_extension", actor="head", inputs=(NOTE,),
            summary=_("The department head approves the extension"), timeline=_("Extension approved"),
            done=_("The extension was approved; the applicant is notified."), event="extension_approved",
            document="extension_notice", when=R + "no_pending_extension"),
    Command("give_review_opinion", CASE, _("Give the review opinion"), (), DEPT, S + "give_review_opinion",
            path="review-opinion",
            inputs=(Input("proposal", "decision", _("Proposed outcome"), required=True,
                          help=_("true: propose approval; false: propose refusal.")),
                    Input("opinion", "textarea", _("Review opinion"), required=True)),
            summary=_("The reviewer's opinion (审查意见) with the outcome they propose to the officer who signs"),
            done=_("Your review opinion was recorded."), when=R + "review_opinion_refusal"),
    Command("decide", CASE, _("Sign the decision"), ("approve", "refuse"), SIGNING_JOBS, S + "decide",
            inputs=(APPROVE, Input("opinion", "textarea", _("Approval opinion")), CONDITIONS, REASONS, REMEDIES),
            summary=_("Decide: approve, or refuse with reasons and remedies"), timeline=_("Decision made"),
            done=_("The decision was signed."), event="case_decided", document="decision",
            when=R + "case_decision_refusal", cancels_tasks=True),
    Command("issue_licence", CASE, _("Issue the licence"), ("issue_licence",), DEPT, S + "issue_licence",
            inputs=(Input("licence_no", "text", _("Licence number (empty: generated)"), max_length=60),),
            summary=_("Issue the licence"), timeline=_("Licence issued"), done=_("The licence was issued."),
            event="licence_issued", document="licence"),
    Command("deliver", CASE, _("Record the delivery"), ("deliver",), (*DEPT, FRONT_DESK), S + "deliver",
            inputs=(Input("method", "choice", _("Method"), required=True,
                          choices=tuple(Case.DeliveryMethod.choices), source="delivery_methods"),
                    Input("tracking_no", "text", _("Tracking number (post)"), max_length=60)),
            summary=_("Deliver the licence (window, post, electronic)"), timeline=_("Licence delivered"),
            done=_("The delivery was recorded."), event="case_status_changed"),
    Command("close", CASE, _("Close the case"), ("close",), (*DEPT, FRONT_DESK), S + "close",
            summary=_("Close the case"), timeline=_("Case closed"), done=_("The case was closed."),
            event="case_status_changed"),
    Command("terminate", CASE, _("Terminate the review"), ("terminate",), (*DEPT, FRONT_DESK), S + "terminate",
            inputs=(Input("legal_reason", "textarea", _("Legal reason")),),
            summary=_("Terminate the review for a stated legal reason (终止审查)"), timeline=_("Review terminated"),
            done=_("The review was terminated; the applicant is notified."), event="case_terminated", danger=True, cancels_tasks=True),
    # --- assignment of single-department cases (no state change; CaseAssignment history) ------
    Command("claim_case", CASE, _("Claim"), (), DEPT, S + "claim_case", path="claim",
            summary=_("Take an unassigned single-department case"), done=_("You now hold this case."),
            when=R + "claim_refusal"),
    Command("reassign_case", CASE, _("Reassign"), (), (HEAD,), S + "reassign_case", actor="head", path="reassign",
            inputs=(Input("to_user", "officer", _("Reassign to"), required=True, source="department_officers"),
                    Input("reason", "text", _("Reason"))),
            summary=_("The department head gives a single-department case to another officer"),
            done=_("The case was reassigned."), when=R + "reassign_refusal"),
    # --- written by the system ----------------------------------------------------------------
    Command("deem_accepted", CASE, _("Deemed accepted"), ("deem_accepted",),
            timeline=_("Deemed accepted (no intake decision in time)"), event="case_accepted",
            document="acceptance_receipt"),
    Command("expire_pledge", CASE, _("Pledge missed"), ("expire_pledge",),
            timeline=_("Terminated: pledged materials not supplied in time"), event="case_terminated", cancels_tasks=True),
    Command("request_supplement", CASE, _("Request supplementary materials"), ("request_supplement",),
            timeline=_("Supplementary materials requested"), event="case_status_changed"),
    Command("amend_supplement", CASE, _("Extend the supplementary request"), ("amend_supplement",),
            timeline=_("Supplementary materials request extended")),
    Command("decide_part", CASE, _("Decide a part"), ("decide_part",), timeline=_("A department decided its part"),
            event="part_decided"),
)

TASK_INPUTS_FINISH = (OPINION,)
TASK_COMMANDS: tuple[Command, ...] = (
    Command("claim", TASK, _("Claim the task"), ("claim",), DEPT, P + "claim", summary=_("Claim a pending task"),
            done=_("You now hold this task.")),
    Command("start", TASK, _("Start the review"), ("start",), DEPT, P + "start", summary=_("Start reviewing"),
            done=_("The review of the task has started."), when=PR + "assignee_refusal"),
    Command("agree", TASK, _("Agree"), ("agree",), DEPT, P + "agree", inputs=(OPINION,), summary=_("Agree"),
            done=_("Your department agreed."), when=PR + "opinion_refusal"),
    Command("agree_with_conditions", TASK, _("Agree with conditions"), ("agree_with_conditions",), DEPT,
            P + "agree_with_conditions", inputs=(Input("conditions", "textarea", _("Conditions"), required=True),
                                                   OPINION),
            summary=_("Agree with conditions"), done=_("Your department agreed with conditions."),
            when=PR + "opinion_refusal"),
    Command("disagree", TASK, _("Disagree"), ("disagree",), DEPT, P + "disagree", inputs=(OPINION,),
            summary=_("Disagree (with reasons)"), done=_("Your department's disagreement was recorded."),
            when=PR + "opinion_refusal", danger=True),
    Command("request_materials", TASK, _("Request materials"), ("request_materials",), DEPT,
            P + "request_materials", inputs=(REQUESTS,),
            summary=_("Ask the applicant for materials (the round's combined notice)"),
            done=_("The applicant was asked for the materials."), when=PR + "finish_refusal"),
    Command("hand_over", TASK, _("Hand over for sign-off"), (), DEPT, P + "hand_over",
            inputs=(Input("to", "officer", _("Hand over to"), required=True, source="signers"),
                    Input("outcome", "choice", _("Proposed outcome"), required=True, choices=OUTCOMES,
                          source="outcomes"),
                    OPINION, Input("conditions", "textarea", _("Conditions")),
                    Input("requests", "requests", _("Materials requested"), source="materials")),
            summary=_("Two-level approval: hand over to an approver with a proposal"),
            done=_("The task was handed over for sign-off."), when=PR + "hand_over_refusal"),
    Command("sign_off", TASK, _("Sign off the proposal"), (), SIGNING_JOBS, P + "sign_off",
            summary=_("Two-level approval: sign off the reviewer's proposal"),
            done=_("The proposal was signed off."), when=PR + "sign_off_refusal"),
    Command("reassign", TASK, _("Reassign"), (), (HEAD,), P + "reassign", actor="head",
            inputs=(Input("to", "officer", _("Reassign to"), required=True, source="department_officers"),),
            summary=_("The department head reassigns the task"), done=_("The task was reassigned."),
            when=PR + "reassign_refusal"),
    Command("start_special_procedure", TASK, _("Start a special procedure"), (), DEPT,
            P + "start_special_procedure", inputs=PROCEDURE_INPUTS,
            summary=_("Start a special procedure for this task (its days are not counted)"),
            done=_("The special procedure has started; the applicant is notified."),
            when=PR + "procedure_refusal"),
    Command("end_special_procedure", TASK, _("End the special procedure"), (), DEPT, P + "end_special_procedure",
            inputs=END_INPUTS, summary=_("End this task's special procedure"),
            done=_("The special procedure has ended; the dues moved."), when=PR + "no_running_procedure"),
    Command("lead_decide", TASK, _("Sign the decision"), ("agree", "disagree"), DEPT, P + "lead_decide",
            path="decide", log_as="decide", inputs=(APPROVE, CONDITIONS, REASONS, REMEDIES),
            summary=_("Lead decides: approve or refuse the case with every opinion in"),
            done=_("The decision was signed."), when=PR + "lead_refusal"),
    Command("suspend", TASK, _("Suspend until materials are supplied"), ("request_materials",), DEPT,
            P + "suspend", inputs=(REQUESTS,),
            summary=_("Lead decides: suspend until the applicant supplies materials"),
            done=_("The case is suspended until the applicant supplies the materials."), when=PR + "suspend_refusal"),
    Command("attach", TASK, _("Attach a file"), (), DEPT, P + "attach", upload=True, when=PR + "attach_refusal"),
)

COMMANDS = {CASE: {c.name: c for c in CASE_COMMANDS}, TASK: {c.name: c for c in TASK_COMMANDS}}


def case_command(name: str) -> Command:
    return COMMANDS[CASE][name]


def task_command(name: str) -> Command:
    return COMMANDS[TASK][name]


def logged(name: str) -> Command | None:
    """The case command a ``TransitionLog.command`` value stands for."""
    return next((c for c in CASE_COMMANDS if c.logged_as == name), None)


def label(name: str, on: str = CASE):
    """The human name of a command (its button), by code name or logged name."""
    row = COMMANDS[on].get(name) or next((c for c in COMMANDS[on].values() if c.logged_as == name), None)
    return row.label if row else name


def timeline_labels() -> dict[str, str]:
    """``TransitionLog.command`` → what the applicant's timeline says."""
    return {c.logged_as: c.timeline for c in CASE_COMMANDS if c.timeline}


def by_event(*events: str) -> tuple[str, ...]:
    """The logged names of the case commands that announce one of ``events`` (reports, notices)."""
    return tuple(c.logged_as for c in CASE_COMMANDS if c.event in events)


def cancelling() -> tuple[str, ...]:
    """The logged names of the case commands that may cancel a joint case's open department tasks."""
    return tuple(c.logged_as for c in CASE_COMMANDS if c.cancels_tasks)
