"""What the supervision adds to the cooperation bases' pages (found through ``core.registry``
by ``cooperation.selectors.base_figures`` and ``base_page``): each base's milestones counted in
the list of bases, and its work plan and milestones on its page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from yanzhen.cooperation.models import Base
from yanzhen.cooperation.selectors import base_qs
from yanzhen.supervision.models import MilestoneStatus
from yanzhen.supervision.selectors import milestone_list

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User


def figures(*, user: User | AnonymousUser, bases: Sequence[Base]) -> dict[int, dict[str, int]]:
    """Per visible base: its milestones, the overdue ones (not done, past due) and those done."""
    today = timezone.localdate()
    not_done = ~Q(milestones__status=MilestoneStatus.DONE)
    counted = (
        base_qs(user)
        .filter(pk__in=[b.pk for b in bases])
        .annotate(
            ms=Count("milestones", distinct=True),
            od=Count(
                "milestones", filter=Q(milestones__due_date__lt=today) & not_done, distinct=True
            ),
            dn=Count(
                "milestones", filter=Q(milestones__status=MilestoneStatus.DONE), distinct=True
            ),
        )
    )
    out = {b.pk: {"milestones": 0, "overdue": 0, "done": 0} for b in bases}
    for pk, milestones, overdue, done in counted.values_list("pk", "ms", "od", "dn"):
        out[pk] = {"milestones": milestones, "overdue": overdue, "done": done}
    return out


def page(*, user: User, base: Base) -> dict[str, object]:
    """The base's work plan and milestones, and whether the user may add one."""
    return {
        "plan": getattr(base, "work_plan", None),
        "milestones": milestone_list(user=user, base=base),
        "can_add_milestone": user.has_perm("supervision.add_milestone"),
    }
