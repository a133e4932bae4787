"""Any write to the catalog invalidates the portal's cached public pages (selectors.catalog_generation)."""

from django.db import transaction

from approvals.items.signals import catalog_written

from .selectors import bump_catalog_generation


def _catalog_changed(sender, **kwargs):
    # Bump now (this process reads fresh data at once) and again after commit, so a page rendered
    # by another process between the write and the commit is not cached under the new generation.
    bump_catalog_generation()
    transaction.on_commit(bump_catalog_generation)


def connect() -> None:
    catalog_written.connect(_catalog_changed, dispatch_uid="portal-catalog-written")
