"""A small county for the reporting tests: the office, a department, two towns (the first
with a village) and a street, a user of each with the demo's permissions, and a task form
with a field of every type. Time frozen at 2021-12-20 10:00 in Yongji."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client

from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.demo.reporting import PERMISSIONS

NOW = dt.datetime(2021, 12, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DEADLINE = "2021-12-31"

FIELDS: list[dict[str, Any]] = [
    {
        "key": "intentions",
        "label": "新增合作意向",
        "type": "integer",
        "required": True,
        "min": 0,
        "max": 100,
        "unit": "项",
    },
    {
        "key": "investment",
        "label": "落地投资额",
        "type": "decimal",
        "min": 0,
        "max": 100000,
        "unit": "万元",
    },
    {"key": "note", "label": "工作亮点", "type": "text"},
    {"key": "visited", "label": "对接日期", "type": "date"},
    {"key": "kind", "label": "合作类型", "type": "choice", "choices": ["科研", "人才"]},
    {
        "key": "channels",
        "label": "合作渠道",
        "type": "multichoice",
        "choices": ["邀", "找", "引", "聚"],
    },
    {"key": "proof", "label": "佐证材料", "type": "file"},
    {
        "key": "projects",
        "label": "重点项目",
        "type": "table",
        "columns": [
            {"key": "name", "label": "项目名称", "type": "text", "required": True},
            {"key": "stage", "label": "阶段", "type": "choice", "choices": ["签约", "落地"]},
            {"key": "amount", "label": "投资额", "type": "decimal", "min": 0},
        ],
    },
]


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    county: Unit
    office: Unit
    dept: Unit
    town1: Unit
    village: Unit
    town2: Unit
    street: Unit
    users: dict[str, User]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


@pytest.fixture
def world(db: None, make_user: Callable[..., User]) -> World:
    def unit(name: str, kind: str, parent: Unit | None, order: int = 0) -> Unit:
        return unit_create(actor=None, parent=parent, name=name, kind=kind, sort_order=order)

    county = unit("测试县", UnitKind.COUNTY, None)
    office = unit("合作办", UnitKind.DEPARTMENT, county, 1)
    dept = unit("科技局", UnitKind.DEPARTMENT, county, 2)
    town1 = unit("甲镇", UnitKind.TOWN, county, 10)
    village = unit("甲村", UnitKind.VILLAGE, town1, 11)
    town2 = unit("乙镇", UnitKind.TOWN, county, 20)
    street = unit("丙街道", UnitKind.STREET, county, 30)
    below = DataScope.UNIT_AND_BELOW
    users = {
        "office": make_user(office, DataScope.ALL, PERMISSIONS["office"]),
        "office2": make_user(office, DataScope.ALL, PERMISSIONS["office"]),
        "leader": make_user(county, DataScope.ALL, PERMISSIONS["leader"]),
        "dept": make_user(dept, below, PERMISSIONS["base_lead"]),
        "town1": make_user(town1, below, PERMISSIONS["town"]),
        "town2": make_user(town2, below, PERMISSIONS["town"]),
        "street": make_user(street, below, PERMISSIONS["town"]),
        "village": make_user(village, DataScope.UNIT, PERMISSIONS["base_lead"]),
    }
    return World(county, office, dept, town1, village, town2, street, users)


def post(client: Client, path: str, body: object) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def put(client: Client, path: str, body: object) -> Any:
    return client.put(path, json.dumps(body), content_type="application/json")


def create_task(
    world: World,
    targets: dict[str, object] | None = None,
    fields: list[dict[str, Any]] | None = None,
) -> int:
    response = post(
        world.client("office"),
        "/api/v1/reporting/tasks",
        {
            "title": "四季度数据填报",
            "deadline": DEADLINE,
            "fields": fields or FIELDS,
            "targets": targets or {"unit_kinds": ["town", "street"]},
        },
    )
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def submission_of(task_id: int, unit: Unit) -> int:
    from yanzhen.reporting.models import Submission

    return Submission.objects.get(task_id=task_id, unit=unit).pk
