"""Writes of closed-loop supervision: work plans and milestones, scheduling rounds and
reports, the problem list and its moves, 督办 (escalation), the daily reminders, and the
action items of meetings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from yanzhen.cooperation.models import Activity, Base
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import Person, Unit, User
from yanzhen.core.scope import scope_of
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Notification
from yanzhen.notifications.selectors import holders
from yanzhen.notifications.services import notify, robot_batch
from yanzhen.supervision.models import (
    OPEN_PROBLEM_STATES,
    ActionItem,
    ActionItemState,
    Escalation,
    Evidence,
    Milestone,
    MilestoneStatus,
    Problem,
    ProblemAction,
    ProblemEvent,
    ProblemSource,
    ProblemState,
    Report,
    ReportItem,
    Round,
    RoundState,
    WorkPlan,
)


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
    plan._history_user = actor  # type: ignore[attr-defined]
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
    handed = instance.pk is None or instance.owner_unit_id != owner_unit.pk
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.updated_by = actor
    instance._history_user = actor  # type: ignore[attr-defined]
    validate(instance)
    instance.save()
    if handed and instance.status != MilestoneStatus.DONE:
        notify(
            event=Event.MILESTONE_ASSIGNED,
            about=instance,
            occasion=f"unit:{owner_unit.pk}",
            title=f"节点任务：{base.name}“{instance.title}”，{due_date:%Y-%m-%d}前完成",
            body=instance.deliverable,
            url=reverse("supervision:milestone_list") + f"?base={base.pk}",
            units=[owner_unit],
            actor=actor,
        )
    return instance


def _base_visible(actor: User, base: Base) -> bool:
    from yanzhen.cooperation.selectors import base_qs

    return base_qs(actor).filter(pk=base.pk).exists()


def _require_base(actor: User | None, base: Base | None, field: str = "base") -> None:
    if actor is not None and base is not None and not _base_visible(actor, base):
        raise DomainError("out_of_scope", "所选基地不在您的数据范围内", {field: "无权选择该基地"})


def _require_perm(actor: User | None, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise ForbiddenError()


# Scheduling rounds ----------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    actor: User | None,
    title: str,
    kind: str,
    opened_on: dt.date,
    deadline: dt.date,
    bases: Sequence[Base],
    note: str = "",
) -> Round:
    """The office opens a scheduling round for ``bases`` with a deadline for the reports."""
    if not bases:
        raise DomainError("invalid", "请选择参加调度的基地", {"bases": "至少选择一个基地"})
    if deadline < opened_on:
        raise DomainError(
            "invalid", "报送截止日期不能早于发起日期", {"deadline": "不能早于发起日期"}
        )
    for base in bases:
        _require_base(actor, base, "bases")
    instance = Round(
        title=title.strip(),
        kind=kind,
        opened_on=opened_on,
        deadline=deadline,
        note=note.strip(),
        created_by=actor,
        updated_by=actor,
    )
    instance._history_user = actor  # type: ignore[attr-defined]
    validate(instance)
    instance.save()
    instance.bases.set(bases)
    for base in bases:
        notify(
            event=Event.ROUND_OPENED,
            about=instance,
            occasion=f"base:{base.pk}",
            title=f"请报送{instance.title}（{base.name}），{deadline:%Y-%m-%d}前",
            body=instance.note,
            url=reverse("supervision:report_edit", args=[instance.pk, base.pk]),
            units=[base.lead_department],
            actor=actor,
        )
    return instance


@transaction.atomic
def round_update(
    *,
    actor: User | None,
    round: Round,
    title: str,
    deadline: dt.date,
    note: str,
    state: str,
) -> Round:
    """Change a round's title, deadline or requirements, or close (and reopen) it.

    Reports already in keep their late mark: it is set once, at the first submission."""
    if deadline < round.opened_on:
        raise DomainError(
            "invalid", "报送截止日期不能早于发起日期", {"deadline": "不能早于发起日期"}
        )
    round.title = title.strip()
    round.deadline = deadline
    round.note = note.strip()
    round.state = state
    round.updated_by = actor
    round._history_user = actor  # type: ignore[attr-defined]
    validate(round)
    round.save()
    return round


def round_milestones(round: Round, base: Base) -> QuerySet[Milestone]:
    """The milestones a base reports on in a round: those not done when the round opened."""
    return (
        Milestone.objects.filter(base=base)
        .filter(~Q(status=MilestoneStatus.DONE) | Q(done_date__gte=round.opened_on))
        .select_related("owner_unit")
        .order_by("due_date", "sort_order", "id")
    )


@dataclass
class ProgressInput:
    """A milestone's progress as the report form, the API or the demo give it."""

    milestone: Milestone
    percent: int
    progress: str = ""
    evidence: UploadedFile[bytes] | None = None


@transaction.atomic
def report_submit(
    *,
    actor: User | None,
    round: Round,
    base: Base,
    summary: str,
    items: Sequence[ProgressInput],
    problems: Sequence[str] = (),
) -> Report:
    """A base's report to a round (again to update it while the round is open).

    The first submission after the deadline day marks the report late. A milestone reported
    at 100 % is marked done on the day of the report. Each line of ``problems`` is raised as
    a problem of the base, coming from this round."""
    if round.state != RoundState.OPEN:
        raise DomainError("round_closed", "本轮调度已结束，不能再报送")
    if not round.bases.filter(pk=base.pk).exists():
        raise DomainError("not_in_round", f"“{base.name}”不在本轮调度范围内", {"base": "不在本轮"})
    if actor is not None:
        require_unit_in_scope(actor, base.lead_department, field="base", label="基地牵头部门")
    allowed = {m.pk for m in round_milestones(round, base)}
    errors: dict[str, str] = {}
    for item in items:
        key = f"percent_{item.milestone.pk}"
        if item.milestone.pk not in allowed:
            errors[key] = f"“{item.milestone.title}”不是本基地本轮需报送的节点任务"
        elif not 0 <= item.percent <= 100:
            errors[key] = "完成进度应在 0 到 100 之间"
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    now = timezone.now()
    today = timezone.localdate(now)
    report = Report.objects.filter(round=round, base=base).first()
    if report is None:
        report = Report(
            round=round,
            base=base,
            submitted_at=now,
            late=today > round.deadline,
            created_by=actor,
        )
    report.summary = summary.strip()
    report.updated_by = actor
    report.save()
    for item in items:
        row, _ = ReportItem.objects.update_or_create(
            report=report,
            milestone=item.milestone,
            defaults={"percent": item.percent, "progress": item.progress.strip()},
        )
        if item.evidence is not None:
            evidence = Evidence(
                item=row, name=(item.evidence.name or "佐证材料")[:200], uploaded_by=actor
            )
            evidence.file.save(item.evidence.name or "evidence", item.evidence, save=False)
            evidence.save()
        milestone = item.milestone
        if item.percent == 100 and milestone.status != MilestoneStatus.DONE:
            milestone.status = MilestoneStatus.DONE
            milestone.done_date = today
            milestone.updated_by = actor
            milestone._history_user = actor  # type: ignore[attr-defined]
            milestone.save(update_fields=["status", "done_date", "updated_by", "updated_at"])
        elif (
            item.percent < 100 and milestone.status == MilestoneStatus.NOT_STARTED and item.percent
        ):
            milestone.status = MilestoneStatus.IN_PROGRESS
            milestone._history_user = actor  # type: ignore[attr-defined]
            milestone.save(update_fields=["status", "updated_at"])
    for line in problems:
        if line.strip():
            problem_raise(
                actor=actor,
                title=line.strip()[:200],
                base=base,
                raised_by_unit=base.lead_department,
                source=ProblemSource.ROUND,
                round=round,
            )
    return report


