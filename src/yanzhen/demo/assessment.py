"""The Yongji demo's assessment: the default indicator system (3 dimensions, 10 indicators)
applied to the twelve bases, four quarterly assessments of 2021 and the annual one, each
computed from the records, reviewed and published.

Every figure, the talent ones included, is computed from the demo's records by the apps'
indicator sources (the loader loads the talent part first); a period with a figure that is not
available stays in review for the office instead of being published.
Idempotent: nothing is added when the system exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from yanzhen.assessment import services
from yanzhen.assessment.models import Indicator, IndicatorSystem, PeriodKind
from yanzhen.cooperation.models import Base
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.demo.shared import DemoResult, grant

SYSTEM_NAME = "省校合作量化考核指标体系"
UNIT_SYSTEM_NAME = "部门和镇（街道）省校合作考核"
YEAR = 2021

PERMISSIONS: dict[str, list[str]] = {
    "office": [
        *(
            f"assessment.{action}_{model}"
            for model in ("indicatorsystem", "period", "score", "entry")
            for action in ("view", "add", "change", "delete")
        ),
        "assessment.compute_period",
        "assessment.publish_period",
        "assessment.correct_entry",
        "assessment.review_entry",
        "assessment.decide_appeal",
    ],
    "leader": [
        "assessment.view_indicatorsystem",
        "assessment.view_period",
        "assessment.view_score",
    ],
    "base_lead": [
        "assessment.view_indicatorsystem",
        "assessment.view_period",
        "assessment.view_score",
        "assessment.add_entry",
        "assessment.add_appeal",
    ],
    "town": ["assessment.view_period", "assessment.view_score", "assessment.add_appeal"],
}

# Targets of their own for the bases whose scale differs from the default's.
TARGETS: dict[str, dict[str, int]] = {
    "YJ-B01": {"intentions": 15, "agreements": 10, "landed": 8, "investment": 10000},
    "YJ-B10": {"intentions": 20, "agreements": 12, "landed": 8, "investment": 500},
    "YJ-B11": {"talents": 25, "interns": 10},
}


def periods() -> list[tuple[str, str, dt.date, dt.date]]:
    """The four quarters of the year, then the year."""
    out: list[tuple[str, str, dt.date, dt.date]] = []
    for quarter in range(1, 5):
        start = dt.date(YEAR, 3 * quarter - 2, 1)
        end = (dt.date(YEAR, 3 * quarter, 1) + dt.timedelta(days=31)).replace(day=1)
        names = "一二三四"
        out.append(
            (f"{YEAR}年第{names[quarter - 1]}季度", PeriodKind.QUARTER, start,
             end - dt.timedelta(days=1))
        )  # fmt: skip
    out.append((f"{YEAR}年度", PeriodKind.YEAR, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)))
    return out


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    county = Unit.objects.filter(name="永济市", kind=UnitKind.COUNTY).first()
    if county is None or IndicatorSystem.objects.filter(name=SYSTEM_NAME).exists():
        return
    office = User.objects.filter(username="office").first()
    bases = list(Base.objects.order_by("sort_order", "id"))
    system = services.system_create_default(actor=None, owner_unit=county, name=SYSTEM_NAME)
    result.add("indicator systems")
    indicators = {i.code: i for i in Indicator.objects.filter(system=system)}
    by_code = {b.code: b for b in bases}
    for base_code, targets in TARGETS.items():
        if base_code not in by_code:
            continue
        for code, value in targets.items():
            services.targets_set(
                actor=None,
                indicator=indicators[code],
                values={("base", by_code[base_code].pk): Decimal(value)},
            )
    for name, kind, start, end in periods():
        period = services.period_create(
            actor=None, system=system, name=name, kind=kind, start=start, end=end
        )
        services.period_compute(actor=None, period=period)
        if office is not None:
            services.entries_review_all(actor=office, period=period)
        if not services.publish_blockers(period):
            services.period_publish(actor=None, period=period)
        result.add("assessment periods")
    _units(result, county, office)


def _units(result: DemoResult, county: Unit, office: User | None) -> None:
    """The same indicators applied to the departments, the zone and the towns (streets) for
    2021: published when every figure is available, else left in review for the office."""
    system = services.system_create_default(
        actor=None, owner_unit=county, name=UNIT_SYSTEM_NAME, subject_kind="unit"
    )
    result.add("indicator systems")
    period = services.period_create(
        actor=None,
        system=system,
        name=f"{YEAR}年度",
        kind=PeriodKind.YEAR,
        start=dt.date(YEAR, 1, 1),
        end=dt.date(YEAR, 12, 31),
    )
    services.period_compute(actor=None, period=period)
    result.add("assessment periods")
    if not services.publish_blockers(period):
        services.period_publish(actor=None, period=period)
