"""Django looks for the ``approvals`` app's models here; they live in the case engine component,
``approvals.cases.models`` (the app label stays ``approvals``, so tables and migrations did not move)."""

from approvals.cases.models import (  # noqa: F401
    ASSIGNABLE_STATES,
    COMMAND_OF_METHOD,
    DECISION_CLOCK_STATES,
    OPEN_STATES,
    PLEDGE_STATES,
    STATE_TABLE,
    TERMINABLE_STATES,
    Case,
    CaseAssignment,
    CaseMaterial,
    CaseNumberSequence,
    CorrectionNotice,
    Extension,
    IdempotencyRecord,
    Pledge,
    SpecialProcedurePause,
    State,
    TransitionLog,
    documented_edges,
)
