"""One-row INSERTs for the rows every filing and every transition writes (a case, its log row).

``Model.save()`` compiles the INSERT anew each time (quoting every column, building placeholders,
the query object) and wraps it in the save machinery; on the intake path that is a measurable share
of a request (bench/case_intake.py). ``insert(obj)`` sends the same statement, compiled once per
model and database vendor, with each field's value prepared exactly as the ORM prepares it
(``pre_save`` with ``add=True``, then ``get_db_prep_save``), and sets the primary key from
``RETURNING``. The models written this way have no save signals or ``save()`` overrides (checked
at first use), so nothing else is skipped.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection, models
from django.db.models.signals import post_save, pre_save


@lru_cache(maxsize=16)
def _compiled(model: type[models.Model], vendor: str) -> tuple[str, tuple[models.Field, ...]]:
    if model.save is not models.Model.save:
        raise TypeError(f"{model.__name__} overrides save(): insert() would skip it")
    opts = model._meta
    fields = tuple(f for f in opts.concrete_fields if f is not opts.pk or not f.db_returning)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(opts.pk.column)}"
    )
    return sql, fields


def insert(obj: models.Model) -> models.Model:
    """INSERT ``obj`` (a new row) and set its primary key; returns ``obj``."""
    model = type(obj)
    if (
        pre_save.has_listeners(model)
        or post_save.has_listeners(model)
        or not connection.features.can_return_columns_from_insert
    ):
        obj.save(force_insert=True)  # someone listens, or no RETURNING: the ordinary path
        return obj
    sql, fields = _compiled(model, connection.vendor)
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj
