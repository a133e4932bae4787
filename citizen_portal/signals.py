"""Any write to the catalog invalidates the portal's cached public pages (selectors.catalog_generation)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from approvals.items.models import (
    FAQ,
    CoDepartment,
    Department,
    Fee,
    FormField,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
)

from .selectors import bump_catalog_generation

CATALOG_MODELS = (
    ItemVersion, Department, CoDepartment, LegalBasis, MaterialRequirement, SpecialProcedure, Fee, FAQ, FormField,
)


def _catalog_changed(sender, **kwargs):
    # Bump now (this process reads fresh data at once) and again after commit, so a page rendered
    # by another process between the write and the commit is not cached under the new generation.
    bump_catalog_generation()
    transaction.on_commit(bump_catalog_generation)


def connect() -> None:
    for model in CATALOG_MODELS:
        post_save.connect(_catalog_changed, sender=model, dispatch_uid=f"portal-catalog-save-{model.__name__}")
        post_delete.connect(_catalog_changed, sender=model, dispatch_uid=f"portal-catalog-delete-{model.__name__}")
