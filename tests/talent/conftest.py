"""A small county for the talent services: units, universities, people, the catalogue."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from yanzhen.benefits import services as benefit_services
from yanzhen.benefits.models import Benefit
from yanzhen.core.models import Person, Unit, UnitKind, User
from yanzhen.core.services import person_create, unit_create
from yanzhen.engines.idcard import check_digit
from yanzhen.placement.models import Assignment, Programme
from yanzhen.reference.models import University
from yanzhen.talent import services
from yanzhen.talent.models import Talent

D = dt.date
BORN = D(1996, 5, 4)
MARCH_15 = D(2021, 3, 15)
_serial = itertools.count(1)


def id_number(birth: dt.date = BORN) -> str:
    first17 = f"140881{birth:%Y%m%d}{next(_serial) % 1000:03d}"
    return first17 + check_digit(first17)


@dataclass
class World:
    county: Unit
    office: Unit
    hrss: Unit
    town: Unit
    village: Unit
    firm: Unit
    other_firm: Unit
    hospital: Unit
    xjtu: University
    nwpu: University

    def person(self, name: str, unit: Unit | None = None, degree: str = "master") -> Person:
        return person_create(
            actor=None,
            name=name,
            id_number=id_number(),
            mobile="13912345678",
            degree=degree,
            unit=unit or self.firm,
        )

    def talent(
        self,
        name: str,
        *,
        unit: Unit | None = None,
        talent_type: str = "full_time",
        degree: str = "master",
        start: dt.date = MARCH_15,
        end: dt.date | None = None,
        channel: str = "campus",
    ) -> Talent:
        employer = unit or self.firm
        return services.talent_create(
            actor=None,
            person=self.person(name, employer, degree),
            talent_type=talent_type,
            degree=degree,
            university=self.xjtu,
            employer=employer,
            channel=channel,
            start_date=start,
            end_date=end,
        )


@pytest.fixture
def world(county: Unit) -> World:
    def unit(name: str, kind: str, parent: Unit) -> Unit:
        return unit_create(actor=None, parent=parent, name=name, kind=kind)

    town = unit("甲镇", UnitKind.TOWN, county)
    return World(
        county=county,
        office=unit("人才办", UnitKind.DEPARTMENT, county),
        hrss=unit("人社局", UnitKind.DEPARTMENT, county),
        town=town,
        village=unit("甲村", UnitKind.VILLAGE, town),
        firm=unit("甲公司", UnitKind.ENTERPRISE, town),
        other_firm=unit("乙公司", UnitKind.ENTERPRISE, county),
        hospital=unit("市医院", UnitKind.HOSPITAL, county),
        xjtu=University.objects.create(name="西安交通大学", code="4161010698"),
        nwpu=University.objects.create(name="西北工业大学", code="4161010699"),
    )


def benefit(world: World, code: str, kind: str, **fields: Any) -> Benefit:
    values: dict[str, Any] = {
        "name": code,
        "owner_unit": world.office,
        "paying_unit": world.hrss,
        "monthly_amount": Decimal(0),
        "amount": Decimal(0),
        "duration_months": None,
        "interval_months": None,
        "annual_budget": Decimal(0),
    }
    values.update(fields)
    return benefit_services.benefit_create(actor=None, code=code, kind=kind, **values)


@pytest.fixture
def frozen() -> Iterator[None]:
    """Freeze time at 2021-12-20 10:00 in Yongji."""
    with time_machine.travel(dt.datetime(2021, 12, 20, 2, tzinfo=dt.UTC), tick=False):
        yield


UserMaker = Callable[..., User]


def placed_in(programme: Programme) -> dict[str, str | None]:
    """Each applicant's code → the name of the unit they are placed at (None: unplaced)."""
    return {
        a.applicant.code: (a.host.unit.name if a.host else None)
        for a in Assignment.objects.filter(applicant__programme=programme).select_related(
            "applicant", "host__unit"
        )
    }
