"""Reads of the assessment, through the data scope: a base's lead department sees its bases'
scores (and the periods and systems they belong to); the office and the leaders see all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.assessment.models import (
    Aggregation,
    Appeal,
    Dimension,
    Entry,
    Indicator,
    IndicatorSystem,
    Period,
    PeriodEvent,
    PeriodKind,
    PeriodState,
    Score,
    ScoreItem,
    SubjectKind,
    Weighting,
)
from yanzhen.cooperation.models import Base
from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.filters import Filters, choice, number, record, text
from yanzhen.core.indicators import Subject
from yanzhen.core.models import ApprovalRequest, Unit, UnitClosure
from yanzhen.core.scope import scope_of

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def score_qs(user: AnyUser) -> QuerySet[Score]:
    scope = scope_of(user)
    if scope.everything:
        return Score.objects.all()
    return Score.objects.filter(Q(base__in=base_qs(user)) | scope.q("unit", None))


def period_qs(user: AnyUser) -> QuerySet[Period]:
    scope = scope_of(user)
    if scope.everything:
        return Period.objects.all()
    return Period.objects.filter(
        scope.q("system__owner_unit", None) | Q(pk__in=score_qs(user).values("period_id"))
    )


def system_qs(user: AnyUser) -> QuerySet[IndicatorSystem]:
    scope = scope_of(user)
    if scope.everything:
        return IndicatorSystem.objects.all()
    return IndicatorSystem.objects.filter(
        scope.q("owner_unit", None) | Q(pk__in=period_qs(user).values("system_id"))
    )


def system_list(*, user: AnyUser) -> QuerySet[IndicatorSystem]:
    return system_qs(user).select_related("owner_unit").order_by("-id")


@dataclass(frozen=True)
class SystemFilters(Filters):
    q: str = text("搜索")
    subject_kind: str = choice("考核对象", SubjectKind)
    aggregation: str = choice("汇总方法", Aggregation)
    weighting: str = choice("权重方法", Weighting)


def system_table(*, user: AnyUser, filters: SystemFilters) -> QuerySet[IndicatorSystem]:
    """The systems the user sees, filtered, with how many dimensions, indicators and periods
    each has (``n_dimensions``, ``n_indicators``, and ``n_periods`` the user sees)."""
    qs = system_qs(user).select_related("owner_unit")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.subject_kind:
        qs = qs.filter(subject_kind=filters.subject_kind)
    if filters.weighting:
        qs = qs.filter(weighting=filters.weighting)
    if filters.aggregation:
        qs = qs.filter(aggregation=filters.aggregation)
    visible = None if scope_of(user).everything else Q(periods__in=period_qs(user))
    return qs.annotate(
        n_dimensions=Count("dimensions", distinct=True),
        n_indicators=Count("indicators", distinct=True),
        n_periods=Count("periods", filter=visible, distinct=True),
    ).order_by("-id")


def system_get(user: AnyUser, pk: int) -> IndicatorSystem:
    return get_object_or_404(system_qs(user).select_related("owner_unit"), pk=pk)


def indicators_of(system: IndicatorSystem) -> list[Indicator]:
    """The system's indicators, dimension by dimension."""
    return list(
        system.indicators.select_related("dimension").order_by(
            "dimension__sort_order", "dimension_id", "sort_order", "id"
        )
    )


def dimensions_of(system: IndicatorSystem) -> list[Dimension]:
    return list(system.dimensions.all())


def subjects_of(system: IndicatorSystem) -> list[tuple[Subject, str, int]]:
    """``(subject, name, sort order)`` of everything the system assesses."""
    below = UnitClosure.objects.filter(ancestor_id=system.owner_unit_id).values("descendant_id")
    out: list[tuple[Subject, str, int]]
    if system.subject_kind == SubjectKind.BASE:
        out = [
            (("base", pk), name, order)
            for pk, name, order in Base.objects.filter(county__in=below)
            .order_by("sort_order", "id")
            .values_list("pk", "name", "sort_order")
        ]
        return out
    out = [
        (("unit", pk), name, order)
        for pk, name, order in Unit.objects.filter(
            pk__in=below, kind__in=system.unit_kinds, is_active=True
        )
        .order_by("sort_order", "id")
        .values_list("pk", "name", "sort_order")
    ]
    return out


