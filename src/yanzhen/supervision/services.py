"""Writes of work plans and milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from yanzhen.cooperation.models import Base
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Person, Unit, User
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.supervision.models import Milestone, MilestoneStatus, WorkPlan


@transaction.atomic
def work_plan_save(
    *,
    actor: User | None,
    base: Base,
    title: str,
    adopted_on: dt.date | None,
    summary: str = "",
    document: UploadedFile[bytes] | None = None,
) -> WorkPlan:
    plan = WorkPlan.objects.filter(base=base).first() or WorkPlan(base=base, created_by=actor)
    plan.title = title.strip()
    plan.adopted_on = adopted_on
    plan.summary = summary
    plan.updated_by = actor
    if document is not None:
        plan.document.save(document.name or "plan", document, save=False)
    validate(plan)
    plan.save()
    return plan


@transaction.atomic
def milestone_save(
    *,
    actor: User | None,
    milestone: Milestone | None,
    base: Base,
    title: str,
    owner_unit: Unit,
    due_date: dt.date,
    owner_person: Person | None = None,
    deliverable: str = "",
    status: str = MilestoneStatus.NOT_STARTED,
    done_date: dt.date | None = None,
    sort_order: int = 0,
) -> Milestone:
    if actor is not None:
        require_unit_in_scope(actor, owner_unit, field="owner_unit", label="责任单位")
    if status == MilestoneStatus.DONE and done_date is None:
        raise DomainError("invalid", "已完成的节点须填写完成日期", {"done_date": "请填写完成日期"})
    if status != MilestoneStatus.DONE and done_date is not None:
        raise DomainError("invalid", "未完成的节点不应有完成日期", {"done_date": "未完成时请留空"})
    instance = milestone or Milestone(created_by=actor)
    fields: dict[str, Any] = {
        "base": base,
        "title": title.strip(),
        "owner_unit": owner_unit,
        "owner_person": owner_person,
        "due_date": due_date,
        "deliverable": deliverable.strip(),
        "status": status,
        "done_date": done_date,
        "sort_order": sort_order,
    }
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.updated_by = actor
    instance._history_user = actor  # type: ignore[attr-defined]
    validate(instance)
    instance.save()
    return instance
