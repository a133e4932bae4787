"""Fixtures of the supervision tests (defined in ``supervision_world``): ``on_day`` and ``world``."""

from tests.supervision.supervision_world import on_day, world  # noqa: F401
