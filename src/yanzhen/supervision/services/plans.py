"""Work plans and their milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Base
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Person, Unit, User
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify
from yanzhen.supervision.models import Milestone, MilestoneStatus, WorkPlan
from yanzhen.supervision.services.common import check_unit, fail, save

WORK_PLAN_FIELDS = ("title", "adopted_on", "summary", "document")


@transaction.atomic
def work_plan_create(
    *,
    actor: User | None,
    base: Base,
    title: str,
    adopted_on: dt.date | None,
    summary: str = "",
    document: UploadedFile[bytes] | None = None,
) -> WorkPlan:
    """The work plan of a base that has none."""
    if WorkPlan.objects.filter(base=base).exists():
        raise fail("title", _("该基地已有工作方案，请修改现有方案"), "duplicate")
    plan = WorkPlan(base=base, title=title, adopted_on=adopted_on, summary=summary)
    return _work_plan_save(actor, plan, document)


@transaction.atomic
def work_plan_update(*, actor: User | None, work_plan: WorkPlan, **fields: Any) -> WorkPlan:
    """Change the fields given (``WORK_PLAN_FIELDS``; a ``document`` of None keeps the file)."""
    unknown = set(fields) - set(WORK_PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown work plan fields: {sorted(unknown)}")
    document = fields.pop("document", None)
    for name, value in fields.items():
        setattr(work_plan, name, value)
    return _work_plan_save(actor, work_plan, document)


def _work_plan_save(
    actor: User | None, plan: WorkPlan, document: UploadedFile[bytes] | None
) -> WorkPlan:
    plan.title = plan.title.strip()
    if document:  # None or False (a cleared field): the file stays
        plan.document.save(document.name or "plan", document, save=False)
    save(plan, actor)
    return plan


MILESTONE_FIELDS = (
    *("base", "title", "owner_unit", "owner_person", "due_date", "deliverable", "status"),
    *("done_date", "sort_order"),
)


@transaction.atomic
def milestone_create(
    *,
    actor: User | None,
    base: Base,
    title: str,
    owner_unit: Unit,
    due_date: dt.date,
    owner_person: Person | None = None,
    deliverable: str = "",
    status: str = MilestoneStatus.NOT_STARTED,
    done_date: dt.date | None = None,
    sort_order: int | None = 0,
) -> Milestone:
    """A milestone of a base's work plan."""
    milestone = Milestone(
        base=base,
        title=title,
        owner_unit=owner_unit,
        owner_person=owner_person,
        due_date=due_date,
        deliverable=deliverable,
        status=status,
        done_date=done_date,
        sort_order=sort_order or 0,
    )
    return _milestone_save(actor, milestone, handed=True)


@transaction.atomic
def milestone_update(*, actor: User | None, milestone: Milestone, **fields: Any) -> Milestone:
    """Change the fields given (``MILESTONE_FIELDS``); the others keep their values."""
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"unknown milestone fields: {sorted(unknown)}")
    owner_before = milestone.owner_unit_id
    for name, value in fields.items():
        setattr(milestone, name, value)
    milestone.sort_order = milestone.sort_order or 0
    return _milestone_save(actor, milestone, handed=milestone.owner_unit_id != owner_before)


@transaction.atomic
def milestone_delete(*, actor: User | None, milestone: Milestone) -> None:
    """Remove a milestone filed by mistake (an import undone): not one that reports name."""
    check_unit(actor, milestone.owner_unit, field="owner_unit", label=_("责任单位"))
    if milestone.report_items.exists():
        raise fail("title", _("节点“%(title)s”已有报送进展，不能删除") % {"title": milestone.title})
    milestone._history_user = actor  # type: ignore[attr-defined]
    milestone.delete()


def _milestone_save(actor: User | None, milestone: Milestone, *, handed: bool) -> Milestone:
    """Check and save; a milestone handed to a unit (new, or a new owner) notifies it."""
    check_unit(actor, milestone.owner_unit, field="owner_unit", label=_("责任单位"))
    if milestone.status == MilestoneStatus.DONE and milestone.done_date is None:
        raise DomainError(
            "invalid", _("已完成的节点须填写完成日期"), {"done_date": _("请填写完成日期")}
        )
    if milestone.status != MilestoneStatus.DONE and milestone.done_date is not None:
        raise DomainError(
            "invalid", _("未完成的节点不应有完成日期"), {"done_date": _("未完成时请留空")}
        )
    milestone.title = milestone.title.strip()
    milestone.deliverable = milestone.deliverable.strip()
    save(milestone, actor)
    if handed and milestone.status != MilestoneStatus.DONE:
        base = milestone.base
        notify(
            event=Event.MILESTONE_ASSIGNED,
            about=milestone,
            occasion=f"unit:{milestone.owner_unit_id}",
            title=f"节点任务：{base.name}“{milestone.title}”，{milestone.due_date:%Y-%m-%d}前完成",
            body=milestone.deliverable,
            url=reverse("supervision:milestone_list") + f"?base={base.pk}",
            units=[milestone.owner_unit],
            actor=actor,
        )
    return milestone
