"""The dashboard computed naively, and the comparison of two dashboards' figures.

"Naive" is the obvious implementation without a stored tally: every ledger figure of the
dashboard is one ORM query over the cooperations the user can see (``cooperation_qs``), run
at request time — a COUNT per funnel stage, a COUNT(DISTINCT) for the universities, a
``GROUP BY`` per breakdown and pipeline stage (channel, kind, industry, base, month), a COUNT
per waiting and signing-lag bucket (the very filters the figures' links open), a GROUP BY
for the current stages, one aggregate for the international figures and three queries for
the years: 41 queries, each scanning the visible cooperations. Coverage and activities are
computed exactly as the real dashboard does (they do not read the ledger). The result is a
real :class:`~yanzhen.reports.selectors.Dashboard`, so the page renders it unchanged.

This code shares nothing with ``engines.ledger`` or the tally, so equal figures are a real
check of both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse

from yanzhen.cooperation.models import (
    Base,
    Channel,
    Cooperation,
    CooperationKind,
    CooperationUniversity,
)
from yanzhen.cooperation.selectors import CooperationFilters, apply_filters, cooperation_qs
from yanzhen.core.scope import scope_of
from yanzhen.engines.ledger import LAG_BUCKETS, WAIT_BUCKETS
from yanzhen.engines.stages import STAGE_LABELS, Stage
from yanzhen.reference.models import LocalIndustry
from yanzhen.reports.selectors import (
    TOP_BASES,
    Dashboard,
    Figure,
    Series,
    _series,
    activity_figures,
    horizontal_coverage,
    ledger_url,
    vertical_coverage,
)

if TYPE_CHECKING:
    from yanzhen.core.models import User

PIPELINE = (Stage.INTENTION, Stage.AGREEMENT, Stage.LANDED)


def _reached(qs: QuerySet[Cooperation], stage: Stage, year: int | None) -> QuerySet[Cooperation]:
    qs = qs.filter(**{f"{stage}_date__isnull": False})
    if year is not None:
        qs = qs.filter(**{f"{stage}_date__year": year})
    return qs


def _by(qs: QuerySet[Cooperation], expression: Any, year: int | None) -> dict[str, dict[str, int]]:
    """``{key: {stage: n}}``: one GROUP BY per pipeline stage."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for stage in PIPELINE:
        rows = (
            _reached(qs, stage, year)
            .order_by()
            .values(k=expression(stage))
            .annotate(n=Count("pk"))
            .values_list("k", "n")
        )
        for key, n in rows:
            out["" if key is None else str(key)][stage.value] = n
    return dict(out)


def _month(stage: Stage) -> Any:
    return TruncMonth(f"{stage}_date")


