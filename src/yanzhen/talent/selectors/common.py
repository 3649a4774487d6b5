"""Helpers of the talent selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from yanzhen.core.models import UnitClosure

if TYPE_CHECKING:
    pass


def subtree(unit_id: int) -> QuerySet[UnitClosure, Any]:
    return UnitClosure.objects.filter(ancestor_id=unit_id).values("descendant_id")


def _unit_q(lookup: str, unit_id: int | None, sub: bool) -> Q:
    if unit_id is None:
        return Q()
    if sub:
        return Q(**{f"{lookup}__in": subtree(unit_id)})
    return Q(**{f"{lookup}_id": unit_id})
