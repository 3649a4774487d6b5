"""Reads of closed-loop supervision, always through the user's data scope.

A base's lead department sees its bases' milestones, rounds, reports and problems, and the
problems assigned to it; the office and the leaders (全部数据) see everything."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yanzhen.cooperation.models import Activity, Base
from yanzhen.cooperation.selectors import activity_qs, base_choices, base_qs
from yanzhen.core.filters import Filters, choice, flag, number, record, text
from yanzhen.core.models import Person, Unit
from yanzhen.core.schemas import MAX_ID
from yanzhen.core.scope import scope_of
from yanzhen.core.selectors import unit_qs
from yanzhen.supervision.models import (
    OPEN_PROBLEM_STATES,
    ActionItem,
    ActionItemState,
    Escalation,
    Evidence,
    Milestone,
    MilestoneStatus,
    Problem,
    ProblemEvent,
    ProblemSource,
    ProblemState,
    Report,
    ReportItem,
    Round,
    RoundKind,
    RoundState,
    WorkPlan,
)

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def bases_of(user: AnyUser) -> QuerySet[Base]:
    """The user's bases, as the choices of a filter or a form."""
    return base_choices(user=user)


def base_in_scope(user: AnyUser, pk: int | None) -> Base | None:
    """The base ``pk`` if the user sees it (None for no key, or one out of scope)."""
    if pk is None or not 1 <= pk <= MAX_ID:
        return None
    return base_qs(user).filter(pk=pk).select_related("lead_department").first()


def unit_in_scope(user: AnyUser, pk: int | None) -> Unit | None:
    """The unit ``pk`` if it is in the user's scope (None for no key, or one out of scope)."""
    if pk is None or not 1 <= pk <= MAX_ID:
        return None
    return unit_qs(user).filter(pk=pk).first()


def units_of(user: AnyUser) -> QuerySet[Unit]:
    """The units in the user's scope, in their order: the choices of a unit of a form."""
    return unit_qs(user).order_by("sort_order", "id")


def meetings_of(user: AnyUser) -> QuerySet[Activity]:
    """The meetings (activities) a decision may come from, latest first."""
    return activity_qs(user).order_by("-date")


# Milestones -----------------------------------------------------------------------------------


def milestone_qs(user: AnyUser) -> QuerySet[Milestone]:
    """Milestones of visible bases, and those owned by a unit in scope."""
    return Milestone.objects.filter(
        Q(base__in=base_qs(user)) | scope_of(user).q("owner_unit", None)
    )


@dataclass(frozen=True)
class MilestoneFilters(Filters):
    q: str = text("搜索")
    base: int | None = record("基地", records=bases_of)
    status: str = choice("状态", MilestoneStatus)
    overdue: bool = flag("只看逾期")
    escalated: bool = flag("只看已督办")
    unit: int | None = record("责任单位", hidden=True)


def milestone_list(
    *,
    user: AnyUser,
    base: Base | None = None,
    filters: MilestoneFilters | None = None,
    today: dt.date | None = None,
) -> QuerySet[Milestone]:
    """The milestones the user sees (of ``base``), filtered; ``overdue``: not done and due
    before ``today`` (default: today)."""
    qs = milestone_qs(user).select_related("owner_unit", "owner_person", "base")
    if base is not None:
        qs = qs.filter(base=base)
    filters = filters or MilestoneFilters()
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(deliverable__icontains=filters.q))
    if filters.base is not None:
        qs = qs.filter(base_id=filters.base)
    if filters.unit is not None:
        qs = qs.filter(owner_unit_id=filters.unit)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        due = today or timezone.localdate()
        qs = qs.exclude(status=MilestoneStatus.DONE).filter(due_date__lt=due)
    if filters.escalated:
        qs = qs.filter(escalations__isnull=False).distinct()
    return qs.order_by("base__sort_order", "base_id", "due_date", "sort_order", "id")


def milestone_get(user: AnyUser, pk: int) -> Milestone:
    return get_object_or_404(milestone_qs(user).select_related("base", "owner_unit"), pk=pk)


def work_plan_get(user: AnyUser, base_pk: int) -> WorkPlan:
    return get_object_or_404(WorkPlan.objects.filter(base__in=base_qs(user)), base_id=base_pk)


def work_plan_of(base: Base) -> WorkPlan | None:
    """The work plan of ``base`` (a base the caller has fetched through the scope), if any."""
    return WorkPlan.objects.filter(base=base).first()


# Rounds and reports ---------------------------------------------------------------------------


def round_qs(user: AnyUser) -> QuerySet[Round]:
    """Rounds that ask at least one base the user sees."""
    if scope_of(user).everything:
        return Round.objects.all()
    through = Round.bases.through.objects.filter(base__in=base_qs(user))
    return Round.objects.filter(pk__in=through.values("round_id"))


@dataclass(frozen=True)
class RoundFilters(Filters):
    q: str = text("搜索")
    year: int | None = number("年份", low=1990, high=2100)
    kind: str = choice("调度类型", RoundKind)
    state: str = choice("状态", RoundState)


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


def round_counted(user: AnyUser, pk: int) -> Round:
    """The round with the counts of :func:`round_list` (404 outside the scope)."""
    return get_object_or_404(round_list(user=user), pk=pk)


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


def round_milestones(round: Round, base: Base) -> QuerySet[Milestone]:
    """The milestones a base reports on in a round: those not done when the round opened."""
    return (
        Milestone.objects.filter(base=base)
        .filter(~Q(status=MilestoneStatus.DONE) | Q(done_date__gte=round.opened_on))
        .select_related("owner_unit")
        .order_by("due_date", "sort_order", "id")
    )


def report_of(round: Round, base: Base) -> Report | None:
    """The report of ``base`` to ``round`` (both fetched through the scope), with its items."""
    return Report.objects.filter(round=round, base=base).prefetch_related("items").first()


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


PROBLEM_STATES = [("open", "未销号"), ("overdue", "已逾期"), *ProblemState.choices]


@dataclass(frozen=True)
class ProblemFilters(Filters):
    q: str = text("搜索", max_length=100)
    state: str = choice("状态", PROBLEM_STATES)  # a ProblemState, or "open" / "overdue"
    base: int | None = record("基地", records=bases_of)
    source: str = choice("来源", ProblemSource)
    escalated: bool = flag("只看已督办")
    year: int | None = number("年份", low=1990, high=2100)
    unit: int | None = record("责任单位", hidden=True)
    round: int | None = record("调度", hidden=True)


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
    """The problem (404 outside the scope), with its events and escalations."""
    return get_object_or_404(
        problem_qs(user)
        .select_related("base__leader", "responsible_unit", "raised_by_unit", "round", "created_by")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ProblemEvent.objects.select_related("actor", "responsible_unit"),
            ),
            Prefetch(
                "escalations", queryset=Escalation.objects.select_related("unit", "leader", "actor")
            ),
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


@dataclass(frozen=True)
class ActionItemFilters(Filters):
    q: str = text("搜索")
    state: str = choice("状态", ActionItemState)
    base: int | None = record("基地", records=bases_of)
    year: int | None = number("会议年份", low=1990, high=2100)


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
