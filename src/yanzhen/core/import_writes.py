"""Plain ``INSERT``s of many rows for the import flow's bulk writes (``core.importing``).

Django's ``bulk_create`` compiles one multi-row ``INSERT`` whose every value goes through the
compiler (``field_as_sql``, ``prepare_value``, ``pre_save_val``): for an import's ~11 rows per
cooperation (history, parties, universities, links, stage events, batch items) that compiling
was half of the commit. Here the statement is compiled once per model and the rows are sent
with ``executemany``; each value is prepared by its field (``get_db_prep_save``) unless the
field is of a plain class whose preparation leaves a value of that type as it is (an ``int``
in an ``IntegerField``, a ``str`` in a ``CharField``). A field of any other class — an
encrypted field, a date, a decimal, JSON — is prepared by Django as ``bulk_create`` would.

No signals are sent (as with ``bulk_create``); primary keys are not read back (see
:func:`insert_objects` for rows whose keys are needed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from operator import call
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

# Field classes (exactly these, not subclasses: an encrypted CharField prepares its value)
# whose ``get_db_prep_save`` returns a value of these types unchanged.
_PLAIN_FIELDS: tuple[type[models.Field[Any, Any]], ...] = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.CharField,
    models.TextField,
    models.SlugField,
    models.BooleanField,
    models.ForeignKey,
    models.OneToOneField,
)
_PLAIN_VALUES = (int, str, bool, type(None))
BATCH = 2000
# SQLite's page cache during a large import (KiB; the default is 2,000).
LARGE_CACHE_KIB = 32768


def _is_plain(field: models.Field[Any, Any]) -> bool:
    if type(field) in (models.ForeignKey, models.OneToOneField):
        target = field.target_field  # type: ignore[attr-defined]
        return type(target) in _PLAIN_FIELDS and type(target) not in (
            models.ForeignKey,
            models.OneToOneField,
        )
    return type(field) in _PLAIN_FIELDS


def _preparer(field: models.Field[Any, Any], connection: Any) -> Callable[[object], object]:
    """How a value of ``field`` goes to the driver: as ``get_db_prep_save`` prepares it, with
    shortcuts that give the same result for the common types (a ``str`` in a plain
    ``CharField``, a ``date`` in a ``DateField`` through the backend's own adapter)."""
    prep = field.get_db_prep_save
    if _is_plain(field):

        def plain(value: object) -> object:
            return value if type(value) in _PLAIN_VALUES else prep(value, connection)

        return plain
    ops = connection.ops
    if type(field) is models.DateField:

        def date(value: object) -> object:
            if value is None or type(value) is dt.date:
                return ops.adapt_datefield_value(value)
            return prep(value, connection)

        return date
    if type(field) is models.DateTimeField:
        # An aware datetime is its own prepared value (``get_prep_value`` only converts naive
        # ones and other types): straight to the backend's adapter, as ``prep`` would end.
        def moment(value: object) -> object:
            if value is None or (type(value) is dt.datetime and value.tzinfo is not None):
                return ops.adapt_datetimefield_value(value)
            return prep(value, connection)

        return moment
    if type(field) is models.DecimalField:
        digits, places = field.max_digits, field.decimal_places

        def decimal(value: object) -> object:
            if value is None:
                return None
            if type(value) is Decimal:
                return ops.adapt_decimalfield_value(value, digits, places)
            return prep(value, connection)

        return decimal
    return lambda value: prep(value, connection)


def _statement(
    model: type[models.Model], fields: Sequence[models.Field[Any, Any]], connection: Any
) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # The table's and columns' own names, quoted; the values go as parameters.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608


def _batches(rows: Iterable[Sequence[object]], size: int) -> Iterator[list[Sequence[object]]]:
    batch: list[Sequence[object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    same: Mapping[str, object] | None = None,
) -> int:
    """Insert ``rows`` (each a value per field of ``names``, by attribute name: ``unit_id``)
    into ``model``'s table; ``same``: values every row has (prepared once); the fields named
    in neither take their defaults (``auto_now`` ones the time of the call), as
    ``bulk_create`` would give them. The number of rows written."""
    using = router.db_for_write(model)
    connection = connections[using]
    concrete: list[models.Field[Any, Any]] = list(model._meta.concrete_fields)
    by_name = {f.attname: f for f in concrete} | {f.name: f for f in concrete}
    given = [by_name[n] for n in names]
    shared = {by_name[n]: v for n, v in (same or {}).items()}
    fixed: list[tuple[models.Field[Any, Any], Callable[[], object]]] = []
    for field in concrete:
        if field in given or field in shared or isinstance(field, AutoFieldMixin):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            moment = timezone.now()
            shared[field] = moment.date() if type(field) is models.DateField else moment
        elif field.has_default() and callable(field.default):
            fixed.append((field, field.get_default))
        else:
            shared[field] = field.get_default()
    constants = [_preparer(f, connection)(v) for f, v in shared.items()]
    fields = [*given, *(f for f, _m in fixed), *shared]
    prepare = [_preparer(f, connection) for f in [*given, *(f for f, _m in fixed)]]
    sql = _statement(model, fields, connection)
    makers = [make for _f, make in fixed]
    width = len(given)
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            if any(len(row) != width for row in batch):
                raise ValueError(f"{model.__name__}: each row must give {width} values")
            # Each value through its field's preparer (``operator.call`` mapped: no Python
            # frame per value beyond the preparer's own).
            params: list[list[Any]] = (
                [[*map(call, prepare, [*row, *(m() for m in makers)]), *constants] for row in batch]
                if makers
                else [[*map(call, prepare, row), *constants] for row in batch]
            )
            cursor.executemany(sql, params)
            count += len(params)
    return count


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert unsaved instances (every concrete field but an automatic key, ``pre_save``
    applied as ``bulk_create`` does: ``auto_now`` fields get the time). Their keys are not
    set: read them back by a unique field when needed."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    plain = [_is_plain(f) for f in fields]

    def values(obj: models.Model) -> list[object]:
        return [
            getattr(obj, f.attname) if is_plain else f.pre_save(obj, True)
            for f, is_plain in zip(fields, plain, strict=True)
        ]

    insert_rows(model, [f.attname for f in fields], (values(o) for o in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = router.db_for_write(model)


@contextmanager
def large_cache(kib: int = LARGE_CACHE_KIB) -> Iterator[None]:
    """SQLite's page cache raised to ``kib`` for one large write (a big import's indexes
    outgrow the default 2 MB, and every page missed is read again), restored afterwards: the
    web's connections keep the small default. Nothing on other databases."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={int(before)}")
