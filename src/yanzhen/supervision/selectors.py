"""Reads of work plans and milestones, through the data scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.cooperation.models import Base
from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.scope import scope_of
from yanzhen.supervision.models import Milestone, WorkPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

    AnyUser = User | AnonymousUser


def milestone_qs(user: AnyUser) -> QuerySet[Milestone]:
    """Milestones of visible bases, and those owned by a unit in scope."""
    return Milestone.objects.filter(
        Q(base__in=base_qs(user)) | scope_of(user).q("owner_unit", None)
    )


def milestone_list(*, user: AnyUser, base: Base | None = None) -> QuerySet[Milestone]:
    qs = milestone_qs(user).select_related("owner_unit", "owner_person", "base")
    if base is not None:
        qs = qs.filter(base=base)
    return qs.order_by("due_date", "sort_order", "id")


def milestone_get(user: AnyUser, pk: int) -> Milestone:
    return get_object_or_404(milestone_qs(user).select_related("base", "owner_unit"), pk=pk)


def work_plan_get(user: AnyUser, base_pk: int) -> WorkPlan:
    return get_object_or_404(WorkPlan.objects.filter(base__in=base_qs(user)), base_id=base_pk)