def own_targets(indicator: Indicator) -> dict[str, Decimal]:
    """The subjects' own targets of ``indicator``, keyed as the targets form names them
    (``t_base_<pk>``, ``t_unit_<pk>``)."""
    return {
        f"t_{'base' if t.base_id else 'unit'}_{t.base_id or t.unit_id}": t.value
        for t in indicator.targets.all()
    }


def dimension_get(user: AnyUser, pk: int) -> Dimension:
    return get_object_or_404(
        Dimension.objects.filter(system__in=system_qs(user)).select_related("system"), pk=pk
    )


def indicator_get(user: AnyUser, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.filter(system__in=system_qs(user)).select_related("system", "dimension"),
        pk=pk,
    )


def systems_of(user: AnyUser) -> QuerySet[IndicatorSystem]:
    """The systems the user sees, as the choices of a filter or a form."""
    return system_list(user=user)


@dataclass(frozen=True)
class PeriodFilters(Filters):
    system: int | None = record("指标体系", records=systems_of)
    kind: str = choice("周期", PeriodKind)
    state: str = choice("状态", PeriodState)
    year: int | None = number("年份", low=1990, high=2100)


def period_list(*, user: AnyUser, filters: PeriodFilters | None = None) -> QuerySet[Period]:
    """Periods, latest first; ``year`` keeps those that overlap the calendar year."""
    qs = period_qs(user).select_related("system")
    filters = filters or PeriodFilters()
    if filters.system is not None:
        qs = qs.filter(system_id=filters.system)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year is not None:
        qs = qs.filter(start__year__lte=filters.year, end__year__gte=filters.year)
    return qs.order_by("-end", "-id")


def periods_of(user: AnyUser, system: IndicatorSystem) -> QuerySet[Period]:
    """The system's periods the user sees, latest first."""
    return period_qs(user).filter(system=system).order_by("-end", "-id")


def period_get(user: AnyUser, pk: int) -> Period:
    """The period (404 outside the scope), with its events."""
    return get_object_or_404(
        period_qs(user)
        .select_related("system__owner_unit")
        .prefetch_related(Prefetch("events", queryset=PeriodEvent.objects.select_related("actor"))),
        pk=pk,
    )


def pending_entries(period: Period) -> int:
    """How many hand scores and corrections of the period wait for review."""
    return Entry.objects.filter(
        item__score__period=period, active=True, reviewed_at__isnull=True
    ).count()


def ranking(*, user: AnyUser, period: Period) -> list[Score]:
    """The period's scores the user sees, best first, with their items (no query per row)."""
    return list(
        score_qs(user)
        .filter(period=period)
        .select_related("base__lead_department", "base__leader", "unit")
        .prefetch_related(Prefetch("items", queryset=ScoreItem.objects.order_by("position")))
        .order_by("rank", "sort_order", "id")
    )


def score_get(user: AnyUser, pk: int) -> Score:
    return get_object_or_404(
        score_qs(user).select_related(
            "period__system", "base__lead_department", "base__leader", "unit"
        ),
        pk=pk,
    )


def score_items(score: Score) -> list[ScoreItem]:
    """The score's items in order, with their entries and who entered and reviewed them."""
    entries = Entry.objects.select_related("entered_by", "reviewed_by")
    return list(score.items.prefetch_related(Prefetch("entries", queryset=entries)))


def item_entries(item: ScoreItem) -> list[Entry]:
    """The item's entries, oldest first, with who entered and reviewed them."""
    return list(item.entries.select_related("entered_by", "reviewed_by"))


def item_get(user: AnyUser, pk: int) -> ScoreItem:
    return get_object_or_404(
        ScoreItem.objects.filter(score__in=score_qs(user)).select_related(
            "score__period__system", "score__base__lead_department", "score__unit"
        ),
        pk=pk,
    )


def entry_get(user: AnyUser, pk: int) -> Entry:
    return get_object_or_404(
        Entry.objects.filter(item__score__in=score_qs(user)).select_related("item"), pk=pk
    )


