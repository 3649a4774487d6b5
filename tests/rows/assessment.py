"""N rows of each list of the assessment app (see tests/rows/__init__.py), in the scope of a
user of ``unit``: each row with a system, an owner unit or a base of its own, so that a list
reading anything per row shows it in its query count."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from tests.rows import RowFactory
from yanzhen.assessment import services
from yanzhen.assessment.models import (
    Appeal,
    IndicatorSystem,
    Period,
    PeriodState,
    Score,
    ScoreItem,
)
from yanzhen.cooperation.models import Base
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.services import unit_create

D = dt.date
_serial = itertools.count(1)


def _unit(parent: Unit) -> Unit:
    return unit_create(
        actor=None, parent=parent, name=f"考核单位{next(_serial)}", kind=UnitKind.DEPARTMENT
    )


def _system(unit: Unit) -> IndicatorSystem:
    system = services.system_create(
        actor=None, owner_unit=_unit(unit), name=f"指标体系{next(_serial)}"
    )
    dimension = services.dimension_create(actor=None, system=system, name="成效")
    services.indicator_create(
        actor=None, system=system, dimension=dimension, code="rate", name="按时率",
        weight=Decimal(10), source="manual",
    )  # fmt: skip
    return system


def systems(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _system(unit)
    return {}


def periods(n: int, unit: Unit) -> dict[str, str]:
    for index in range(n):
        period = services.period_create(
            actor=None,
            system=_system(unit),
            name="2021年度",
            kind="year",
            start=D(2021, 1, 1),
            end=D(2021, 12, 31),
        )
        if index % 2:
            Period.objects.filter(pk=period.pk).update(
                state=PeriodState.PUBLISHED, published_at=dt.datetime(2022, 1, 5, tzinfo=dt.UTC)
            )
    return {}


def trend(n: int, unit: Unit) -> dict[str, str]:
    """The published quarters of one system, and ``n`` more bases scored in each."""
    system = IndicatorSystem.objects.filter(name="趋势体系").first()
    if system is None:
        system = services.system_create(actor=None, owner_unit=unit, name="趋势体系")
        for quarter in range(4):
            Period.objects.create(
                system=system,
                name=f"2021年第{quarter + 1}季度",
                kind="quarter",
                start=D(2021, 3 * quarter + 1, 1),
                end=D(2021, 3 * quarter + 3, 28),
                state=PeriodState.PUBLISHED,
            )
    quarters = list(system.periods.all())
    for _ in range(n):
        k = next(_serial)
        base = Base.objects.create(
            code=f"T{k}", name=f"基地{k}", county=unit, lead_department=_unit(unit), sort_order=k
        )
        for rank, period in enumerate(quarters, start=1):
            Score.objects.create(
                period=period, base=base, name=base.name, total=Decimal(80), rank=rank, sort_order=k
            )
    return {"system": str(system.pk), "kind": "quarter"}


def appeals(n: int, unit: Unit) -> dict[str, str]:
    """``n`` appeals, each about a hand score of a period, a subject and a unit of its own."""
    for _ in range(n):
        subject = _unit(unit)
        period = Period.objects.create(
            system=_system(unit), name="2021年度", kind="year", start=D(2021, 1, 1),
            end=D(2021, 12, 31), state=PeriodState.PUBLISHED,
            published_at=dt.datetime(2021, 12, 18, tzinfo=dt.UTC),
        )  # fmt: skip
        score = Score.objects.create(period=period, unit=subject, name=subject.name)
        item = ScoreItem.objects.create(
            score=score, code="rate", name="按时率", dimension="成效", manual=True,
            value=Decimal(6), status="manual",
        )  # fmt: skip
        Appeal.objects.create(item=item, unit=subject, reason="评分偏低", original=Decimal(6))
    return {}


ROWS: dict[str, RowFactory] = {
    "assessment:appeal_list": appeals,
    "api:list_assessment_appeals": appeals,
    "assessment:period_list": periods,
    "assessment:system_list": systems,
    "assessment:trend": trend,
    "api:list_assessment_periods": periods,
}
