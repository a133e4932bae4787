"""Case commands: one function per legal command (domain.md section 4), grouped by phase.

Every command: one transaction; lock the case (``kernel.lock_case``); check the user may act
(``permissions.ensure_can``: 404 if they cannot see it, 403 if they may not act); check the state
(``kernel.require``: ``Conflict`` otherwise, so a second concurrent command finds the new state and
fails); validate the input (``ValidationError`` listing every problem); fire the django-fsm
transition; recompute the dates with ``clock.refresh``; save; write one ``TransitionLog`` row whose
announcement is queued on commit with IDs only. The command table (``approvals.cases.commands``)
names each of these functions once.

- ``filing``: create_case, attach_material, submit, resubmit, withdraw
- ``intake``: request_correction, accept, accept_with_pledge, not_accept, intake_at_window
- ``review``: start_review, give_review_opinion, start/end_special_procedure, request/approve_extension
- ``decision``: decide, issue_licence, deliver, close, terminate
- ``assignment``: claim_case, reassign_case
- ``sweeps``: sweep_intake_deadlines (deemed acceptance, missed pledges)
"""

from approvals.parallel.services import resubmit_supplement

from ..commands import STANDARD_REMEDIES
from ..rules import missing_pledgeable, pledge_offered
from .assignment import claim_case, reassign_case
from .decision import close, decide, deliver, issue_licence, terminate
from .filing import (
    VERIFICATION_ALPHABET,
    VERIFICATION_LENGTH,
    allocate_case_no,
    attach_material,
    create_case,
    new_verification_code,
    resubmit,
    submit,
    withdraw,
)
from .intake import accept, accept_with_pledge, intake_at_window, not_accept, request_correction
from .review import (
    approve_extension,
    end_special_procedure,
    give_review_opinion,
    request_extension,
    start_review,
    start_special_procedure,
)
from .sweeps import sweep_intake_deadlines

__all__ = [
    "STANDARD_REMEDIES",
    "VERIFICATION_ALPHABET",
    "VERIFICATION_LENGTH",
    "accept",
    "accept_with_pledge",
    "allocate_case_no",
    "approve_extension",
    "attach_material",
    "claim_case",
    "close",
    "create_case",
    "decide",
    "deliver",
    "end_special_procedure",
    "give_review_opinion",
    "intake_at_window",
    "issue_licence",
    "missing_pledgeable",
    "new_verification_code",
    "not_accept",
    "pledge_offered",
    "reassign_case",
    "request_correction",
    "request_extension",
    "resubmit",
    "resubmit_supplement",
    "start_review",
    "start_special_procedure",
    "submit",
    "sweep_intake_deadlines",
    "terminate",
    "withdraw",
]
