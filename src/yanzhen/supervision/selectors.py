"""Reads of closed-loop supervision, always through the user's data scope.

A base's lead department sees its bases' milestones, rounds, reports and problems, and the
problems assigned to it; the office and the leaders (全部数据) see everything."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.cooperation.models import Base
from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.models import Person, Unit, UnitClosure
from yanzhen.core.scope import scope_of
from yanzhen.supervision.models import (
    OPEN_PROBLEM_STATES,
    ActionItem,
    Escalation,
    Evidence,
    Milestone,
    MilestoneStatus,
    Problem,
    ProblemState,
    Report,
    ReportItem,
    Round,
    WorkPlan,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

    AnyUser = User | AnonymousUser


def _query(obj: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is None or value == "" or value is False:
            continue
        out[f.name] = "1" if value is True else str(value)
    return out


# Milestones -----------------------------------------------------------------------------------


def milestone_qs(user: AnyUser) -> QuerySet[Milestone]:
    """Milestones of visible bases, and those owned by a unit in scope."""
    return Milestone.objects.filter(
        Q(base__in=base_qs(user)) | scope_of(user).q("owner_unit", None)
    )


@dataclass
class MilestoneFilters:
    q: str = ""
    base: int | None = None
    unit: int | None = None
    status: str = ""
    overdue: bool = False
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    escalated: bool = False

    def as_query(self) -> dict[str, str]:
        return _query(self)


def milestone_list(
    *,
    user: AnyUser,
    base: Base | None = None,
    filters: MilestoneFilters | None = None,
    today: dt.date | None = None,
) -> QuerySet[Milestone]:
    qs = milestone_qs(user).select_related("owner_unit", "owner_person", "base")
    if base is not None:
        qs = qs.filter(base=base)
    if filters is not None:
        if filters.q:
            qs = qs.filter(Q(title__icontains=filters.q) | Q(deliverable__icontains=filters.q))
        if filters.base is not None:
            qs = qs.filter(base_id=filters.base)
        if filters.unit is not None:
            qs = qs.filter(owner_unit_id=filters.unit)
        if filters.status:
            qs = qs.filter(status=filters.status)
        if filters.overdue and today is not None:
            qs = qs.exclude(status=MilestoneStatus.DONE).filter(due_date__lt=today)
        if filters.due_from is not None:
            qs = qs.filter(due_date__gte=filters.due_from)
        if filters.due_to is not None:
            qs = qs.filter(due_date__lte=filters.due_to)
        if filters.escalated:
            qs = qs.filter(escalations__isnull=False).distinct()
    return qs.order_by("base__sort_order", "base_id", "due_date", "sort_order", "id")


def milestone_get(user: AnyUser, pk: int) -> Milestone:
    return get_object_or_404(milestone_qs(user).select_related("base", "owner_unit"), pk=pk)


def work_plan_get(user: AnyUser, base_pk: int) -> WorkPlan:
    return get_object_or_404(WorkPlan.objects.filter(base__in=base_qs(user)), base_id=base_pk)


# Rounds and reports ---------------------------------------------------------------------------


def round_qs(user: AnyUser) -> QuerySet[Round]:
    """Rounds that ask at least one base the user sees."""
    if scope_of(user).everything:
        return Round.objects.all()
    through = Round.bases.through.objects.filter(base__in=base_qs(user))
    return Round.objects.filter(pk__in=through.values("round_id"))


@dataclass
class RoundFilters:
    q: str = ""
    year: int | None = None
    kind: str = ""
    state: str = ""

    def as_query(self) -> dict[str, str]:
        return _query(self)


def round_list(*, user: AnyUser, filters: RoundFilters | None = None) -> QuerySet[Round]:
    """Rounds with how many of the user's visible bases were asked, reported, were late or
    are missing."""
    visible = base_qs(user)
    qs = (
        round_qs(user)
        .annotate(
            n_bases=Count("bases", filter=Q(bases__in=visible), distinct=True),
            n_reported=Count("reports", filter=Q(reports__base__in=visible), distinct=True),
            n_late=Count(
                "reports", filter=Q(reports__base__in=visible, reports__late=True), distinct=True
            ),
        )
        .annotate(n_missing=F("n_bases") - F("n_reported"))
    )
    if filters is not None:
        if filters.q:
            qs = qs.filter(Q(title__icontains=filters.q) | Q(note__icontains=filters.q))
        if filters.year is not None:
            qs = qs.filter(opened_on__year=filters.year)
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        if filters.state:
            qs = qs.filter(state=filters.state)
    return qs.order_by("-opened_on", "-id")


def round_get(user: AnyUser, pk: int) -> Round:
    return get_object_or_404(round_qs(user), pk=pk)


def round_base_get(user: AnyUser, round: Round, base_pk: int) -> Base:
    """A base of the round that the user sees (else 404)."""
    return get_object_or_404(
        base_qs(user).filter(pk__in=round.bases.values("pk")).select_related("lead_department"),
        pk=base_pk,
    )


@dataclass
class SummaryRow:
    base: Base
    report: Report | None
    items: list[ReportItem]
    problems: list[Problem]

    @property
    def status(self) -> str:
        if self.report is None:
            return "missing"
        return "late" if self.report.late else "on_time"


@dataclass
class RoundSummary:
    round: Round
    rows: list[SummaryRow]
    problems: list[Problem] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.report is not None]

    @property
    def late(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.report is not None and r.report.late]

    @property
    def missing(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.report is None]


def round_summary(*, user: AnyUser, round: Round) -> RoundSummary:
    """Per visible base of the round: its report (or none), milestone progress, problems."""
    bases = list(
        base_qs(user)
        .filter(pk__in=round.bases.values("pk"))
        .select_related("lead_department", "leader")
        .order_by("sort_order", "id")
    )
    reports = {
        r.base_id: r
        for r in Report.objects.filter(round=round, base__in=bases)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ReportItem.objects.select_related("milestone").prefetch_related(
                    "evidence"
                ),
            )
        )
    }
    problems: dict[int, list[Problem]] = defaultdict(list)
    raised = list(
        Problem.objects.filter(round=round, base__in=bases)
        .select_related("responsible_unit")
        .order_by("id")
    )
    for problem in raised:
        assert problem.base_id is not None
        problems[problem.base_id].append(problem)
    rows = []
    for base in bases:
        report = reports.get(base.pk)
        items = list(report.items.all()) if report else []
        rows.append(SummaryRow(base, report, items, problems[base.pk]))
    return RoundSummary(round, rows, raised)


def evidence_get(user: AnyUser, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(item__report__base__in=base_qs(user)).select_related("item"),
        pk=pk,
    )


# Problems ----------------------------------------------------------------------------------------


def problem_qs(user: AnyUser) -> QuerySet[Problem]:
    """Problems of visible bases, and those raised by or assigned to a unit in scope."""
    scope = scope_of(user)
    if scope.everything:
        return Problem.objects.all()
    return Problem.objects.filter(
        Q(base__in=base_qs(user))
        | scope.q("responsible_unit", None)
        | scope.q("raised_by_unit", "created_by")
    )


@dataclass
class ProblemFilters:
    q: str = ""
    state: str = ""  # a ProblemState, or "open" / "overdue"
    base: int | None = None
    unit: int | None = None
    source: str = ""
    year: int | None = None
    escalated: bool = False
    round: int | None = None

    def as_query(self) -> dict[str, str]:
        return _query(self)


def problem_list(*, user: AnyUser, filters: ProblemFilters, today: dt.date) -> QuerySet[Problem]:
    qs = problem_qs(user).select_related("base", "responsible_unit", "raised_by_unit")
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.state == "open":
        qs = qs.exclude(state=ProblemState.CLOSED)
    elif filters.state == "overdue":
        qs = qs.filter(state__in=OPEN_PROBLEM_STATES, deadline__lt=today)
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.base is not None:
        qs = qs.filter(base_id=filters.base)
    if filters.unit is not None:
        qs = qs.filter(responsible_unit_id=filters.unit)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.year is not None:
        qs = qs.filter(created_at__year=filters.year)
    if filters.escalated:
        qs = qs.filter(escalation_level__gt=0)
    if filters.round is not None:
        qs = qs.filter(round_id=filters.round)
    return qs.order_by("-created_at", "-id")


def problem_get(user: AnyUser, pk: int) -> Problem:
    return get_object_or_404(
        problem_qs(user).select_related(
            "base__leader", "responsible_unit", "raised_by_unit", "round", "created_by"
        ),
        pk=pk,
    )


# Action items -------------------------------------------------------------------------------


def action_item_qs(user: AnyUser) -> QuerySet[ActionItem]:
    scope = scope_of(user)
    if scope.everything:
        return ActionItem.objects.all()
    return ActionItem.objects.filter(
        Q(base__in=base_qs(user)) | scope.q("responsible_unit", "created_by")
    )


@dataclass
class ActionItemFilters:
    q: str = ""
    state: str = ""
    base: int | None = None
    year: int | None = None

    def as_query(self) -> dict[str, str]:
        return _query(self)


def action_item_list(
    *, user: AnyUser, filters: ActionItemFilters | None = None
) -> QuerySet[ActionItem]:
    qs = action_item_qs(user).select_related(
        "meeting", "base", "responsible_unit", "problem", "milestone"
    )
    if filters is not None:
        if filters.q:
            qs = qs.filter(Q(decision__icontains=filters.q) | Q(meeting_title__icontains=filters.q))
        if filters.state:
            qs = qs.filter(state=filters.state)
        if filters.base is not None:
            qs = qs.filter(base_id=filters.base)
        if filters.year is not None:
            qs = qs.filter(meeting_date__year=filters.year)
    return qs.order_by("-meeting_date", "id")


def action_item_get(user: AnyUser, pk: int) -> ActionItem:
    return get_object_or_404(
        action_item_qs(user).select_related("meeting", "base", "responsible_unit"), pk=pk
    )


# The state of every base, and the leader's page ----------------------------------------------


@dataclass
class BaseState:
    """Where a base stands in the closed loop."""

    base: Base
    milestones: int = 0
    done: int = 0
    overdue_milestones: int = 0
    open_problems: int = 0
    overdue_problems: int = 0
    escalations: int = 0
    last_round: Round | None = None
    last_report: Report | None = None

    @property
    def last_status(self) -> str:
        if self.last_round is None:
            return ""
        if self.last_report is None:
            return "missing"
        return "late" if self.last_report.late else "on_time"


def base_states(*, bases: list[Base], today: dt.date) -> list[BaseState]:
    """The closed-loop state of each of ``bases`` (a fixed number of queries)."""
    states = {b.pk: BaseState(b) for b in bases}
    ids = list(states)
    for row in (
        Milestone.objects.filter(base_id__in=ids)
        .values("base_id")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=MilestoneStatus.DONE)),
            overdue=Count("id", filter=~Q(status=MilestoneStatus.DONE) & Q(due_date__lt=today)),
        )
    ):
        state = states[row["base_id"]]
        state.milestones, state.done, state.overdue_milestones = (
            row["n"],
            row["done"],
            row["overdue"],
        )
    for base_id, n_open, n_overdue in (
        Problem.objects.filter(base_id__in=ids)
        .values("base_id")
        .annotate(
            open=Count("id", filter=~Q(state=ProblemState.CLOSED)),
            overdue=Count("id", filter=Q(state__in=OPEN_PROBLEM_STATES, deadline__lt=today)),
        )
        .values_list("base_id", "open", "overdue")
    ):
        assert base_id is not None
        states[base_id].open_problems = n_open
        states[base_id].overdue_problems = n_overdue
    for problem_base, milestone_base, n in (
        Escalation.objects.filter(Q(problem__base_id__in=ids) | Q(milestone__base_id__in=ids))
        .values("problem__base_id", "milestone__base_id")
        .annotate(n=Count("id"))
        .values_list("problem__base_id", "milestone__base_id", "n")
    ):
        states[problem_base or milestone_base].escalations += n
    last: dict[int, Round] = {}
    through = Round.bases.through.objects.filter(base_id__in=ids).select_related("round")
    for link in through.order_by("round__opened_on", "round_id"):
        last[link.base_id] = link.round
    reports = {
        (r.round_id, r.base_id): r
        for r in Report.objects.filter(round_id__in={r.pk for r in last.values()}, base_id__in=ids)
    }
    for base_id, round in last.items():
        states[base_id].last_round = round
        states[base_id].last_report = reports.get((round.pk, base_id))
    return [states[b.pk] for b in bases]


def board(*, user: AnyUser, today: dt.date) -> list[BaseState]:
    bases = list(
        base_qs(user).select_related("leader", "lead_department").order_by("sort_order", "id")
    )
    return base_states(bases=bases, today=today)


@dataclass
class LeaderView:
    """ "My bases, my overdue items, my units' scores"."""

    person: Person | None
    own: bool  # the bases are those the user's person leads (else every visible base)
    bases: list[BaseState]
    overdue_milestones: list[Milestone]
    overdue_problems: list[Problem]
    units: list[Unit]


def leader_view(*, user: AnyUser, today: dt.date) -> LeaderView:
    person: Person | None = getattr(user, "person", None) if user.is_authenticated else None
    visible = base_qs(user).select_related("leader", "lead_department")
    led = visible.filter(leader=person) if person is not None else visible.none()
    own = led.exists()
    bases = list((led if own else visible).order_by("sort_order", "id"))
    base_ids = [b.pk for b in bases]
    milestones = list(
        milestone_qs(user)
        .filter(base_id__in=base_ids, due_date__lt=today)
        .exclude(status=MilestoneStatus.DONE)
        .select_related("base", "owner_unit")
        .order_by("due_date", "id")
    )
    problems = list(
        problem_qs(user)
        .filter(base_id__in=base_ids, state__in=OPEN_PROBLEM_STATES, deadline__lt=today)
        .select_related("base", "responsible_unit")
        .order_by("deadline", "id")
    )
    unit_ids = {b.lead_department_id for b in bases}
    unit_ids |= {m.owner_unit_id for m in milestones}
    unit_ids |= {p.responsible_unit_id for p in problems if p.responsible_unit_id}
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("sort_order", "id"))
    return LeaderView(
        person=person,
        own=own,
        bases=base_states(bases=bases, today=today),
        overdue_milestones=milestones,
        overdue_problems=problems,
        units=units,
    )


def subtree_ids(unit_ids: list[int]) -> dict[int, list[int]]:
    """For each unit, its own id and the ids of every unit below it."""
    out: dict[int, list[int]] = {pk: [] for pk in unit_ids}
    for ancestor, descendant in UnitClosure.objects.filter(ancestor_id__in=unit_ids).values_list(
        "ancestor_id", "descendant_id"
    ):
        out[ancestor].append(descendant)
    return out
