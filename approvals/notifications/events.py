"""The events the platform notifies about, and how their texts are rendered.

Each event has one text template per language under ``templates/notifications/events/``, named
``<event>.<language>.txt``: the first line is the subject, the rest (after a blank line) the body.
The SMS text is the body. Templates are plain text (no HTML escaping) and are rendered with the
recipient's language active, so date filters follow it too. A language without its own template
falls back to Simplified Chinese, the product language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _

IN_APP, EMAIL, SMS = "in_app", "email", "sms"
FALLBACK_LANGUAGE = "zh-hans"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ENGINE = Engine(dirs=[str(Path(__file__).parent / "templates")], autoescape=False)


@dataclass(frozen=True)
class Event:
    key: str
    required: tuple[str, ...]
    channels: tuple[str, ...]


_CASE = ("case_no", "item_name")
EVENTS: dict[str, Event] = {
    e.key: e
    for e in (
        # To applicants.
        Event("case_submitted", _CASE, (IN_APP, EMAIL)),
        Event("correction_requested", (*_CASE, "problem_count"), (IN_APP, EMAIL, SMS)),
        Event("case_accepted", (*_CASE, "decision_due"), (IN_APP, EMAIL, SMS)),
        Event("case_not_accepted", _CASE, (IN_APP, EMAIL, SMS)),
        Event("special_procedure_started", (*_CASE, "procedure", "expected_days"), (IN_APP, EMAIL)),
        Event("extension_approved", (*_CASE, "days", "decision_due"), (IN_APP, EMAIL, SMS)),
        Event("case_approved", _CASE, (IN_APP, EMAIL, SMS)),
        Event("case_refused", _CASE, (IN_APP, EMAIL, SMS)),
        Event("licence_issued", _CASE, (IN_APP, EMAIL, SMS)),
        Event("case_terminated", (*_CASE, "reason"), (IN_APP, EMAIL, SMS)),
        # Independent join policy: one department's part decision (``result`` approved/refused;
        # optional ``reason`` and ``conditions``).
        Event("part_decided", (*_CASE, "department", "result"), (IN_APP, EMAIL, SMS)),
        # Any other change of state (review started, delivered, closed, withdrawn …): ``state`` is
        # its display name in the recipient's language.
        Event("case_status_changed", (*_CASE, "state"), (IN_APP, EMAIL)),
        # To officers.
        Event("task_assigned", (*_CASE, "due"), (IN_APP,)),
        # A task the officer had claimed was cancelled; ``reason`` is the cancel reason's code
        # (case_refused, withdraw, terminate, expire_pledge, next_round).
        Event("task_cancelled", (*_CASE, "department", "reason"), (IN_APP,)),
        Event("deadline_warning", (*_CASE, "due"), (IN_APP, SMS)),
        # Supervision sweep digests (approvals.supervision.sweep).
        Event("supervision_cards", ("department", "prompts", "yellow", "red", "cases"), (IN_APP, EMAIL, SMS)),
        Event("supervision_summary", ("prompts", "yellow", "red", "departments"), (IN_APP, EMAIL, SMS)),
        Event("complaint_replied", ("number", "subject"), (IN_APP, EMAIL, SMS)),
        Event("bad_rating", (*_CASE, "level", "callback_due"), (IN_APP, SMS)),
    )
}


def get_event(key: str) -> Event:
    try:
        return EVENTS[key]
    except KeyError:
        raise ValidationError(
            {"event": _("Unknown notification event “%(event)s”.") % {"event": key}}
        ) from None


def check_context(event: Event, context: dict) -> None:
    missing = [name for name in event.required if context.get(name) in (None, "")]
    if missing:
        raise ValidationError(
            {
                "context": _("The notification “%(event)s” needs: %(missing)s.")
                % {"event": event.key, "missing": ", ".join(missing)}
            }
        )


def render(event_key: str, context: dict, language: str) -> tuple[str, str]:
    """(subject, body) of ``event_key`` in ``language`` (falling back to Simplified Chinese).

    ISO date strings in ``context`` (as a JSON round trip leaves them) are read back as dates.
    """
    try:
        template = _ENGINE.get_template(f"notifications/events/{event_key}.{language}.txt")
    except TemplateDoesNotExist:
        language = FALLBACK_LANGUAGE
        template = _ENGINE.get_template(f"notifications/events/{event_key}.{language}.txt")
    values = {
        k: date.fromisoformat(v) if isinstance(v, str) and _ISO_DATE.match(v) else v
        for k, v in context.items()
    }
    with translation.override(language):
        text = template.render(Context(values)).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip()[:200], body.strip()