# Problems -------------------------------------------------------------------------------------

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
def problem_raise(
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
    _require_perm(actor, "supervision.add_problem")
    if actor is not None:
        require_unit_in_scope(actor, raised_by_unit, field="raised_by_unit", label="提出单位")
    _require_base(actor, base)
    if not title.strip():
        raise DomainError("invalid", "请填写问题", {"title": "请填写问题"})
    problem = Problem(
        title=title.strip(),
        description=description.strip(),
        source=source,
        round=round,
        base=base,
        raised_by_unit=raised_by_unit,
        created_by=actor,
        updated_by=actor,
    )
    validate(problem)
    problem.save()
    _event(problem, ProblemAction.RAISE, "", actor)
    if responsible_unit is not None or deadline is not None:
        problem_move(
            actor=actor,
            problem=problem,
            action=ProblemAction.ASSIGN,
            responsible_unit=responsible_unit,
            deadline=deadline,
        )
    else:
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
        raise DomainError("invalid_action", f"未知的操作“{action}”", {"action": "操作不正确"})
    sources, target, perm = TRANSITIONS[action]
    _require_perm(actor, perm)
    label = ProblemAction(action).label
    if problem.state not in sources:
        raise DomainError(
            "invalid_move",
            f"问题当前为“{problem.get_state_display()}”，不能{label}",
            {"action": f"当前状态不能{label}"},
        )
    today = timezone.localdate()
    note = note.strip()
    if action == ProblemAction.ASSIGN:
        errors = {}
        if responsible_unit is None:
            errors["responsible_unit"] = "请选择责任单位"
        if deadline is None:
            errors["deadline"] = "请填写办理时限"
        elif deadline < today:
            errors["deadline"] = "办理时限不能早于今天"
        if errors:
            raise DomainError("invalid", next(iter(errors.values())), errors)
        if actor is not None:
            require_unit_in_scope(
                actor, responsible_unit, field="responsible_unit", label="责任单位"
            )
        problem.responsible_unit = responsible_unit
        problem.deadline = deadline
        problem.escalation_level = 0
    elif action in (ProblemAction.START, ProblemAction.RESOLVE):
        if actor is not None and not scope_of(actor).contains_unit(problem.responsible_unit):
            raise DomainError(
                "out_of_scope", "只有责任单位可以办理该问题", {"action": "不是本单位的问题"}
            )
        if action == ProblemAction.RESOLVE:
            if not note:
                raise DomainError("invalid", "请填写办结情况", {"note": "请填写办结情况"})
            problem.resolved_on = today
    elif action == ProblemAction.VERIFY:
        problem.closed_on = today
    elif action == ProblemAction.RETURN:
        if not note:
            raise DomainError("invalid", "请填写退回理由", {"note": "请填写退回理由"})
        problem.resolved_on = None
    elif action == ProblemAction.ESCALATE:
        if not problem.is_overdue(today):
            raise DomainError("not_overdue", "问题尚未逾期，无需督办", {"action": "尚未逾期"})
        if problem.escalation_level >= 2:
            raise DomainError("max_level", "该问题已报责任领导督办", {"action": "已是最高级别"})
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
DUE_SOON_DAYS = 3


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
    text = note or f"逾期{days}天，" + (
        "督办责任单位"
        if level == Escalation.Level.UNIT
        else (f"报责任领导{leader.name}督办" if leader else "基地未明确责任领导")
    )
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
        return f"问题“{problem.title}”", reverse("supervision:problem_detail", args=[problem.pk])
    milestone = escalation.milestone
    assert milestone is not None
    return (
        f"{milestone.base.name}节点任务“{milestone.title}”",
        reverse("supervision:milestone_list") + f"?base={milestone.base_id}&overdue=1",
    )


def _escalation_notices(escalation: Escalation, *, today: dt.date) -> list[Notification]:
    what, url = _item_title(escalation)
    days = (today - escalation.due_date).days
    item: Problem | Milestone | None = escalation.problem or escalation.milestone
    assert item is not None
    occasion = f"level{escalation.level}:{escalation.due_date:%Y-%m-%d}"
    body = f"{what}办理时限为{escalation.due_date:%Y-%m-%d}，已逾期{days}天。{escalation.note}"
    notices = notify(
        event=Event.ESCALATION,
        about=item,
        occasion=occasion,
        title=f"【督办】{what}已逾期{days}天",
        body=body,
        url=url,
        units=[escalation.unit] if escalation.unit else [],
    )
    if escalation.level == Escalation.Level.LEADER and escalation.leader is not None:
        notices += notify(
            event=Event.ESCALATION,
            about=item,
            occasion=f"{occasion}:leader",
            title=f"【报领导督办】{what}已逾期{days}天",
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


# Daily reminders ------------------------------------------------------------------------------


@dataclass
class Reminder:
    """What one unit or one leader is reminded of on a day."""

    label: str
    due_soon: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)


@dataclass
class RemindRun:
    today: dt.date
    escalations: list[Escalation] = field(default_factory=list)
    units: list[Reminder] = field(default_factory=list)
    leaders: list[Reminder] = field(default_factory=list)
    rounds: list[Notification] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


def _line(kind: str, title: str, base: Base | None, due: dt.date, today: dt.date) -> str:
    where = f"〔{base.name}〕" if base is not None else ""
    days = (due - today).days
    when = f"{due:%Y-%m-%d}到期" if days >= 0 else f"逾期{-days}天（{due:%Y-%m-%d}到期）"
    return f"{kind}{where}{title}：{when}"


def remind_due(*, today: dt.date) -> RemindRun:
    """The daily run: 督办 of what is overdue, then one reminder per responsible unit and per
    base leader listing what is due within DUE_SOON_DAYS days and what is overdue (once per
    recipient per day), and the reminders of scheduling rounds not yet reported
    (:func:`round_reminders`). E-mails and robot messages are queued for the worker."""
    with robot_batch():  # one message per group robot for the whole run
        return _remind_due(today)


def _remind_due(today: dt.date) -> RemindRun:
    run = RemindRun(today=today)
    escalation = escalate_overdue(today=today)
    run.escalations = escalation.escalations
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    by_unit: dict[int, tuple[Unit, Reminder]] = {}
    by_leader: dict[int, tuple[Person, Reminder]] = {}

    def file(unit: Unit | None, base: Base | None, line: str, overdue: bool) -> None:
        targets: list[Reminder] = []
        if unit is not None:
            targets.append(by_unit.setdefault(unit.pk, (unit, Reminder(unit.name)))[1])
        if base is not None and base.leader is not None:
            leader = base.leader
            targets.append(
                by_leader.setdefault(leader.pk, (leader, Reminder(f"{leader.name}（责任领导）")))[1]
            )
        for reminder in targets:
            (reminder.overdue if overdue else reminder.due_soon).append(line)

    problems = (
        Problem.objects.filter(state__in=OPEN_PROBLEM_STATES, deadline__lte=soon)
        .select_related("base__leader", "responsible_unit")
        .order_by("deadline", "id")
    )
    for p in problems:
        assert p.deadline is not None
        line = _line("问题", p.title, p.base, p.deadline, today)
        file(p.responsible_unit, p.base, line, p.deadline < today)
    milestones = (
        Milestone.objects.exclude(status=MilestoneStatus.DONE)
        .filter(due_date__lte=soon)
        .select_related("base__leader", "owner_unit", "base")
        .order_by("due_date", "id")
    )
    for m in milestones:
        line = _line("节点任务", m.title, m.base, m.due_date, today)
        file(m.owner_unit, m.base, line, m.due_date < today)
    notices = list(escalation.notifications)
    for unit, reminder in by_unit.values():
        run.units.append(reminder)
        notices += notify(
            event=Event.REMINDER,
            about=unit,
            occasion=f"{today:%Y-%m-%d}",
            title=_reminder_title(today, reminder),
            body="\n".join(reminder.overdue + reminder.due_soon),
            url=reverse("supervision:problem_list") + f"?unit={unit.pk}",
            units=[unit],
        )
    for leader, reminder in by_leader.values():
        run.leaders.append(reminder)
        notices += notify(
            event=Event.REMINDER,
            about=leader,
            occasion=f"{today:%Y-%m-%d}",
            title=_reminder_title(today, reminder),
            body="\n".join(reminder.overdue + reminder.due_soon),
            url=reverse("supervision:leader"),
            users=User.objects.filter(person=leader, is_active=True),
        )
    run.rounds = round_reminders(today=today)
    run.notifications = notices + run.rounds
    return run


ROUND_DUE_DAYS = 1


def round_reminders(*, today: dt.date) -> list[Notification]:
    """The bases of open rounds that have not reported: from ROUND_DUE_DAYS days before the
    deadline their lead department is reminded, after it told the report is late — once per
    base and deadline (a deadline moved later reminds again)."""
    rounds = list(
        Round.objects.filter(
            state=RoundState.OPEN, deadline__lte=today + dt.timedelta(days=ROUND_DUE_DAYS)
        )
        .prefetch_related("bases__lead_department")
        .order_by("deadline", "id")
    )
    reported = set(Report.objects.filter(round__in=rounds).values_list("round_id", "base_id"))
    notices: list[Notification] = []
    for round in rounds:
        late = today > round.deadline
        for base in sorted(round.bases.all(), key=lambda b: (b.sort_order, b.pk)):
            if (round.pk, base.pk) in reported:
                continue
            when = (
                f"已逾期{(today - round.deadline).days}天"
                if late
                else f"请于{round.deadline:%Y-%m-%d}前报送"
            )
            notices += notify(
                event=Event.ROUND_LATE if late else Event.ROUND_DUE,
                about=round,
                occasion=f"base:{base.pk}:{round.deadline:%Y-%m-%d}",
                title=f"{round.title}（{base.name}）尚未报送，{when}",
                url=reverse("supervision:report_edit", args=[round.pk, base.pk]),
                units=[base.lead_department],
            )
    return notices


def _reminder_title(today: dt.date, reminder: Reminder) -> str:
    return (
        f"{today:%m月%d日}提醒：逾期 {len(reminder.overdue)} 项，"
        f"{DUE_SOON_DAYS}日内到期 {len(reminder.due_soon)} 项"
    )


# Meeting decisions ----------------------------------------------------------------------------


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
    if actor is not None:
        require_unit_in_scope(actor, responsible_unit, field="responsible_unit", label="责任单位")
    _require_base(actor, base)
    title = meeting.title if meeting is not None else meeting_title.strip()
    date = meeting.date if meeting is not None else meeting_date
    errors = {}
    if not title:
        errors["meeting_title"] = "请选择会议或填写会议名称"
    if date is None:
        errors["meeting_date"] = "请填写会议日期"
    elif deadline < date:
        errors["deadline"] = "完成时限不能早于会议日期"
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
        created_by=actor,
        updated_by=actor,
    )
    validate(item)
    item.save()
    return item


