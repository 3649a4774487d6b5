"""A small county for the assessment tests: three bases, the office, a lead department, and
fake indicator sources registered next to the apps' real ones (the talent app's sources may
or may not exist: the tests never depend on them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client

from yanzhen.assessment import sources
from yanzhen.cooperation.models import Base
from yanzhen.core.indicators import IndicatorSource, Subject
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.demo.assessment import PERMISSIONS

D = dt.date


@dataclass
class FakeData:
    """Values the fake sources return, per code and subject; and the periods asked for."""

    values: dict[str, dict[Subject, Decimal]] = field(default_factory=dict)
    calls: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)

    def source(
        self, code: str, label: str, measure: str = "项", subjects: Sequence[str] = ("base",)
    ) -> IndicatorSource:
        def compute(
            asked: Sequence[Subject], start: dt.date, end: dt.date
        ) -> dict[Subject, Decimal]:
            self.calls.append((code, start, end))
            return {s: self.values[code][s] for s in asked if s in self.values.get(code, {})}

        return IndicatorSource(
            code=code,
            label=label,
            measure=measure,
            subjects=frozenset(subjects),  # type: ignore[arg-type]
            compute=compute,
            records_url=lambda s, start, end: f"/records/{code}/{s[0]}-{s[1]}/{start}/{end}",
        )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeData:
    data = FakeData()
    real = sources.all_sources

    def with_fakes() -> sources.Registry:
        registry = real()
        for source in (
            data.source("fake.count", "签约数"),
            data.source("fake.rate", "按时率", "%"),
            data.source("fake.units", "单位数", subjects=("unit",)),
        ):
            registry.sources[source.code] = source
        return registry

    monkeypatch.setattr(sources, "all_sources", with_fakes)
    return data


@dataclass
class County:
    county: Unit
    office: Unit
    lead: Unit
    other: Unit
    bases: list[Base]
    office_user: User
    reviewer: User
    lead_user: User
    viewer: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def subject(self, index: int) -> Subject:
        return ("base", self.bases[index].pk)


@pytest.fixture
def place(county: Unit, make_user: Callable[..., User]) -> County:
    office = unit_create(actor=None, parent=county, name="合作办", kind=UnitKind.DEPARTMENT)
    lead = unit_create(actor=None, parent=county, name="工信局", kind=UnitKind.DEPARTMENT)
    other = unit_create(actor=None, parent=county, name="农业局", kind=UnitKind.DEPARTMENT)
    unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    bases = [
        Base.objects.create(
            code=f"B{n}", name=name, county=county, lead_department=dept, sort_order=n
        )
        for n, (name, dept) in enumerate(
            (("电机基地", lead), ("化工基地", lead), ("农业基地", other)), start=1
        )
    ]
    extra = ["cooperation.view_base", "supervision.view_milestone"]
    office_user = make_user(office, DataScope.ALL, PERMISSIONS["office"] + extra)
    reviewer = make_user(office, DataScope.ALL, PERMISSIONS["office"] + extra)
    lead_user = make_user(lead, DataScope.UNIT_AND_BELOW, PERMISSIONS["base_lead"] + extra)
    viewer = make_user(county, DataScope.ALL, PERMISSIONS["leader"] + extra)
    return County(county, office, lead, other, bases, office_user, reviewer, lead_user, viewer)
