"""Reads of the assessment, through the data scope: a base's lead department sees its bases'
scores (and the periods and systems they belong to); the office and the leaders see all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.assessment.models import (
    Dimension,
    Entry,
    Indicator,
    IndicatorSystem,
    Period,
    PeriodState,
    Score,
    ScoreItem,
)
from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.scope import scope_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

    AnyUser = User | AnonymousUser


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


@dataclass
class SystemFilters:
    q: str = ""
    subject_kind: str = ""
    weighting: str = ""
    aggregation: str = ""


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


def dimension_get(user: AnyUser, pk: int) -> Dimension:
    return get_object_or_404(
        Dimension.objects.filter(system__in=system_qs(user)).select_related("system"), pk=pk
    )


def indicator_get(user: AnyUser, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.filter(system__in=system_qs(user)).select_related("system", "dimension"),
        pk=pk,
    )


def period_list(
    *,
    user: AnyUser,
    system: int | None = None,
    state: str = "",
    kind: str = "",
    year: int | None = None,
) -> QuerySet[Period]:
    """Periods, latest first; ``year`` keeps those that overlap the calendar year."""
    qs = period_qs(user).select_related("system")
    if system is not None:
        qs = qs.filter(system_id=system)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if year is not None:
        qs = qs.filter(start__year__lte=year, end__year__gte=year)
    return qs.order_by("-end", "-id")


def period_get(user: AnyUser, pk: int) -> Period:
    return get_object_or_404(period_qs(user).select_related("system__owner_unit"), pk=pk)


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
