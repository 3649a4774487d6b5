"""The problem list and its moves (交办 → 开始办理 → 办结 → 验收销号, or 退回), and 督办
(escalation) of what is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Base
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, User
from yanzhen.core.scope import scope_of
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Notification
from yanzhen.notifications.selectors import holders
from yanzhen.notifications.services import notify
from yanzhen.supervision.models import (
    OPEN_PROBLEM_STATES,
    Escalation,
    Milestone,
    MilestoneStatus,
    Problem,
    ProblemAction,
    ProblemEvent,
    ProblemSource,
    ProblemState,
    Round,
)
from yanzhen.supervision.services.common import check_unit, require_base, require_perm, save

# action → (states it may start from, state it leads to, permission it needs)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    ProblemAction.ASSIGN: (
        (
            ProblemState.RAISED,
            ProblemState.ASSIGNED,
            ProblemState.IN_PROGRESS,
            ProblemState.RETURNED,
        ),
        ProblemState.ASSIGNED,
        "supervision.assign_problem",
    ),
    ProblemAction.START: (
        (ProblemState.ASSIGNED, ProblemState.RETURNED),
        ProblemState.IN_PROGRESS,
        "supervision.change_problem",
    ),
    ProblemAction.RESOLVE: (
        (ProblemState.ASSIGNED, ProblemState.IN_PROGRESS, ProblemState.RETURNED),
        ProblemState.RESOLVED,
        "supervision.change_problem",
    ),
    ProblemAction.VERIFY: (
        (ProblemState.RESOLVED,),
        ProblemState.CLOSED,
        "supervision.verify_problem",
    ),
    ProblemAction.RETURN: (
        (ProblemState.RESOLVED,),
        ProblemState.RETURNED,
        "supervision.verify_problem",
    ),
    ProblemAction.ESCALATE: (OPEN_PROBLEM_STATES, None, "supervision.escalate_problem"),
}


def allowed_actions(user: User | None, problem: Problem) -> list[str]:
    """The moves ``user`` may make on ``problem`` in its current state."""
    out = []
    for action, (sources, _target, perm) in TRANSITIONS.items():
        if problem.state not in sources:
            continue
        if user is not None and not user.has_perm(perm):
            continue
        if action == ProblemAction.ESCALATE and (
            problem.escalation_level >= 2 or not problem.is_overdue(timezone.localdate())
        ):
            continue
        if (
            action in (ProblemAction.START, ProblemAction.RESOLVE)
            and user is not None
            and not scope_of(user).contains_unit(problem.responsible_unit)
        ):
            continue
        out.append(action)
    return out


def _event(
    problem: Problem, action: str, from_state: str, actor: User | None, note: str = ""
) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem,
        action=action,
        from_state=from_state,
        to_state=problem.state,
        responsible_unit=problem.responsible_unit,
        deadline=problem.deadline,
        note=note,
        actor=actor,
    )


@transaction.atomic
def problem_create(
    *,
    actor: User | None,
    title: str,
    raised_by_unit: Unit,
    description: str = "",
    base: Base | None = None,
    source: str = ProblemSource.DIRECT,
    round: Round | None = None,
    responsible_unit: Unit | None = None,
    deadline: dt.date | None = None,
) -> Problem:
    """A problem enters the list (raised); with a unit and a deadline it is assigned at once."""
    require_perm(actor, "supervision.add_problem")
    check_unit(actor, raised_by_unit, field="raised_by_unit", label=_("提出单位"))
    require_base(actor, base)
    if not title.strip():
        raise DomainError("invalid", _("请填写问题"), {"title": _("请填写问题")})
    problem = Problem(
        title=title.strip(),
        description=description.strip(),
        source=source,
        round=round,
        base=base,
        raised_by_unit=raised_by_unit,
    )
    save(problem, actor, history=False)
    _event(problem, ProblemAction.RAISE, "", actor)
    if responsible_unit is not None or deadline is not None:
        problem_move(
            actor=actor,
            problem=problem,
            action=ProblemAction.ASSIGN,
            responsible_unit=responsible_unit,
            deadline=deadline,
        )
    else:  # those who assign problems of the raising unit are told
        notify(
            event=Event.PROBLEM_RAISED,
            about=problem,
            title=f"待交办问题：{problem.title}（{raised_by_unit.name}提出）",
            body=problem.description,
            url=reverse("supervision:problem_detail", args=[problem.pk]),
            users=holders("supervision.assign_problem", unit=raised_by_unit),
            actor=actor,
        )
    return problem


@transaction.atomic
def problem_move(
    *,
    actor: User | None,
    problem: Problem,
    action: str,
    note: str = "",
    responsible_unit: Unit | None = None,
    deadline: dt.date | None = None,
) -> Problem:
    """Move a problem: 交办 (assign) → 开始办理 → 办结 → 验收销号, or 退回; 督办 when overdue."""
    if action not in TRANSITIONS:
        raise DomainError(
            "invalid_action",
            _("未知的操作“%(action)s”") % {"action": action},
            {"action": _("操作不正确")},
        )
    sources, target, perm = TRANSITIONS[action]
    require_perm(actor, perm)
    label = ProblemAction(action).label
    if problem.state not in sources:
        raise DomainError(
            "invalid_move",
            _("问题当前为“%(state)s”，不能%(action)s")
            % {"state": problem.get_state_display(), "action": label},
            {"action": _("当前状态不能%(action)s") % {"action": label}},
        )
    today = timezone.localdate()
    note = note.strip()
    if action == ProblemAction.ASSIGN:
        errors = {}
        if responsible_unit is None:
            errors["responsible_unit"] = _("请选择责任单位")
        if deadline is None:
            errors["deadline"] = _("请填写办理时限")
        elif deadline < today:
            errors["deadline"] = _("办理时限不能早于今天")
        if errors:
            raise DomainError("invalid", next(iter(errors.values())), errors)
        check_unit(actor, responsible_unit, field="responsible_unit", label=_("责任单位"))
        problem.responsible_unit = responsible_unit
        problem.deadline = deadline
        problem.escalation_level = 0
    elif action in (ProblemAction.START, ProblemAction.RESOLVE):
        if actor is not None and not scope_of(actor).contains_unit(problem.responsible_unit):
            raise DomainError(
                "out_of_scope",
                _("只有责任单位可以办理该问题"),
                {"action": _("不是本单位的问题")},
            )
        if action == ProblemAction.RESOLVE:
            if not note:
                raise DomainError("invalid", _("请填写办结情况"), {"note": _("请填写办结情况")})
            problem.resolved_on = today
    elif action == ProblemAction.VERIFY:
        problem.closed_on = today
    elif action == ProblemAction.RETURN:
        if not note:
            raise DomainError("invalid", _("请填写退回理由"), {"note": _("请填写退回理由")})
        problem.resolved_on = None
    elif action == ProblemAction.ESCALATE:
        if not problem.is_overdue(today):
            raise DomainError("not_overdue", _("问题尚未逾期，无需督办"), {"action": _("尚未逾期")})
        if problem.escalation_level >= 2:
            raise DomainError(
                "max_level", _("该问题已报责任领导督办"), {"action": _("已是最高级别")}
            )
        level = problem.escalation_level + 1
        escalation = _escalate(problem, level, today=today, actor=actor, note=note)
        _escalation_notices(escalation, today=today)
        return problem
    from_state = problem.state
    assert target is not None
    problem.state = target
    problem.updated_by = actor
    problem.save()
    event = _event(problem, action, from_state, actor, note)
    _problem_notices(problem, event, actor)
    return problem


def _problem_notices(problem: Problem, event: ProblemEvent, actor: User | None) -> None:
    """Who a move hands the problem to: the responsible unit when assigned or returned, those
    who verify when resolved."""
    url = reverse("supervision:problem_detail", args=[problem.pk])
    unit = problem.responsible_unit
    if event.action == ProblemAction.ASSIGN and unit is not None:
        assert problem.deadline is not None
        notify(
            event=Event.PROBLEM_ASSIGNED,
            about=problem,
            occasion=f"event:{event.pk}",
            title=f"交办问题：{problem.title}，{problem.deadline:%Y-%m-%d}前办结",
            body=problem.description,
            url=url,
            units=[unit],
            actor=actor,
        )
    elif event.action == ProblemAction.RETURN and unit is not None:
        notify(
            event=Event.PROBLEM_RETURNED,
            about=problem,
            occasion=f"event:{event.pk}",
            title=f"问题验收未通过，退回办理：{problem.title}",
            body=event.note,
            url=url,
            units=[unit],
            actor=actor,
        )
    elif event.action == ProblemAction.RESOLVE and unit is not None:
        notify(
            event=Event.PROBLEM_RESOLVED,
            about=problem,
            occasion=f"event:{event.pk}",
            title=f"问题已办结待验收：{problem.title}（{unit.name}）",
            body=event.note,
            url=url,
            users=holders("supervision.verify_problem", unit=unit),
            actor=actor,
        )


# Escalation (督办) ------------------------------------------------------------------------------

# The day after its deadline an open problem or milestone is escalated to its responsible
# unit; LEADER_AFTER_DAYS days later, still open, to the base's responsible leader.
LEADER_AFTER_DAYS = 7


def escalation_level_due(deadline: dt.date, today: dt.date) -> int:
    """The 督办 level an item open since ``deadline`` has reached on ``today``."""
    overdue = (today - deadline).days
    if overdue >= 1 + LEADER_AFTER_DAYS:
        return Escalation.Level.LEADER
    if overdue >= 1:
        return Escalation.Level.UNIT
    return 0


def _escalate(
    item: Problem | Milestone,
    level: int,
    *,
    today: dt.date,
    actor: User | None,
    note: str = "",
) -> Escalation:
    if isinstance(item, Problem):
        assert item.deadline is not None
        base, unit, due = item.base, item.responsible_unit, item.deadline
    else:
        base, unit, due = item.base, item.owner_unit, item.due_date
    leader = base.leader if base is not None else None
    days = (today - due).days
    if level == Escalation.Level.UNIT:
        whom = _("督办责任单位")
    elif leader:
        whom = _("报责任领导%(leader)s督办") % {"leader": leader.name}
    else:
        whom = _("基地未明确责任领导")
    text = note or _("逾期%(days)s天，") % {"days": days} + whom
    escalation = Escalation.objects.create(
        problem=item if isinstance(item, Problem) else None,
        milestone=item if isinstance(item, Milestone) else None,
        level=level,
        due_date=due,
        unit=unit,
        leader=leader if level == Escalation.Level.LEADER else None,
        note=text[:200],
        actor=actor,
    )
    if isinstance(item, Problem):
        item.escalation_level = max(item.escalation_level, level)
        item.save(update_fields=["escalation_level", "updated_at"])
        _event(item, ProblemAction.ESCALATE, item.state, actor, escalation.note)
    return escalation


def _item_title(escalation: Escalation) -> tuple[str, str]:
    if escalation.problem is not None:
        problem = escalation.problem
        return (
            _("问题“%(title)s”") % {"title": problem.title},
            reverse("supervision:problem_detail", args=[problem.pk]),
        )
    milestone = escalation.milestone
    assert milestone is not None
    return (
        _("%(base)s节点任务“%(title)s”") % {"base": milestone.base.name, "title": milestone.title},
        reverse("supervision:milestone_list") + f"?base={milestone.base_id}&overdue=1",
    )


def _escalation_notices(escalation: Escalation, *, today: dt.date) -> list[Notification]:
    what, url = _item_title(escalation)
    days = (today - escalation.due_date).days
    item: Problem | Milestone | None = escalation.problem or escalation.milestone
    assert item is not None
    occasion = f"level{escalation.level}:{escalation.due_date:%Y-%m-%d}"
    body = _("%(what)s办理时限为%(due)s，已逾期%(days)s天。%(note)s") % {
        "what": what,
        "due": f"{escalation.due_date:%Y-%m-%d}",
        "days": days,
        "note": escalation.note,
    }
    notices = notify(
        event=Event.ESCALATION,
        about=item,
        occasion=occasion,
        title=_("【督办】%(what)s已逾期%(days)s天") % {"what": what, "days": days},
        body=body,
        url=url,
        units=[escalation.unit] if escalation.unit else [],
    )
    if escalation.level == Escalation.Level.LEADER and escalation.leader is not None:
        notices += notify(
            event=Event.ESCALATION,
            about=item,
            occasion=f"{occasion}:leader",
            title=_("【报领导督办】%(what)s已逾期%(days)s天") % {"what": what, "days": days},
            body=body,
            url=url,
            users=User.objects.filter(person=escalation.leader, is_active=True),
        )
    return notices


@dataclass
class EscalationRun:
    escalations: list[Escalation] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


@transaction.atomic
def escalate_overdue(*, today: dt.date, send_notices: bool = True) -> EscalationRun:
    """Escalate every open problem and milestone to the level its lateness has reached.

    Idempotent: each (item, level) is escalated once; a later run adds only new levels."""
    run = EscalationRun()
    problems = (
        Problem.objects.filter(state__in=OPEN_PROBLEM_STATES, deadline__lt=today)
        .select_related("base__leader", "responsible_unit")
        .order_by("deadline", "id")
    )
    milestones = (
        Milestone.objects.exclude(status=MilestoneStatus.DONE)
        .filter(due_date__lt=today)
        .select_related("base__leader", "owner_unit")
        .order_by("due_date", "id")
    )
    have = set(
        Escalation.objects.filter(problem__in=problems).values_list(
            "problem_id", "level", "due_date"
        )
    ) | {
        (-pk, level, due)
        for pk, level, due in Escalation.objects.filter(milestone__in=milestones).values_list(
            "milestone_id", "level", "due_date"
        )
    }
    items: list[tuple[Problem | Milestone, int, dt.date]] = [
        (p, p.pk, p.deadline) for p in problems if p.deadline is not None
    ]
    items += [(m, -m.pk, m.due_date) for m in milestones]
    for item, key, due in items:
        for level in range(1, escalation_level_due(due, today) + 1):
            if (key, level, due) in have:
                continue
            escalation = _escalate(item, level, today=today, actor=None)
            run.escalations.append(escalation)
            if send_notices:
                run.notifications += _escalation_notices(escalation, today=today)
    return run
