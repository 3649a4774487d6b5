"""The decisions of meetings (action items), turned into problems or milestones."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Activity, Base
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, User
from yanzhen.supervision.models import ActionItem, ActionItemState, ProblemSource
from yanzhen.supervision.services.common import check_unit, require_base, require_perm, save
from yanzhen.supervision.services.plans import milestone_create
from yanzhen.supervision.services.problems import problem_create


@transaction.atomic
def action_item_create(
    *,
    actor: User | None,
    meeting: Activity | None,
    meeting_title: str,
    meeting_date: dt.date | None,
    decision: str,
    responsible_unit: Unit,
    deadline: dt.date,
    base: Base | None = None,
) -> ActionItem:
    """A meeting's decision entered as an action item (to become a problem or a milestone)."""
    check_unit(actor, responsible_unit, field="responsible_unit", label=_("责任单位"))
    require_base(actor, base)
    title = meeting.title if meeting is not None else meeting_title.strip()
    date = meeting.date if meeting is not None else meeting_date
    errors = {}
    if not title:
        errors["meeting_title"] = _("请选择会议或填写会议名称")
    if date is None:
        errors["meeting_date"] = _("请填写会议日期")
    elif deadline < date:
        errors["deadline"] = _("完成时限不能早于会议日期")
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    assert date is not None
    item = ActionItem(
        meeting=meeting,
        meeting_title=title,
        meeting_date=date,
        decision=decision.strip(),
        base=base,
        responsible_unit=responsible_unit,
        deadline=deadline,
    )
    save(item, actor, history=False)
    return item


@transaction.atomic
def action_item_convert(*, actor: User | None, item: ActionItem, target: str) -> ActionItem:
    """Turn an action item into a problem (assigned to its unit with its deadline) or into a
    milestone of its base's work plan."""
    if item.state != ActionItemState.OPEN:
        raise DomainError("converted", _("该决定事项已转办"), {"target": _("已转办")})
    if target == "problem":
        require_perm(actor, "supervision.assign_problem")
        item.problem = problem_create(
            actor=actor,
            title=item.decision.splitlines()[0][:200],
            description=_("%(meeting)s（%(date)s）决定：%(decision)s")
            % {
                "meeting": item.meeting_title,
                "date": f"{item.meeting_date:%Y-%m-%d}",
                "decision": item.decision,
            },
            raised_by_unit=item.base.lead_department if item.base else item.responsible_unit,
            base=item.base,
            source=ProblemSource.MEETING,
            responsible_unit=item.responsible_unit,
            deadline=item.deadline,
        )
    elif target == "milestone":
        require_perm(actor, "supervision.add_milestone")
        if item.base is None:
            raise DomainError(
                "no_base", _("转为节点任务须指定所属基地"), {"target": _("该事项未指定基地")}
            )
        item.milestone = milestone_create(
            actor=actor,
            base=item.base,
            title=item.decision.splitlines()[0][:200],
            owner_unit=item.responsible_unit,
            due_date=item.deadline,
            deliverable=_("落实%(meeting)s决定") % {"meeting": item.meeting_title},
            sort_order=100,
        )
    else:
        raise DomainError("invalid", _("请选择转为问题或节点任务"), {"target": _("请选择")})
    item.state = ActionItemState.CONVERTED
    item.updated_by = actor
    item.save()
    return item
