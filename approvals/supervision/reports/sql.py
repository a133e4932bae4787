"""SQL pieces the report facts (``facts``) and the measures (``measures``) share: the one dialect
difference (JSON access, ``GREATEST``) and the decision limits of an item version. The layer under
both; it imports neither."""

from __future__ import annotations

from django.db import connection

from approvals.cases.clock import JOINT_DECISION_DAYS, STATUTORY_DECISION_DAYS


class Dialect:
    def __init__(self):
        self.pg = connection.vendor == "postgresql"

    def jtext(self, col: str, key: str) -> str:
        return f"({col}->>'{key}')" if self.pg else f"json_extract({col}, '$.{key}')"

    def jdate(self, col: str, key: str) -> str:
        # SQLite keeps dates as ISO text, the form the log's details use too.
        return f"({col}->>'{key}')::date" if self.pg else f"json_extract({col}, '$.{key}')"

    def jint(self, col: str, key: str) -> str:
        return f"({col}->>'{key}')::integer" if self.pg else f"CAST(json_extract({col}, '$.{key}') AS INTEGER)"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.pg else f"MAX({a}, {b})"


def limits_sql() -> tuple[str, str]:
    """(promised, statutory) working-day limits of version ``v``, as ``approvals.cases.clock.limits``."""
    default = f"CASE WHEN v.is_joint THEN {JOINT_DECISION_DAYS:d} ELSE {STATUTORY_DECISION_DAYS:d} END"
    statutory = f"COALESCE(v.statutory_limit_days, {default})"
    return f"COALESCE(v.promised_limit_days, {statutory})", statutory
