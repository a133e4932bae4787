"""One-row INSERTs for the rows every filing and every transition writes (a case, its log row).

``Model.save()`` compiles the INSERT anew each time (quoting every column, building placeholders,
the query object) and wraps it in the save machinery; on the intake path that is a measurable share
of a request (bench/case_intake.py). ``insert(obj)`` sends the same statement, compiled once per
model and database vendor, with each field's value prepared exactly as the ORM prepares it
(``pre_save`` with ``add=True``, then ``get_db_prep_save``), and sets the primary key from
``RETURNING``. The models written this way have no save signals or ``save()`` overrides (checked
at first use), so nothing else is skipped. A save listener switches the fast path off for its model
(``fast_path_on``); tests/approvals/test_case_insert_fast_path_stays_on.py fails when that happens
to ``Case`` or ``TransitionLog``.

``insert_numbered(case, region_code, year, log)`` (PostgreSQL) files a new case in ONE statement:
the case-number counter's ``UPDATE … RETURNING``, the case row and (when it is filed at once) its
first log row, as data-modifying CTEs. The counter row stays locked until the transaction ends, as
with ``allocate_case_no`` (numbers stay gap-free), but the lock is taken in the statement that
writes the case, one round trip later than before, so filings of one region wait on each other
for a shorter time.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection, models
from django.db.models.signals import post_save, pre_save


@lru_cache(maxsize=16)
def _compiled(model: type[models.Model], vendor: str) -> tuple[str, tuple[models.Field, ...]]:
    opts = model._meta
    fields = _columns(model)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(opts.pk.column)}"
    )
    return sql, fields


def _columns(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The columns an INSERT of ``model`` writes (as ``save()``); refuses a model whose ``save()``
    is overridden, which these statements would skip."""
    if model.save is not models.Model.save:
        raise TypeError(f"{model.__name__} overrides save(): a compiled insert would skip it")
    opts = model._meta
    return tuple(f for f in opts.concrete_fields if f is not opts.pk or not f.db_returning)


def _listened(model: type[models.Model]) -> bool:
    """Someone listens to the model's saves: only ``save()`` may write it."""
    return pre_save.has_listeners(model) or post_save.has_listeners(model)


def fast_path_on(model: type[models.Model]) -> bool:
    """Whether ``insert`` writes ``model`` with its compiled statement here, rather than falling back
    to ``save()``: nobody listens to its saves and the database returns the new primary key from an
    INSERT. (A ``save()`` override is refused outright, see ``_columns``.)"""
    return not _listened(model) and connection.features.can_return_columns_from_insert


def one_statement_filing_on() -> bool:
    """Whether ``insert_numbered`` can file a case in one statement here: PostgreSQL, with the fast
    path on for both ``Case`` and ``TransitionLog``."""
    from approvals.models import Case, TransitionLog

    return connection.vendor == "postgresql" and fast_path_on(Case) and fast_path_on(TransitionLog)


def _values(obj: models.Model, fields) -> list:
    """Each field's value prepared exactly as ``save()`` prepares it for an INSERT."""
    return [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]


def _saved(obj: models.Model, pk) -> None:
    obj.pk = pk
    obj._state.adding, obj._state.db = False, connection.alias


@lru_cache(maxsize=4)
def _numbered_sql(with_log: bool) -> tuple[str, tuple[models.Field, ...], tuple[models.Field, ...]]:
    """The CTE statement of ``insert_numbered``; every value is cast to its column's type, as
    ``INSERT … SELECT`` does not coerce untyped literals the way ``VALUES`` does."""
    from approvals.models import Case, CaseNumberSequence, TransitionLog

    quote = connection.ops.quote_name
    case_fields = tuple(f for f in _columns(Case) if f.name != "case_no")
    log_fields = tuple(f for f in _columns(TransitionLog) if f.name != "case")
    case_cols = ", ".join(quote(f.column) for f in case_fields)
    case_vals = ", ".join(f"%s::{f.cast_db_type(connection)}" for f in case_fields)
    counter = quote(CaseNumberSequence._meta.db_table)
    sql = (
        f"WITH n AS (UPDATE {counter} SET last = last + 1 WHERE region_code = %s AND year = %s RETURNING last), "  # noqa: S608
        f"c AS (INSERT INTO {quote(Case._meta.db_table)} ({quote('case_no')}, {case_cols}) "
        f"SELECT %s || lpad(n.last::text, 6, '0'), {case_vals} FROM n RETURNING id, case_no)"
    )
    if with_log:
        log_cols = ", ".join(quote(f.column) for f in log_fields)
        log_vals = ", ".join(f"%s::{f.cast_db_type(connection)}" for f in log_fields)
        sql += (
            f", l AS (INSERT INTO {quote(TransitionLog._meta.db_table)} ({quote('case_id')}, {log_cols}) "  # noqa: S608
            f"SELECT c.id, {log_vals} FROM c RETURNING id) SELECT c.id, c.case_no, l.id FROM c, l"
        )
    else:
        sql += " SELECT c.id, c.case_no, NULL FROM c"
    return sql, case_fields, log_fields if with_log else ()


def insert_numbered(case: models.Model, region_code: str, year: int, log: models.Model | None = None) -> bool:
    """PostgreSQL: give ``case`` the next number of ``region_code``/``year`` and INSERT it (and
    ``log``, its first log row, whose ``case`` is set here) in one statement; sets the primary keys
    and ``case.case_no``. False, with nothing written, when this cannot be done in one statement
    (another database, a save listener, or no counter row yet for this region and year): the
    caller then takes the ordinary path."""
    if not one_statement_filing_on():
        return False
    sql, case_fields, log_fields = _numbered_sql(log is not None)
    params = [region_code, year, f"{region_code}-{year}-", *_values(case, case_fields)]
    if log is not None:
        params += _values(log, log_fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:  # no counter row for this region and year yet
        return False
    case.case_no = row[1]
    _saved(case, row[0])
    if log is not None:
        log.case = case
        _saved(log, row[2])
    return True


def insert(obj: models.Model) -> models.Model:
    """INSERT ``obj`` (a new row) and set its primary key; returns ``obj``."""
    model = type(obj)
    if not fast_path_on(model):
        obj.save(force_insert=True)  # someone listens, or no RETURNING: the ordinary path
        return obj
    sql, fields = _compiled(model, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, _values(obj, fields))
        _saved(obj, cursor.fetchone()[0])
    return obj
