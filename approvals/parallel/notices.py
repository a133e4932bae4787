"""Who is told what about department tasks.

- An officer given a task (reassigned by the head, or handed over for sign-off) gets the
  ``task_assigned`` notification through ``approvals.notifications.services.notify`` (outbox,
  written in the same transaction, deduplicated per task log row).
- Officers whose claimed task is cancelled (the case was refused by the join, withdrawn,
  terminated, or a new round opened) and the applicant's separate part decisions (independent
  policy) have no event in ``approvals.notifications.events`` yet. They go through the case
  engine's on-commit hook: the case transition that causes them (``decide`` with
  ``details.notify_officers``, ``decide_part`` one row per department, ``withdraw``/``terminate``)
  is a ``TransitionLog`` row and ``approvals.tasks.notify_case_changed(case_id, log_id)`` is
  queued for each row after commit; the cancelled tasks' ``TaskLog`` rows name the officers in
  ``details.notify``. Adding ``task_cancelled`` and ``part_decided`` events would let
  ``notify`` carry them as real messages.
"""

from __future__ import annotations


def task_assigned(task, user, entry) -> None:
    from approvals.notifications.services import notify

    case = task.case
    notify(
        [user.pk],
        "task_assigned",
        {"case_no": case.case_no, "item_name": case.item_version.name, "due": task.due},
        dedup_key=f"task:{task.pk}:assigned:{entry.pk}",
    )