@transaction.atomic
def action_item_convert(*, actor: User | None, item: ActionItem, target: str) -> ActionItem:
    """Turn an action item into a problem (assigned to its unit with its deadline) or into a
    milestone of its base's work plan."""
    if item.state != ActionItemState.OPEN:
        raise DomainError("converted", "该决定事项已转办", {"target": "已转办"})
    if target == "problem":
        _require_perm(actor, "supervision.assign_problem")
        item.problem = problem_raise(
            actor=actor,
            title=item.decision.splitlines()[0][:200],
            description=f"{item.meeting_title}（{item.meeting_date:%Y-%m-%d}）决定：{item.decision}",
            raised_by_unit=item.base.lead_department if item.base else item.responsible_unit,
            base=item.base,
            source=ProblemSource.MEETING,
            responsible_unit=item.responsible_unit,
            deadline=item.deadline,
        )
    elif target == "milestone":
        _require_perm(actor, "supervision.add_milestone")
        if item.base is None:
            raise DomainError(
                "no_base", "转为节点任务须指定所属基地", {"target": "该事项未指定基地"}
            )
        item.milestone = milestone_save(
            actor=actor,
            milestone=None,
            base=item.base,
            title=item.decision.splitlines()[0][:200],
            owner_unit=item.responsible_unit,
            due_date=item.deadline,
            deliverable=f"落实{item.meeting_title}决定",
            sort_order=100,
        )
    else:
        raise DomainError("invalid", "请选择转为问题或节点任务", {"target": "请选择"})
    item.state = ActionItemState.CONVERTED
    item.updated_by = actor
    item.save()
    return item