def naive_dashboard(*, user: User, year: int | None, today: dt.date) -> Dashboard:
    qs = cooperation_qs(user)
    intentions = _reached(qs, Stage.INTENTION, year)
    n_intentions = intentions.count()
    n_agreements = _reached(qs, Stage.AGREEMENT, year).count()
    landed = _reached(qs, Stage.LANDED, year)
    n_landed = landed.count()
    universities = (
        CooperationUniversity.objects.filter(cooperation__in=intentions)
        .values("university_id")
        .distinct()
        .count()
    )
    dropped = qs.filter(stage=Stage.DROPPED, dropped_date__isnull=False)
    if year is not None:
        dropped = dropped.filter(dropped_date__year=year)
    landed_investment = landed.aggregate(s=Sum("landed_investment"))["s"] or Decimal(0)
    figures = [
        Figure("合作意向", n_intentions, ledger_url(reached=Stage.INTENTION, year=year)),
        Figure("签约协议", n_agreements, ledger_url(reached=Stage.AGREEMENT, year=year)),
        Figure("落地项目", n_landed, ledger_url(reached=Stage.LANDED, year=year)),
        Figure("合作高校（院所）", universities, reverse("cooperation:partner_list")),
        Figure("终止", dropped.count(), ledger_url(stage=Stage.DROPPED, year=year)),
        Figure(
            "落地投资（万元）",
            Decimal(landed_investment).quantize(Decimal("0.01")),
            ledger_url(reached=Stage.LANDED, year=year),
        ),
    ]

    industries = [(i.code, i.name) for i in LocalIndustry.objects.all()] + [("", "未归类")]
    bases = _by(qs, lambda s: F("base_id"), year)
    everything = scope_of(user).everything
    ranked = sorted(
        (k for k in bases if not everything or bases[k].get(Stage.INTENTION, 0) > 0),
        key=lambda k: (-bases[k].get(Stage.INTENTION, 0), k),
    )[:TOP_BASES]
    base_rows = {k: bases[k] for k in ranked}
    names = dict(
        Base.objects.filter(pk__in=[int(k) for k in base_rows if k]).values_list("pk", "name")
    )
    months = {
        f"{k[:7]}": v
        for k, v in _by(qs, _month, year).items()  # "YYYY-MM-DD…" → "YYYY-MM"
    }
    series = [
        _series("按对接渠道", "channel", _by(qs, lambda s: F("channel"), year), Channel.choices,
                year=year, param="channel"),
        _series("按合作类型", "kind", _by(qs, lambda s: F("kind"), year), CooperationKind.choices,
                year=year, param="kind"),
        _series("按本地产业", "industry", _by(qs, lambda s: F("local_industry__code"), year),
                industries, year=year, param="industry"),
        _series("按合作基地", "base", base_rows,
                [(k, names.get(int(k), k) if k else "不属于基地") for k in base_rows],
                year=year, param="base"),
        _series("按月份", "month", months, [(m, m) for m in sorted(months)], year=None,
                param="month"),
    ]  # fmt: skip

    waiting = []
    for stage in (Stage.INTENTION, Stage.AGREEMENT):
        buckets = []
        for key, _, _ in WAIT_BUCKETS:
            n = apply_filters(qs, CooperationFilters(stage=stage, waiting=key), today=today)
            buckets.append(Figure(f"{key}个月", n.count(), ledger_url(stage=stage, waiting=key)))
        waiting.append({"stage": STAGE_LABELS[stage], "buckets": buckets})
    sign_lag = [
        Figure(
            f"{key}天",
            apply_filters(
                qs, CooperationFilters(reached=Stage.AGREEMENT, year=year, lag=key), today=today
            ).count(),
            ledger_url(reached=Stage.AGREEMENT, year=year, lag=key),
        )
        for key, _, _ in LAG_BUCKETS
    ]
    stages = dict(qs.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    current = [Figure(STAGE_LABELS[s], stages.get(s.value, 0), ledger_url(stage=s)) for s in Stage]
    international = intentions.filter(kind=CooperationKind.INTERNATIONAL).aggregate(
        n=Count("pk"), p=Sum("participants")
    )
    url = ledger_url(kind=CooperationKind.INTERNATIONAL, reached=Stage.INTENTION, year=year)
    years: set[int] = set()
    for stage in PIPELINE:
        years.update(d.year for d in qs.dates(f"{stage}_date", "year"))
    return Dashboard(
        year=year,
        years=sorted(years, reverse=True),
        figures=figures,
        series=series,
        waiting=waiting,
        sign_lag=sign_lag,
        current=current,
        horizontal=horizontal_coverage(user=user),
        vertical=vertical_coverage(user=user),
        international=[
            Figure("国际合作", international["n"], url),
            Figure("参与学生（人）", international["p"] or 0, url),
        ],
        activities=activity_figures(user=user, year=year),
    )


def canonical(board: Dashboard) -> dict[str, Any]:
    """The ledger figures of a dashboard, in a form two implementations can be compared by."""

    def series(s: Series) -> list[tuple[str, dict[str, int]]]:
        return [
            (category, {stage: s.counts[stage][i] for stage in s.counts})
            for i, category in enumerate(s.categories)
        ]

    return {
        "years": board.years,
        "figures": {f.label: f.value for f in board.figures},
        "series": {s.title: series(s) for s in board.series},
        "waiting": {
            row["stage"]: {f.label: f.value for f in row["buckets"]} for row in board.waiting
        },
        "sign_lag": {f.label: f.value for f in board.sign_lag},
        "current": {f.label: f.value for f in board.current},
        "international": {f.label: f.value for f in board.international},
    }


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Human-readable differences between two ``canonical`` dashboards (empty when equal)."""
    return [
        f"{key}: ours={ours.get(key)!r}\n      naive={theirs.get(key)!r}"
        for key in sorted(ours.keys() | theirs.keys())
        if ours.get(key) != theirs.get(key)
    ]


__all__ = ["canonical", "differences", "naive_dashboard"]
