"""The landed projects' yearly follow-ups: the demo's two of 2021 with their totals (page,
export, API, the year overview's figures), a lower unit's entry reviewed by the office, the
checks of what is entered (nothing saved when wrong) and the data scope."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Demo
from yanzhen.cooperation.followup_selectors import followup_qs
from yanzhen.cooperation.models import Cooperation, FollowUp
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core import workflow
from yanzhen.core.models import ApprovalRequest, DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.engines.stages import Stage

LIST = "/cooperation/follow-ups/"
API = "/api/v1/follow-ups"
FIRST, SECOND = "牵引电机控制技术联合研发", "轨道交通智能监控终端研制"


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2022, 3, 1, 2, tzinfo=dt.UTC), tick=False):
        yield


def _town_landed(user: User) -> Cooperation:
    """A landed cooperation the town's clerk sees, without a follow-up."""
    found = (
        cooperation_qs(user)
        .filter(stage=Stage.LANDED, landed_date__year__lte=2021, follow_ups__isnull=True)
        .order_by("pk")
        .first()
    )
    assert found is not None
    return found


def test_the_demo_follow_ups_their_totals_export_and_api(demo_db: Demo) -> None:
    assert reverse("cooperation:followup_list") == LIST
    client = demo_db.client("office")
    html = client.get(LIST, {"year": "2021"}).content.decode()
    assert FIRST in html
    assert SECOND in html
    assert "共 2 条" in html
    totals = html[html.index('id="totals"') :]
    assert "<td>2021</td><td>2</td><td>5050.50</td><td>73</td><td>9</td><td>307.10</td>" in totals
    assert "共 0 条" in client.get(LIST, {"year": "2020"}).content.decode()
    export = client.get(LIST, {"year": "2021", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][1:9] == ["合作项目", "登记单位", "年度", "产值（万元）", "带动就业（人）", "专利（件）", "税收（万元）", "审核"]  # fmt: skip
    assert sorted((r[1], r[3], Decimal(str(r[4])), r[5], r[6], Decimal(str(r[7])), r[8]) for r in rows[1:]) == [
        (FIRST, 2021, Decimal("3200.5"), 45, 6, Decimal("210.3"), "已采用"),
        (SECOND, 2021, Decimal("1850"), 28, 3, Decimal("96.8"), "已采用"),
    ]  # fmt: skip
    body = client.get(API, {"year": "2021"}).json()
    assert body["count"] == 2
    item = next(i for i in body["items"] if i["cooperation"] == FIRST)
    assert {k: item[k] for k in ("year", "output_value", "jobs", "patents", "tax", "review")} == {
        "year": 2021,
        "output_value": "3200.50",
        "jobs": 45,
        "patents": 6,
        "tax": "210.30",
        "review": "accepted",
    }
    assert client.get(API, {"year": "1800"}).status_code == 422
    schema = client.get("/api/v1/openapi.json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/follow-ups"])


def test_the_year_overview_shows_the_follow_ups_figures(demo_db: Demo) -> None:
    html = (
        demo_db.client("office").get(reverse("reports:overview"), {"year": "2021"}).content.decode()
    )
    for name, value in (
        ("落地项目产值", "5,050.5"),
        ("落地项目带动就业", "73"),
        ("落地项目专利数", "9"),
        ("落地项目税收", "307.1"),
    ):
        row = html[html.index(f'<tr data-figure="{name}">') :]
        assert f"<strong>{value}</strong>" in row[: row.index("</tr>")], name


