"""The documented state table (module docstring and ``STATE_TABLE``) is the FSM's real table."""

import re

from approvals.cases import models
from approvals.models import STATE_TABLE, Case, State


def _fsm_edges() -> set[tuple[str, str, str]]:
    return {(str(t.source), str(t.target), t.name) for t in Case().get_all_state_transitions()}


def _table_edges() -> set[tuple[str, str, str]]:
    return {(str(src), str(target), method) for method, sources, target in STATE_TABLE for src in sources}


def test_state_table_equals_the_fsm_transitions():
    assert _fsm_edges() == _table_edges()


def test_docstring_table_names_every_transition_with_its_target():
    rows = re.findall(r"^(\w+)\s{2,}.+?\s{2,}(\w+)\s{2,}\S", models.__doc__, re.MULTILINE)
    documented = {(method, target) for method, target in rows if method not in {"FSM"}}
    assert documented == {(method, str(target)) for method, _sources, target in STATE_TABLE}


def test_every_state_is_reachable_and_terminal_states_have_no_exit():
    targets = {str(target) for _m, _s, target in STATE_TABLE}
    assert targets | {State.DRAFT} == set(State.values)
    sources = {str(s) for _m, sources, _t in STATE_TABLE for s in sources}
    assert {State.CLOSED, State.WITHDRAWN, State.TERMINATED}.isdisjoint(sources)
