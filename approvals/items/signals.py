"""``catalog_written``: sent after any write to the catalog in this process.

Sent for every save or delete of a catalog row (departments, items, versions and their child rows)
and by the XLSX import, whose bulk writes send no model signals. The catalog caches listen to it:
the case engine's rows (``selectors.catalog_changed``) and the portal's public pages
(``citizen_portal.signals``). Receivers run inside the writer's transaction and should act again
on commit (``transaction.on_commit``) so that nothing read before the commit stays cached.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

catalog_written = Signal()


def _model_written(sender, **_kwargs) -> None:
    catalog_written.send(sender=sender)


def connect() -> None:
    from . import models, selectors

    for model in (
        models.Department, models.Item, models.ItemVersion, models.CoDepartment, models.LegalBasis,
        models.MaterialRequirement, models.SpecialProcedure, models.Fee, models.FAQ, models.FormField,
    ):
        post_save.connect(_model_written, sender=model, dispatch_uid=f"catalog-written-save-{model.__name__}")
        post_delete.connect(_model_written, sender=model, dispatch_uid=f"catalog-written-delete-{model.__name__}")
    catalog_written.connect(selectors.catalog_changed, dispatch_uid="catalog-written-engine-rows")