def test_a_lower_unit_s_follow_up_counts_once_the_office_accepts_it(demo_db: Demo) -> None:
    town = demo_db.users["town"]
    cooperation = _town_landed(town)
    client = demo_db.client("town")
    data = {"cooperation": str(cooperation.pk), "year": "2021", "output_value": "100.25", "jobs": "7", "patents": "1", "tax": "8", "note": "首年"}  # fmt: skip
    response = client.post(reverse("cooperation:followup_new"), data)
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(cooperation=cooperation)
    assert (follow_up.year, follow_up.output_value, follow_up.jobs, follow_up.review) == (
        2021,
        Decimal("100.25"),
        7,
        "submitted",
    )
    [approval] = ApprovalRequest.objects.filter(
        kind="cooperation.follow_up", target_id=follow_up.pk
    )
    assert approval.reviewer_unit is not None
    assert approval.reviewer_unit.name == "永济市省校合作办公室"
    office = demo_db.client("office")
    page = office.get(LIST, {"year": "2021"}).content.decode()
    assert "<td>2021</td><td>2</td><td>5050.50</td>" in page  # not counted yet
    again = client.post(reverse("cooperation:followup_new"), data).content.decode()
    assert "该合作项目2021年的跟踪记录已填报（待审核）" in again
    workflow.review_decide(
        approval=approval, approver=demo_db.users["reviewer"], decision="return", comment="产值有误"
    )
    follow_up.refresh_from_db()
    assert follow_up.review == "returned"
    response = client.post(reverse("cooperation:followup_new"), data | {"output_value": "120"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.output_value, follow_up.review) == (Decimal("120.00"), "submitted")
    [approval] = ApprovalRequest.objects.filter(
        kind="cooperation.follow_up", target_id=follow_up.pk, state="requested"
    )
    workflow.review_decide(
        approval=approval, approver=demo_db.users["reviewer"], decision="approve"
    )
    follow_up.refresh_from_db()
    assert follow_up.review == "accepted"
    page = office.get(LIST, {"year": "2021"}).content.decode()
    assert "<td>2021</td><td>3</td><td>5170.50</td><td>80</td><td>10</td><td>315.10</td>" in page


def test_wrong_entries_are_refused_and_nothing_is_saved(demo_db: Demo) -> None:
    client = demo_db.client("office")
    landed = Cooperation.objects.get(title=FIRST)
    not_landed = Cooperation.objects.filter(stage=Stage.AGREEMENT).order_by("pk").first()
    assert not_landed is not None
    before = FollowUp.objects.count()

    def post(**changes: object) -> dict[str, Any]:
        body = {"cooperation_id": landed.pk, "year": 2021, "output_value": "1", "jobs": 1, "patents": 0, "tax": "0"} | changes  # fmt: skip
        response = client.post(API, body, content_type="application/json")
        assert response.status_code in (400, 404, 422), response.content
        error: dict[str, Any] = response.json()["error"]
        return error

    assert post(cooperation_id=not_landed.pk)["fields"] == {
        "cooperation_id": "只有已落地的合作项目才填报年度跟踪"
    }
    assert landed.landed_date is not None
    assert post(year=2023)["fields"] == {
        "year": f"年度须在落地年度（{landed.landed_date.year}）至今年（2022）之间"
    }
    assert post()["fields"] == {"year": "该合作项目2021年的跟踪记录已填报（已采用）"}
    assert "jobs" in post(jobs=-1)["fields"]
    assert "output_value" in post(output_value="-5")["fields"]
    assert "extra" in post(extra="x")["fields"]
    assert FollowUp.objects.count() == before
    created = client.post(
        API, {"cooperation_id": landed.pk, "year": 2022, "jobs": 3}, content_type="application/json"
    )
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("year", "jobs", "output_value", "review")} == {
        "year": 2022,
        "jobs": 3,
        "output_value": "0.00",
        "review": "accepted",
    }


def test_an_outsider_sees_and_enters_nothing(demo_db: Demo, make_user: Callable[..., User]) -> None:
    other = unit_create(
        actor=None,
        parent=Unit.objects.get(name="开张镇"),
        name="别的企业",
        kind=UnitKind.ENTERPRISE,
    )
    stranger = make_user(
        other, DataScope.UNIT, ["cooperation.view_followup", "cooperation.add_followup"]
    )
    client = Client()
    client.force_login(stranger)
    assert followup_qs(stranger).count() == 0
    assert "共 0 条" in client.get(LIST).content.decode()
    assert client.get(API).json()["count"] == 0
    landed = Cooperation.objects.get(title=SECOND)
    response = client.post(
        API, {"cooperation_id": landed.pk, "year": 2022}, content_type="application/json"
    )
    assert response.status_code == 404
    form = client.post(reverse("cooperation:followup_new"), {"cooperation": str(landed.pk), "year": "2022", "output_value": "1", "jobs": "0", "patents": "0", "tax": "0"})  # fmt: skip
    assert form.status_code == 200
    assert "选择一个有效的选项" in form.content.decode()
    assert FollowUp.objects.filter(cooperation=landed).count() == 1
    leader = demo_db.client("leader")  # sees the list, may not enter
    assert leader.get(reverse("cooperation:followup_new")).status_code == 403
    assert reverse("cooperation:followup_new") not in leader.get(LIST).content.decode()
