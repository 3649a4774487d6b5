"""The JSON API of the ledger: same rules, same scope, one error envelope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.audit.models import SecurityEvent
from yanzhen.cooperation.models import Cooperation, CooperationTally
from yanzhen.core.models import Unit
from yanzhen.reference.models import University

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def body(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "永磁电机联合研发",
        "owner_unit_id": Unit.objects.get(name="永济市省校合作办公室").pk,
        "party_ids": [Unit.objects.get(name="中车永济电机有限公司").pk],
        "university_ids": [University.objects.get(name="西安交通大学").pk],
        "channel": "find",
        "kind": "research",
        "intention_date": "2026-06-01",
        "planned_investment": "1200.50",
    }
    values.update(overrides)
    return values


def test_the_list_is_filtered_paginated_and_scoped(demo_db: Demo) -> None:
    url = reverse("api:list_cooperations")
    office = demo_db.client("office").get(url, {"reached": "landed", "page_size": "10"}).json()
    assert (office["count"], office["page"], office["page_size"], len(office["items"])) == (
        63,
        1,
        10,
        10,
    )
    town = demo_db.client("town").get(url).json()
    assert town["count"] == 9
    enterprise = demo_db.client("enterprise").get(url, {"q": "西安交通大学"}).json()
    titles = [c["title"] for c in enterprise["items"]]
    assert enterprise["count"] == len(titles)
    assert "牵引电机控制技术联合研发" in titles
    assert all(
        "西安交通大学" in [u["name"] for u in c["universities"]] for c in enterprise["items"]
    )


def test_it_creates_updates_and_moves_with_the_services_rules(demo_db: Demo) -> None:
    client = demo_db.client("office")
    response = client.post(
        reverse("api:list_cooperations"), body(), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["code"], created["stage"], created["planned_investment"]) == (
        "HZ2026000001",
        "intention",
        "1200.50",
    )
    assert [u["name"] for u in created["universities"]] == ["西安交通大学"]
    url = reverse("api:get_cooperation", kwargs={"cooperation_id": created["id"]})
    update = body(title="永磁同步电机联合研发", channel="invite", version=created["version"])
    response = client.put(url, update, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["channel"], response.json()["version"]) == (
        "永磁同步电机联合研发",
        "invite",
        2,
    )
    # A second editor still on version 1 gets a conflict, and nothing is lost.
    stale = client.put(url, body(title="另一个名字", version=1), content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert Cooperation.objects.get(pk=created["id"]).title == "永磁同步电机联合研发"
    assert list(SecurityEvent.objects.filter(kind="version_conflict").values_list("detail")) == [
        ({"model": "cooperation.cooperation", "id": created["id"], "expected": 1, "current": 2},)
    ]
    move = reverse("api:move_cooperation", kwargs={"cooperation_id": created["id"]})
    response = client.post(
        move, {"target": "landed", "date": "2026-07-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_stage",
            "message": "未签约的合作不能直接落地：请先登记签约（协议）日期",
            "fields": {"target": "未签约的合作不能直接落地：请先登记签约（协议）日期"},
        }
    }
    response = client.post(
        move, {"target": "agreement", "date": "2026-07-01"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["agreement_date"]) == (
        "agreement",
        "2026-07-01",
    )
    assert (
        CooperationTally.objects.get(dimension="total", key="", stage="agreement", year=2026).count
        == 1
    )


def test_validation_errors_name_the_fields_in_chinese(demo_db: Demo) -> None:
    client = demo_db.client("office")
    count = Cooperation.objects.count()
    response = client.post(
        reverse("api:list_cooperations"),
        body(channel="phone", extra="x", intention_date="2026-02-30"),
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "channel": "取值不在允许范围内",
        "intention_date": "应为日期（YYYY-MM-DD）",
        "extra": "不允许的字段",
    }
    response = client.post(
        reverse("api:list_cooperations"),
        body(stage="landed", landed_date="2026-05-01", party_ids=[999999]),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "party_ids": "本地合作方不存在或不在您的数据范围内：999999"
    }
    response = client.post(
        reverse("api:list_cooperations"),
        body(stage="landed", landed_date="2026-07-01"),
        content_type="application/json",
    )
    assert response.json()["error"]["fields"] == {
        "agreement_date": "阶段为“落地”时必须填写签约日期"
    }
    assert Cooperation.objects.count() == count


def test_a_town_cannot_file_for_another_unit(demo_db: Demo) -> None:
    response = demo_db.client("town").post(
        reverse("api:list_cooperations"), body(), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "owner_unit_id": "登记单位不存在或不在您的数据范围内",
        "party_ids": f"本地合作方不存在或不在您的数据范围内：{Unit.objects.get(name='中车永济电机有限公司').pk}",
    }


def test_the_leader_reads_but_cannot_write(demo_db: Demo) -> None:
    client = demo_db.client("leader")
    response = client.post(
        reverse("api:list_cooperations"), body(), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert client.get(reverse("api:list_bases")).status_code == 200


def test_bases_carry_their_four_ones_and_figures(demo_db: Demo) -> None:
    bases = demo_db.client("office").get(reverse("api:list_bases")).json()
    assert len(bases) == 12
    first = bases[0]
    assert (first["name"], first["lead_department"]["name"], len(first["members"])) == (
        "轨道交通与电机电器产学研基地",
        "永济市工业和信息化局",
        3,
    )
    assert sum(b["intentions"] for b in bases) == 116
    assert Cooperation.objects.filter(base__isnull=True, approved=True).count() == 4
    assert [b["code"] for b in demo_db.client("base").get(reverse("api:list_bases")).json()] == [
        "YJ-B01",
        "YJ-B02",
    ]


def test_universities_search_by_pinyin_initials_and_alias(demo_db: Demo) -> None:
    client = demo_db.client("enterprise")
    found = client.get(reverse("api:list_universities"), {"q": "zbdx"}).json()
    assert found["items"][0]["name"] == "中北大学"
    found = client.get(reverse("api:list_universities"), {"q": "西交大"}).json()
    assert [u["name"] for u in found["items"]] == ["西安交通大学"]


def test_the_openapi_schema_is_published(demo_db: Demo) -> None:
    schema = demo_db.client("office").get(reverse("api:openapi-json")).json()
    assert schema["info"]["title"] == "雁阵 API"
    assert {"/api/v1/cooperations", "/api/v1/cooperations/{cooperation_id}/stage", "/api/v1/units",
            "/api/v1/universities", "/api/v1/bases", "/api/v1/dashboard"} <= set(schema["paths"])  # fmt: skip
