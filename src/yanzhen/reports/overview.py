"""The year at a glance (年度总览): every figure of the catalogue for one period and scope
unit, each opening its records, with 同比 and 环比 and the annual targets' completion, and
the year's work around them (bases and their 四个一, the funnel by channel, recruitment by
channel and degree, coverage gaps, overdue milestones)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from yanzhen.assessment import selectors as assessment_selectors
from yanzhen.assessment.models import PeriodState
from yanzhen.cooperation.models import Channel
from yanzhen.core.models import Degree, Unit
from yanzhen.core.selectors import unit_qs
from yanzhen.engines.briefing_template import FigureRef, Kind, Value, format_value
from yanzhen.reports import figures
from yanzhen.reports.figures import Context, Period
from yanzhen.reports.models import TARGET_FIGURES, AnnualTarget, TargetKind
from yanzhen.reports.selectors import (
    Coverage,
    CoverageRow,
    horizontal_coverage,
    vertical_coverage,
)
from yanzhen.supervision.selectors import MilestoneFilters, milestone_list
from yanzhen.talent.models import RECRUITMENT_CHANNELS
from yanzhen.talent.models import Channel as TalentChannel

if TYPE_CHECKING:
    from yanzhen.core.models import User


@dataclass(frozen=True)
class Line:
    """One figure of the page."""

    name: str
    group: str
    kind: Kind
    value: Value
    shown: str
    definition: str
    url: str  # the records behind it (exactly)
    list_url: str  # the app's own list, where one shows exactly them
    dated: bool
    before: Value = None  # the same period a year earlier
    yoy: Decimal | None = None
    previous: Value = None  # the period just before (when not a whole year)
    mom: Decimal | None = None
    target: int | None = None
    target_kind: str = ""

    @property
    def completion(self) -> Decimal | None:
        if self.target and isinstance(self.value, int | Decimal):
            return Decimal(self.value) / Decimal(self.target)
        return None


@dataclass(frozen=True)
class Split:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Ranked:
    """A subject of a published assessment, opening its score (down to each indicator's
    records)."""

    rank: int
    name: str
    total: Decimal
    url: str


@dataclass(frozen=True)
class Assessment:
    """A published assessment period ending in the period: its top and bottom subjects."""

    name: str
    system: str
    url: str
    subjects: int
    top: list[Ranked]
    bottom: list[Ranked]


@dataclass(frozen=True)
class Held:
    """A meeting or a delegation of the period, opening its record."""

    date: str
    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class HeldList:
    """The meetings (or delegations) behind one figure: the figure's records page and each
    record (the first ``MEETINGS_SHOWN``)."""

    name: str
    count: int
    url: str
    rows: list[Held]


TOP_BOTTOM = 3
MEETINGS_SHOWN = 20
MEETING_FIGURES = ("常委会研究次数", "推介会次数", "带队对接次数")


@dataclass
class Overview:
    period: Period
    unit: Unit | None
    lines: list[Line]
    channels: list[tuple[str, int, int, int]]
    recruitment: list[Split]
    degrees: list[Split]
    vertical: list[CoverageRow]
    overdue: int
    overdue_url: str
    bases_complete: int
    bases_total: int
    horizontal: list[tuple[str, list[CoverageRow]]] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    meetings: list[HeldList] = field(default_factory=list)

    def groups(self) -> list[tuple[str, list[Line]]]:
        out: dict[str, list[Line]] = {}
        for line in self.lines:
            out.setdefault(line.group, []).append(line)
        return list(out.items())

    def line(self, name: str) -> Line:
        return next(line for line in self.lines if line.name == name)


def _growth(now: Value, before: Value) -> Decimal | None:
    if isinstance(now, int | Decimal) and isinstance(before, int | Decimal) and before:
        return (Decimal(now) - Decimal(before)) / Decimal(before)
    return None


def targets_for(*, unit: Unit | None, year: int | None) -> dict[str, int]:
    if unit is None or year is None:
        return {}
    return dict(AnnualTarget.objects.filter(unit=unit, year=year).values_list("kind", "value"))


def overview(*, user: User, period: Period, unit: Unit | None, home: Unit | None) -> Overview:
    """The page's figures for ``period``; ``unit`` narrows them to a unit and those below it
    (the targets are those of ``unit``, or of ``home`` — the county — when none is chosen)."""
    ctx = Context(user=user, period=period, unit=unit)
    before_ctx = Context(user=user, period=period.year_before(), unit=unit)
    previous_ctx = Context(user=user, period=period.previous(), unit=unit)
    whole_year = period.year is not None
    targets = targets_for(unit=unit or home, year=period.year)
    by_figure = {name: kind for kind, name in TARGET_FIGURES.items()}
    lines = []
    for definition in figures.FIGURES:
        ref = FigureRef(definition.name)
        result = figures.compute(ref, ctx)
        before = previous = None
        if definition.dated:
            before = figures.compute(ref, before_ctx).value
            if not whole_year:
                previous = figures.compute(ref, previous_ctx).value
        kind = by_figure.get(definition.name, "")
        lines.append(
            Line(
                name=definition.name,
                group=definition.group,
                kind=definition.kind,
                value=result.value,
                shown=format_value(definition.kind, result.value),
                definition=definition.definition,
                url=figures.records_url(ref.key, ctx),
                list_url=figures.list_url(definition.name, ctx),
                dated=definition.dated,
                before=before,
                yoy=_growth(result.value, before),
                previous=previous,
                mom=_growth(result.value, previous),
                target=targets.get(kind) if kind else None,
                target_kind=kind,
            )
        )
    intentions = figures.compute(FigureRef("合作意向数"), ctx).records
    assert intentions is not None
    channels = _channels(ctx)
    recruited = figures.compute(FigureRef("人才数"), ctx).records
    assert recruited is not None
    talent_url = figures.list_url("人才数", ctx)
    recruitment = _splits(recruited, "channel", dict(TalentChannel.choices), talent_url, "channel")
    recruitment = [s for s in recruitment if s.count or s.label in _recruitment_labels()]
    degrees = _splits(recruited, "degree", dict(Degree.choices), talent_url, "degree")
    overdue = MilestoneFilters(overdue=True)
    milestones = milestone_list(user=user, filters=overdue)
    if unit is not None:
        milestones = milestones.filter(owner_unit__in=ctx.units())
    bases = figures.compute(FigureRef("基地数"), ctx).records
    assert bases is not None
    complete = (
        bases.filter(leader__isnull=False)
        .annotate(n_members=Count("members", distinct=True), n_milestones=Count("milestones"))
        .filter(n_members__gt=0, work_plan__isnull=False, n_milestones__gt=0)
        .count()
    )
    coverage = Coverage.of(user)
    return Overview(
        period=period,
        unit=unit,
        lines=lines,
        channels=channels,
        recruitment=recruitment,
        degrees=degrees,
        vertical=vertical_coverage(user=user, coverage=coverage),
        horizontal=horizontal_coverage(user=user, coverage=coverage),
        assessments=_assessments(user, period),
        meetings=[_held(name, ctx) for name in MEETING_FIGURES],
        overdue=milestones.count(),
        overdue_url=reverse("supervision:milestone_list") + "?" + urlencode(overdue.as_query()),
        bases_complete=complete,
        bases_total=bases.count(),
    )


def _assessments(user: User, period: Period) -> list[Assessment]:
    """The published assessments whose period ends in ``period``: top and bottom subjects."""
    if not user.has_perm("assessment.view_period"):
        return []
    out = []
    periods = (
        assessment_selectors.period_qs(user)
        .filter(state=PeriodState.PUBLISHED, end__range=(period.start, period.end))
        .select_related("system")
        .order_by("-end", "start", "system__name", "pk")
    )
    for p in periods:
        scores = assessment_selectors.ranking(user=user, period=p)
        ranked = [
            Ranked(s.rank, s.name, s.total, reverse("assessment:score_detail", args=[s.pk]))
            for s in sorted(scores, key=lambda s: (s.rank, s.sort_order, s.pk))
        ]
        if not ranked:
            continue
        out.append(
            Assessment(
                name=p.name,
                system=p.system.name,
                url=reverse("assessment:period_detail", args=[p.pk]),
                subjects=len(ranked),
                top=ranked[:TOP_BOTTOM],
                bottom=ranked[max(TOP_BOTTOM, len(ranked) - TOP_BOTTOM) :][::-1],
            )
        )
    return out


def _held(name: str, ctx: Context) -> HeldList:
    records = figures.compute(FigureRef(name), ctx).records
    assert records is not None
    rows = [
        Held(
            date=str(a.date),
            kind=a.get_kind_display(),
            title=a.title,
            url=reverse("cooperation:activity_detail", args=[a.pk]),
        )
        for a in records.order_by("date", "pk")[:MEETINGS_SHOWN]
    ]
    return HeldList(name, records.count(), figures.records_url(name, ctx), rows)


def _recruitment_labels() -> set[str]:
    labels = dict(TalentChannel.choices)
    return {labels[c] for c in RECRUITMENT_CHANNELS}


def _channels(ctx: Context) -> list[tuple[str, int, int, int]]:
    """Per channel: intentions, agreements and landed projects of the period."""
    rows = []
    counted = {}
    for stage in ("intention", "agreement", "landed"):
        qs = figures.BY_NAME[
            {"intention": "合作意向数", "agreement": "签约数", "landed": "落地数"}[stage]
        ].records(ctx)
        counted[stage] = dict(
            qs.order_by().values("channel").annotate(n=Count("pk")).values_list("channel", "n")
        )
    for value, label in Channel.choices:
        row = (
            label,
            counted["intention"].get(value, 0),
            counted["agreement"].get(value, 0),
            counted["landed"].get(value, 0),
        )
        if any(row[1:]):
            rows.append(row)
    return rows


def _splits(
    qs: QuerySet[Any], field: str, labels: dict[str, str], url: str, param: str
) -> list[Split]:
    counts = dict(qs.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n"))
    joiner = "&" if "?" in url else "?"
    return [
        Split(label, counts.get(value, 0), f"{url}{joiner}{param}={value}" if url else "")
        for value, label in labels.items()
        if counts.get(value, 0)
    ]


def unit_choices(user: User) -> QuerySet[Unit]:
    """The units a user may narrow the page to: the county and the departments and towns."""
    return (
        unit_qs(user)
        .filter(Q(kind__in=["county", "department", "town", "street", "zone"]))
        .order_by("sort_order", "id")
    )


TARGET_LABELS = dict(TargetKind.choices)
