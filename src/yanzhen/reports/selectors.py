"""The dashboard's figures, each with the filter of the records behind it.

For a user who sees everything the figures come from the stored tally (a handful of small
queries whatever the size of the ledger); for everyone else they are summed from the
contributions of the cooperations in their scope. Both use ``engines.ledger``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, get_urlconf, reverse

from yanzhen.cooperation.models import (
    ActivityKind,
    ActivityStatus,
    ActivityTiming,
    Base,
    Channel,
    CooperationKind,
    CooperationTally,
)
from yanzhen.cooperation.selectors import (
    activity_qs,
    cooperation_qs,
    pending_count,
    secondment_qs,
)
from yanzhen.cooperation.tally import stored_rows
from yanzhen.core.counties import settings_for
from yanzhen.core.models import TIER_KINDS, Tier, Unit, UnitKind
from yanzhen.core.scope import scope_of
from yanzhen.core.selectors import unit_qs
from yanzhen.engines import ledger
from yanzhen.engines.ledger import TallyKey, TallyValue
from yanzhen.engines.stages import STAGE_LABELS, Stage
from yanzhen.reference.local import groups_of, industries_of, industry_groups
from yanzhen.reference.models import LocalIndustry
from yanzhen.reports.counties import Comparison, above_county, by_county
from yanzhen.reports.models import AnnualTarget, Briefing, BriefingFigure, BriefingTemplate
from yanzhen.reports.scoped_sums import scoped_sums

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

    AnyUser = User | AnonymousUser

PIPELINE = (Stage.INTENTION, Stage.AGREEMENT, Stage.LANDED)
SMALL_DIMENSIONS = (
    ledger.TOTAL,
    ledger.CHANNEL,
    ledger.KIND,
    ledger.INDUSTRY,
    ledger.MONTH,
    ledger.SIGN_LAG,
    ledger.CURRENT,
    ledger.OPEN_SINCE,
    ledger.DROPPED,
)
TOP_BASES = 20
GAP_NAMES = 10


def ledger_url(**params: str | int | None) -> str:
    return _path("cooperation:cooperation_list") + _query(tuple(params.items()))


def units_url(**params: str | int | None) -> str:
    return _path("core:unit_list") + _query(tuple(params.items()))


@lru_cache(maxsize=4096)
def _query(params: tuple[tuple[str, str | int | None], ...]) -> str:
    """``?a=1&b=2`` of the given parameters, leaving out empty ones (a dashboard encodes
    several hundred, mostly the same from one request to the next)."""
    query = {k: v for k, v in params if v not in (None, "")}
    return "?" + urlencode(query) if query else ""


def _path(name: str) -> str:
    """``reverse(name)``, once per URL configuration and script prefix (a dashboard links
    several hundred figures to the same two lists)."""
    return _reversed(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=32)
def _reversed(name: str, urlconf: str, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


@dataclass
class Figure:
    label: str
    value: int | Decimal
    url: str


@dataclass
class Series:
    """One breakdown: categories, and per pipeline stage the counts and their links."""

    title: str
    categories: list[str]
    counts: dict[str, list[int]]
    urls: dict[str, list[str]]

    def as_chart(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "categories": self.categories,
            "series": [
                {"name": STAGE_LABELS[Stage(s)], "data": self.counts[s], "urls": self.urls[s]}
                for s in self.counts
            ],
        }


@dataclass
class CoverageRow:
    label: str
    total: int
    covered: int
    gaps: list[Unit]
    gap_url: str
    all_url: str

    @property
    def rate(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0

    @property
    def missing(self) -> int:
        """How many units have no partner (the gaps the gap link lists)."""
        return self.total - self.covered


@dataclass
class Dashboard:
    year: int | None
    years: list[int]
    figures: list[Figure]
    series: list[Series]
    waiting: list[dict[str, Any]]
    sign_lag: list[Figure]
    current: list[Figure]
    horizontal: list[tuple[str, list[CoverageRow]]]
    vertical: list[CoverageRow]
    international: list[Figure]
    activities: list[Figure]
    extras: dict[str, Any] = field(default_factory=dict)
    # For a user above the counties: its counties side by side (``reports.counties``).
    by_county: Comparison = field(default_factory=lambda: Comparison([]))


class _Rows:
    """The tally rows a dashboard reads, from the stored tally or from the user's scope,
    split by dimension."""

    def __init__(self, user: AnyUser) -> None:
        self.everything = scope_of(user).everything
        self._scoped: dict[str, dict[TallyKey, TallyValue]] | None = None
        if not self.everything:
            # The county dimensions only for a user whose dashboard compares counties.
            self._scoped = scoped_sums(user, counties=above_county(user))

    def counties(self) -> dict[TallyKey, TallyValue] | None:
        """The rows of the county dimensions of the user's cooperations; None: read them from
        the stored tally."""
        if self._scoped is None:
            return None
        return {
            **self._scoped.get(ledger.COUNTY, {}),
            **self._scoped.get(ledger.COUNTY_UNIVERSITY, {}),
        }

    def small(self) -> dict[str, dict[TallyKey, TallyValue]]:
        if self._scoped is not None:
            return {d: self._scoped[d] for d in SMALL_DIMENSIONS if d in self._scoped}
        return ledger.by_dimension(stored_rows(dimension__in=SMALL_DIMENSIONS))

    def universities(self, year: int | None) -> int:
        if self._scoped is not None:
            return ledger.funnel(self._scoped.get(ledger.UNIVERSITY, {}), year=year).universities
        qs = CooperationTally.objects.filter(
            dimension=ledger.UNIVERSITY, stage=Stage.INTENTION, count__gt=0
        )
        if year is not None:
            qs = qs.filter(year=year)
        return qs.values("key").distinct().count()

    def top_bases(self, year: int | None, limit: int) -> dict[str, dict[str, int]]:
        if self._scoped is not None:
            rows = ledger.breakdown(self._scoped.get(ledger.BASE, {}), ledger.BASE, year=year)
            ranked = sorted(rows, key=lambda k: (-rows[k].get(Stage.INTENTION, 0), k))[:limit]
            return {k: rows[k] for k in ranked}
        qs = CooperationTally.objects.filter(dimension=ledger.BASE, count__gt=0)
        if year is not None:
            qs = qs.filter(year=year)
        top = list(
            qs.filter(stage=Stage.INTENTION)
            .values("key")
            .annotate(n=Sum("count"))
            .order_by("-n", "key")
            .values_list("key", flat=True)[:limit]
        )
        out: dict[str, dict[str, int]] = {k: {} for k in top}
        for key, stage, n in (
            qs.filter(key__in=top, stage__in=PIPELINE)  # the stages of a base's rows
            .values("key", "stage")
            .annotate(n=Sum("count"))
            .values_list("key", "stage", "n")
        ):
            out[key][stage] = n
        return out


def _series(
    title: str,
    dimension: str,
    rows: dict[str, dict[str, int]],
    labels: Sequence[tuple[str, str]],
    *,
    year: int | None,
    param: str,
) -> Series:
    keys = [k for k, _ in labels if k in rows]
    counts = {s.value: [rows[k].get(s, 0) for k in keys] for s in PIPELINE}
    urls = {
        s.value: [ledger_url(reached=s.value, year=year, **{param: k or "none"}) for k in keys]
        for s in PIPELINE
    }
    names = dict(labels)
    return Series(title, [names[k] for k in keys], counts, urls)


def dashboard(*, user: AnyUser, year: int | None, today: dt.date) -> Dashboard:
    source = _Rows(user)
    parts = source.small()
    totals = parts.get(ledger.TOTAL, {})
    funnel = ledger.funnel(totals | parts.get(ledger.DROPPED, {}), year=year)
    universities = source.universities(year)
    years = sorted({k[3] for k in totals if k[3]}, reverse=True)

    figures = [
        Figure("合作意向", funnel.intentions, ledger_url(reached=Stage.INTENTION, year=year)),
        Figure("签约协议", funnel.agreements, ledger_url(reached=Stage.AGREEMENT, year=year)),
        Figure("落地项目", funnel.landed, ledger_url(reached=Stage.LANDED, year=year)),
        Figure(
            "合作高校（院所）",
            universities,
            reverse("cooperation:partner_list") + ("?" + urlencode({"year": year}) if year else ""),
        ),
        Figure("终止", funnel.dropped, ledger_url(stage=Stage.DROPPED, year=year)),
        Figure(
            "落地投资（万元）",
            funnel.landed_investment,
            ledger_url(reached=Stage.LANDED, year=year),
        ),
    ]

    def dim(dimension: str) -> dict[str, dict[str, int]]:
        return ledger.breakdown(parts.get(dimension, {}), dimension, year=year)

    county_settings = settings_for(getattr(user, "unit", None))  # read once for both uses
    industries = [(i.code, i.name) for i in industries_of(county_settings)]
    industries += [("", "未归类")]
    base_rows = source.top_bases(year, TOP_BASES)
    base_names = dict(
        Base.objects.filter(pk__in=[int(k) for k in base_rows if k]).values_list("pk", "name")
    )
    base_labels = [(k, base_names.get(int(k), k) if k else "不属于基地") for k in base_rows]
    month_keys = sorted(dim(ledger.MONTH))
    kind_rows = dim(ledger.KIND)
    series = [
        _series(
            "按对接渠道",
            ledger.CHANNEL,
            dim(ledger.CHANNEL),
            Channel.choices,
            year=year,
            param="channel",
        ),
        _series(
            "按合作类型",
            ledger.KIND,
            kind_rows,
            CooperationKind.choices,
            year=year,
            param="kind",
        ),
        _series(
            "按本地产业",
            ledger.INDUSTRY,
            dim(ledger.INDUSTRY),
            industries,
            year=year,
            param="industry",
        ),
        _series("按合作基地", ledger.BASE, base_rows, base_labels, year=year, param="base"),
        _series(
            "按月份",
            ledger.MONTH,
            dim(ledger.MONTH),
            [(m, m) for m in month_keys],
            year=None,
            param="month",
        ),
    ]

    waiting_rows = ledger.waiting(parts.get(ledger.OPEN_SINCE, {}), today=today)
    waiting = [
        {
            "stage": STAGE_LABELS[Stage(stage)],
            "buckets": [
                Figure(f"{bucket}个月", n, ledger_url(stage=stage, waiting=bucket))
                for bucket, n in buckets.items()
            ],
        }
        for stage, buckets in waiting_rows.items()
    ]
    lag = dim(ledger.SIGN_LAG)
    sign_lag = [
        Figure(
            f"{key}天",
            lag.get(key, {}).get(Stage.AGREEMENT, 0),
            ledger_url(reached=Stage.AGREEMENT, year=year, lag=key),
        )
        for key, _, _ in ledger.LAG_BUCKETS
    ]
    current = current_stages(user=user, year=year, rows=dim(ledger.CURRENT))
    participants = sum(
        v.participants
        for k, v in parts.get(ledger.KIND, {}).items()
        if k[1] == CooperationKind.INTERNATIONAL
        and k[2] == Stage.INTENTION
        and ledger.in_year(k, year)
    )
    international = [
        Figure(
            "国际合作",
            kind_rows.get(CooperationKind.INTERNATIONAL, {}).get(Stage.INTENTION, 0),
            ledger_url(kind=CooperationKind.INTERNATIONAL, reached=Stage.INTENTION, year=year),
        ),
        Figure(
            "参与学生（人）",
            participants,
            ledger_url(kind=CooperationKind.INTERNATIONAL, reached=Stage.INTENTION, year=year),
        ),
    ]
    coverage = Coverage.of(user)
    return Dashboard(
        year=year,
        years=years,
        figures=figures,
        series=series,
        waiting=waiting,
        sign_lag=sign_lag,
        current=current,
        horizontal=horizontal_coverage(
            user=user, coverage=coverage, groups=groups_of(county_settings)
        ),
        vertical=vertical_coverage(user=user, coverage=coverage),
        international=international,
        activities=activity_figures(user=user, year=year),
        # The figures count approved stages only; what waits for review is named beside them.
        extras={
            "pending": pending_count(cooperation_qs(user)),
            "pending_url": ledger_url(review="pending"),
        },
        by_county=(
            by_county(user=user, year=year, rows=source.counties())
            if above_county(user)
            else Comparison([])
        ),
    )


def current_stages(
    *, user: AnyUser, year: int | None, rows: dict[str, dict[str, int]]
) -> list[Figure]:
    """The cooperations by the stage they are in now; for a year, those whose intention falls
    in it (the tally's current stages are of all years), each opening exactly its records."""
    if year is None:
        return [
            Figure(STAGE_LABELS[s], rows.get(s.value, {}).get(s.value, 0), ledger_url(stage=s))
            for s in Stage
        ]
    counts = dict(
        cooperation_qs(user)
        .filter(intention_date__year=year)
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [
        Figure(
            STAGE_LABELS[s],
            counts.get(s.value, 0),
            ledger_url(reached=Stage.INTENTION, year=year, stage=s.value),
        )
        for s in Stage
    ]


@dataclass(frozen=True)
class Coverage:
    """The units in a user's scope, and those with a partner (``cooperation_count > 0``),
    counted by (kind, active, leading, local industry) in one grouped query."""

    units: QuerySet[Unit]
    counts: dict[tuple[str, bool, bool, int | None], tuple[int, int]]

    @classmethod
    def of(cls, user: AnyUser) -> Coverage:
        units = unit_qs(user)
        rows = (
            units.order_by()
            .values_list("kind", "is_active", "is_leading", "local_industry_id")
            .annotate(total=Count("pk"), covered=Count("pk", filter=Q(cooperation_count__gt=0)))
        )
        return cls(units, {(k, a, le, i): (t, c) for k, a, le, i, t, c in rows})

    def row(
        self,
        label: str,
        units: Callable[[], QuerySet[Unit]],
        gap_params: dict[str, str],
        *,
        kinds: Sequence[str],
        active: bool | None = None,
        leading: bool | None = None,
        industry: int | None = None,
    ) -> CoverageRow:
        """The row of the units of ``kinds`` (and the other conditions), which ``units()``
        selects; its gaps are read only when there are some."""
        total = covered = 0
        for (kind, is_active, is_leading, industry_id), (n, c) in self.counts.items():
            if (
                kind in kinds
                and active in (None, is_active)
                and leading in (None, is_leading)
                and industry in (None, industry_id)
            ):
                total += n
                covered += c
        gaps = (
            list(units().filter(cooperation_count=0).order_by("sort_order", "id")[:GAP_NAMES])
            if covered < total
            else []
        )
        return CoverageRow(
            label=label,
            total=total,
            covered=covered,
            gaps=gaps,
            gap_url=units_url(covered="0", **gap_params),
            all_url=units_url(**gap_params),
        )


def horizontal_coverage(
    *,
    user: AnyUser,
    coverage: Coverage | None = None,
    groups: list[tuple[str, list[LocalIndustry]]] | None = None,
) -> list[tuple[str, list[CoverageRow]]]:
    """Per local industry: its leading enterprises with and without a university partner
    (``groups``: the county's industry groups when the caller has read them already)."""
    coverage = coverage or Coverage.of(user)
    leading = coverage.units.filter(kind=UnitKind.ENTERPRISE, is_leading=True)
    if groups is None:
        groups = industry_groups(getattr(user, "unit", None))
    return [
        (
            name,
            [
                coverage.row(
                    industry.name,
                    partial(leading.filter, local_industry=industry),
                    {"industry": industry.code, "leading": "1"},
                    kinds=(UnitKind.ENTERPRISE,),
                    leading=True,
                    industry=industry.pk,
                )
                for industry in industries
            ],
        )
        for name, industries in groups
        if industries
    ]


def vertical_coverage(*, user: AnyUser, coverage: Coverage | None = None) -> list[CoverageRow]:
    """The county, its departments and towns, its villages: with and without partners."""
    coverage = coverage or Coverage.of(user)
    units = coverage.units.filter(is_active=True)
    return [
        coverage.row(
            label,
            partial(units.filter, kind__in=TIER_KINDS[tier]),
            {"tier": tier},
            kinds=TIER_KINDS[tier],
            active=True,
        )
        for tier, label in Tier.choices
    ]


def activity_figures(*, user: AnyUser, year: int | None) -> list[Figure]:
    # Held activities only: a planned delegation counts once it has taken place.
    qs = activity_qs(user).filter(status=ActivityStatus.HELD)
    if year is not None:
        qs = qs.filter(date__year=year)
    counts = dict(qs.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    url = reverse("cooperation:activity_list")
    years = {"year": year} if year else {}
    out = [
        Figure(
            label,
            counts.get(kind, 0),
            f"{url}?{urlencode({'kind': kind, 'timing': ActivityTiming.HELD, **years})}",
        )
        for kind, label in ActivityKind.choices
        if kind in counts
        or kind
        in (ActivityKind.STANDING_COMMITTEE, ActivityKind.DELEGATION, ActivityKind.PROMOTION)
    ]
    secondments = secondment_qs(user)
    if year is not None:
        secondments = secondments.filter(start_date__year=year)
    out.append(Figure("挂职交流", secondments.count(), reverse("cooperation:secondment_list")))
    return out


def latest_year(*, user: AnyUser) -> int | None:
    """The year of the latest intention the user sees."""
    last = (
        cooperation_qs(user)
        .order_by("-intention_date")
        .values_list("intention_date", flat=True)[:1]
    )
    return last[0].year if last else None


def annual_targets(*, unit: Unit, year: int) -> dict[str, AnnualTarget]:
    """The targets a unit in the user's scope has for a year, by kind."""
    return {t.kind: t for t in AnnualTarget.objects.filter(unit=unit, year=year)}


def briefing_templates() -> QuerySet[BriefingTemplate]:
    """The office's briefing templates by name."""
    return BriefingTemplate.objects.order_by("name")


def briefing_template_get(pk: int) -> BriefingTemplate:
    """The briefing template ``pk`` (404 otherwise)."""
    return get_object_or_404(BriefingTemplate, pk=pk)


def frozen_figure(briefing: Briefing, pk: int) -> BriefingFigure | None:
    """The figure ``pk`` frozen in a briefing the caller fetched through ``briefing_get``."""
    return briefing.figures.filter(pk=pk).first()


def default_unit(*, user: AnyUser | None) -> Unit | None:
    """The unit a briefing or the targets are for when none is named: the only county (in
    the user's scope), else the unit whose code ``YANZHEN_DEFAULT_UNIT`` names, else None."""
    units = unit_qs(user) if user is not None else Unit.objects.all()
    counties = list(units.filter(kind=UnitKind.COUNTY, is_active=True).order_by("id")[:2])
    if len(counties) == 1:
        return counties[0]
    code = settings.YANZHEN_DEFAULT_UNIT
    return units.filter(code=code).first() if code else None
