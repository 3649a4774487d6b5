"""What the assessment's services share: the permission check, the freeze of a published
period and the fast update of many rows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.utils.translation import gettext as _

from yanzhen.assessment.models import Period, PeriodState
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import User

CENT = Decimal("0.01")


def require_perm(actor: User | None, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise ForbiddenError()


def frozen(period: Period) -> None:
    """A published period changes no more."""
    if period.state == PeriodState.PUBLISHED:
        raise DomainError("published", _("考核结果已发布，不能再修改"), status=409)


def update_many(model: type[Model], objects: Sequence[Model], fields: Sequence[str]) -> None:
    """``UPDATE … WHERE id = …`` for each object, as one ``executemany`` (``bulk_update`` builds
    one CASE per field and row, which costs more than it saves at this size)."""
    if not objects:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns: list[Field[Any, Any]] = []
    names: list[str] = []
    for name in fields:
        column = meta.get_field(name)
        assert isinstance(column, Field)
        assert column.column
        columns.append(column)
        names.append(quote(column.column))
    assert meta.pk is not None
    assert meta.pk.column
    assignments = ", ".join(f"{name} = %s" for name in names)
    table, key = quote(meta.db_table), quote(meta.pk.column)
    # Identifiers come from the model's metadata; the values are parameters.
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def money(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)