@dataclass
class TrendLine:
    name: str
    subject: tuple[str, int]
    points: list[tuple[Period, Score | None]]


def trend(
    *, user: AnyUser, system: IndicatorSystem, kind: str
) -> tuple[list[Period], list[TrendLine]]:
    """Totals and ranks of each visible subject across the system's published periods."""
    periods = list(
        period_qs(user)
        .filter(system=system, kind=kind, state=PeriodState.PUBLISHED)
        .order_by("start", "id")
    )
    by_subject: dict[tuple[str, int], dict[int, Score]] = defaultdict(dict)
    names: dict[tuple[str, int], tuple[int, str]] = {}
    for score in score_qs(user).filter(period__in=periods).order_by("sort_order", "id"):
        by_subject[score.subject][score.period_id] = score
        names.setdefault(score.subject, (score.sort_order, score.name))
    lines = [
        TrendLine(names[s][1], s, [(p, by_subject[s].get(p.pk)) for p in periods])
        for s in sorted(by_subject, key=lambda s: names[s])
    ]
    return periods, lines


def latest_published(*, user: AnyUser) -> Period | None:
    """The user's most recent published period (the latest end; the newest of a tie)."""
    published = period_qs(user).filter(state=PeriodState.PUBLISHED)
    return published.order_by("-end", "-id").select_related("system").first()


def latest_scores(*, user: AnyUser, bases: list[int]) -> dict[int, Score]:
    """The latest published score of each base."""
    out: dict[int, Score] = {}
    for score in (
        score_qs(user)
        .filter(base_id__in=bases, period__state=PeriodState.PUBLISHED)
        .select_related("period")
        .order_by("period__end", "period_id")
    ):
        assert score.base_id is not None
        out[score.base_id] = score
    return out


def unit_scores(*, user: AnyUser, units: list[int]) -> list[Score]:
    """Published scores of the given units (as subjects), latest period first."""
    return list(
        score_qs(user)
        .filter(unit_id__in=units, period__state=PeriodState.PUBLISHED)
        .select_related("period", "unit")
        .order_by("-period__end", "rank")
    )


# Appeals (申诉) ----------------------------------------------------------------------------------


def appeal_qs(user: AnyUser) -> QuerySet[Appeal]:
    """Appeals about scores in the reader's scope."""
    return Appeal.objects.filter(item__score__in=score_qs(user))


def appeal_list(*, user: AnyUser) -> QuerySet[Appeal]:
    return (
        appeal_qs(user)
        .select_related("item__score__period", "unit", "created_by", "decided_by")
        .order_by("-created_at", "-id")
    )


def appeal_get(user: AnyUser, pk: int) -> Appeal:
    return get_object_or_404(
        appeal_qs(user).select_related(
            "item__score__period__system",
            "item__score__base__lead_department",
            "item__score__unit",
            "unit",
            "created_by",
            "decided_by",
        ),
        pk=pk,
    )


def appealable_items(*, user: AnyUser) -> list[ScoreItem]:
    """The hand-scored items of published periods that the user's unit answers for (its own
    scores, and its bases' as lead department), newest period first."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return []
    return list(
        ScoreItem.objects.filter(
            score__in=score_qs(user),
            manual=True,
            score__period__state=PeriodState.PUBLISHED,
        )
        .filter(Q(score__unit_id=unit_id) | Q(score__base__lead_department_id=unit_id))
        .select_related("score__period__system", "score__base__lead_department", "score__unit")
        .prefetch_related("appeals")
        .order_by("-score__period__published_at", "score__sort_order", "position", "id")
    )


def appeal_review_ids(appeals: list[Appeal]) -> dict[int, int]:
    """The latest review (in the shared workflow) of each appeal, by appeal id: one query."""
    reviews = ApprovalRequest.objects.filter(
        kind="assessment.appeal",
        target_type=ContentType.objects.get_for_model(Appeal),
        target_id__in=[a.pk for a in appeals],
    ).order_by("requested_at", "id")
    return {int(target): pk for pk, target in reviews.values_list("pk", "target_id")}
