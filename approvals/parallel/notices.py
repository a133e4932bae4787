"""Who is told what about department tasks.

- An officer given a task (reassigned by the head, or handed over for sign-off) gets the
  ``task_assigned`` notification through ``approvals.notifications.services.notify`` (outbox,
  written in the same transaction, deduplicated per task log row).
- Officers whose claimed task is cancelled (the case was refused by the join, withdrawn,
  terminated, or a new round opened) get one ``task_cancelled`` message each, and the applicant
  gets one ``part_decided`` message per department under the independent policy. Both go through
  the case engine's on-commit hook (``approvals.cases.notices.announce``): the case transition that
  causes them (``decide``, ``withdraw``, ``terminate``, ``expire_pledge``, ``resubmit_supplement``;
  ``decide_part`` one row per department) is a ``TransitionLog`` row for which
  ``approvals.cases.tasks.notify_case_changed(case_id, log_id)`` is queued after commit; the cancelled
  tasks' ``TaskLog`` rows name the officers to tell in ``details.notify``.
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
