"""A small county for the supervision tests: the office, a base with its lead department and
leader, another department, a town; users of each, time frozen at 2021-06-10 10:00."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from yanzhen.cooperation.models import Base
from yanzhen.core.models import DataScope, Person, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.demo.supervision import PERMISSIONS
from yanzhen.supervision.models import Milestone

NOW = dt.datetime(2021, 6, 10, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
MILESTONE_PERMS = [
    f"supervision.{a}_{m}" for m in ("milestone", "workplan") for a in ("view", "add", "change")
]


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    county: Unit
    office: Unit
    lead: Unit
    other: Unit
    town: Unit
    base: Base
    leader: Person
    office_user: User
    lead_user: User
    other_user: User
    leader_user: User
    milestones: list[Milestone]

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def world(county: Unit, make_user: Callable[..., User]) -> World:
    return build_world(county, make_user)


def build_world(county: Unit, make_user: Callable[..., User]) -> World:
    """The small county (for the tests of other folders that need it too)."""
    office = unit_create(actor=None, parent=county, name="合作办", kind=UnitKind.DEPARTMENT)
    lead = unit_create(actor=None, parent=county, name="工信局", kind=UnitKind.DEPARTMENT)
    other = unit_create(actor=None, parent=county, name="科技局", kind=UnitKind.DEPARTMENT)
    town = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    leader = Person.objects.create(name="王副县长", unit=county, position="副县长")
    base = Base.objects.create(
        code="B1", name="电机基地", county=county, lead_department=lead, leader=leader
    )
    office_user = make_user(
        office, DataScope.ALL, PERMISSIONS["office"] + MILESTONE_PERMS + ["cooperation.view_base"]
    )
    lead_user = make_user(
        lead, DataScope.UNIT_AND_BELOW, PERMISSIONS["base_lead"] + MILESTONE_PERMS
    )
    other_user = make_user(other, DataScope.UNIT_AND_BELOW, PERMISSIONS["base_lead"])
    leader_user = make_user(county, DataScope.ALL, PERMISSIONS["leader"] + MILESTONE_PERMS[:1])
    leader_user.person = leader
    leader_user.save()
    milestones = [
        Milestone.objects.create(
            base=base, title=title, owner_unit=lead, due_date=due, sort_order=n
        )
        for n, (title, due) in enumerate(
            (("组建专班", dt.date(2021, 3, 31)), ("签订协议", dt.date(2021, 9, 30)))
        )
    ]
    return World(county, office, lead, other, town, base, leader, office_user, lead_user,
                 other_user, leader_user, milestones)  # fmt: skip
