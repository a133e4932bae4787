"""The documented task state table (module docstring and ``TASK_STATE_TABLE``) is the FSM's table."""

import re

from approvals.parallel import models
from approvals.parallel.models import TASK_STATE_TABLE, DepartmentTask, TaskState


def test_task_state_table_equals_the_fsm_transitions():
    fsm = {(str(t.source), str(t.target), t.name) for t in DepartmentTask().get_all_state_transitions()}
    table = {(str(src), str(target), method) for method, sources, target in TASK_STATE_TABLE for src in sources}
    assert fsm == table


def test_docstring_table_names_every_transition_with_its_target():
    rows = re.findall(r"^(\w+)\s{2,}.+?\s{2,}(\w+)\s{2,}\S", models.__doc__, re.MULTILINE)
    documented = {(method, target) for method, target in rows if method != "FSM"}
    assert documented == {(method, str(target)) for method, _sources, target in TASK_STATE_TABLE}


def test_every_task_state_is_reachable_and_final_states_have_no_exit():
    targets = {str(t) for _m, _s, t in TASK_STATE_TABLE}
    assert targets | {TaskState.PENDING} == set(TaskState.values)
    sources = {str(s) for _m, sources, _t in TASK_STATE_TABLE for s in sources}
    assert set(models.CLOSED_TASK_STATES).isdisjoint(sources)
