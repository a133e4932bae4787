"""Catalog reads shared by the public API, pages and the admin.

Each function decides its own ``select_related`` / ``prefetch_related`` so that the number of
queries does not depend on how many items or child rows there are (pinned by tests).
"""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from .models import CoDepartment, Department, FormField, Item, ItemVersion, MaterialRequirement

# Child rows shown on an item's public page, in display order (VersionChild.Meta.ordering).
DETAIL_PREFETCHES = (
    "legal_bases",
    "materials",
    Prefetch("co_departments", queryset=CoDepartment.objects.select_related("department")),
    "special_procedures",
    "fees",
    "faqs",
    "form_fields",
)


def departments() -> QuerySet[Department]:
    """Every department, with its parent in the same query."""
    return Department.objects.select_related("parent").order_by("code")


def items_in_force(on: date | None = None) -> QuerySet[ItemVersion]:
    """The version in force on ``on`` (default: today in Asia/Shanghai) of every item, one row each."""
    return (
        ItemVersion.objects.in_force(on or timezone.localdate())
        .select_related("item", "department")
        .order_by("item__code")
    )


def item_version_in_force(code: str, on: date | None = None) -> ItemVersion | None:
    """The version of item ``code`` in force on ``on``, with every public child row prefetched."""
    return (
        ItemVersion.objects.in_force(on or timezone.localdate())
        .filter(item__code=code)
        .select_related("item", "department")
        .prefetch_related(*DETAIL_PREFETCHES)
        .order_by("-version")
        .first()
    )


def item_versions(code: str, *, include_drafts: bool = False) -> QuerySet[ItemVersion]:
    """The versions of item ``code``, newest first; drafts are not public."""
    qs = ItemVersion.objects.filter(item__code=code).order_by("-version")
    if not include_drafts:
        qs = qs.exclude(status=ItemVersion.Status.DRAFT)
    return qs


def items_with_current_version(on: date | None = None) -> QuerySet[Item]:
    """Items annotated with their version in force (name, number, status) and their latest version.

    Used by the admin change list: one query whatever the number of items.
    """
    on = on or timezone.localdate()
    in_force = ItemVersion.objects.in_force(on).filter(item=OuterRef("pk")).order_by("-version")
    latest = ItemVersion.objects.filter(item=OuterRef("pk")).order_by("-version")
    return Item.objects.annotate(
        current_name=Subquery(in_force.values("name")[:1]),
        current_version=Subquery(in_force.values("version")[:1]),
        current_status=Subquery(in_force.values("status")[:1]),
        latest_version=Subquery(latest.values("version")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
    )


class ApplicationSpecs(NamedTuple):
    """What an application to one version must contain: its form fields and material requirements."""

    form_fields: tuple[FormField, ...]
    materials: tuple[MaterialRequirement, ...]


def application_specs(version: ItemVersion) -> ApplicationSpecs:
    """The form fields and materials of ``version``, in display order.

    A published version never changes (``ItemVersion.ensure_editable``), so its specs are read
    once per process and kept; the key includes ``published_at`` so that a reused primary key
    (a rolled-back test database) can never return another version's rows. Drafts are read anew.
    """
    if version.status == ItemVersion.Status.DRAFT or version.published_at is None:
        return _read_specs(version.pk)
    return _published_specs(version.pk, version.published_at)


def _read_specs(version_id: int) -> ApplicationSpecs:
    return ApplicationSpecs(
        tuple(FormField.objects.filter(version_id=version_id).order_by("position", "pk")),
        tuple(MaterialRequirement.objects.filter(version_id=version_id).order_by("position", "pk")),
    )


@lru_cache(maxsize=4096)
def _published_specs(version_id: int, published_at: datetime) -> ApplicationSpecs:
    return _read_specs(version_id)


# --- catalog rows on the case engine's write path (kept per process for a moment) ---------------
#
# Filing a case and every command on it read the item version with its item and department. Those
# rows change rarely (publishing, retiring, an admin edit), so each process keeps what it read for
# ``CATALOG_CACHE_SECONDS`` (default 1 s). A change made in this process clears the cache at once
# and again when it commits (``catalog_changed``, a receiver of ``signals.catalog_written``). A
# change made in another process is seen within that time: as if the request had come that moment
# earlier, the bound the working-day calendar also uses (``CALENDAR_VERSION_CHECK_SECONDS``).
# 0 switches the cache off.

_MAX_ENTRIES = 4096
_rows: dict[tuple, tuple[float, ItemVersion | None]] = {}
_rows_lock = threading.Lock()


def _ttl() -> float:
    return float(getattr(settings, "CATALOG_CACHE_SECONDS", 1.0) or 0)


def _cached(key: tuple, load):
    ttl = _ttl()
    if ttl <= 0:
        return load()
    now = time.monotonic()
    hit = _rows.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    with _rows_lock:
        if len(_rows) >= _MAX_ENTRIES:
            _rows.clear()
        _rows[key] = (now + ttl, value)
    return value


def catalog_changed(**_kwargs) -> None:
    """Forget the cached catalog rows now and when the current transaction commits."""
    _clear_rows()
    if connection.in_atomic_block:
        transaction.on_commit(_clear_rows)


def _clear_rows() -> None:
    with _rows_lock:
        _rows.clear()


def _versions_with_relations() -> QuerySet[ItemVersion]:
    return ItemVersion.objects.select_related("item", "department")


def version_for_filing(code: str, on: date) -> ItemVersion | None:
    """The version of item ``code`` in force on ``on`` (the one a new case is pinned to), with its
    item and department; ``None`` when no version is in force. Shared, read-only instance."""
    def load():
        version = _versions_with_relations().in_force(on).filter(item__code=code).order_by("-version").first()
        if version is not None:  # the case about to be filed names it next (version_of_case)
            _cached(("pk", version.pk), lambda: version)
        return version

    return _cached(("in_force", code, on), load)


def version_of_case(version_id: int) -> ItemVersion:
    """The item version a case is pinned to, with its item and department. Shared, read-only instance."""
    # .get(): a missing version (impossible for an existing case: PROTECT) raises and is not cached
    return _cached(("pk", version_id), lambda: _versions_with_relations().get(pk=version_id))
