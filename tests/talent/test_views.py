"""The talent pages and API through HTTP on the Yongji demo: data scope for the town and the
enterprise, masked personal data, filtered exports, htmx rows, forms with errors beside their
fields, and the API's scope, reasons and errors."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Demo
from tests.pii_grants import grant_pii
from yanzhen.benefits.models import Entitlement
from yanzhen.core.models import Unit, UnitClosure
from yanzhen.placement.models import Programme
from yanzhen.talent.models import Applicant, Talent

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture(autouse=True)
def _end_of_2021() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2021, 12, 20, 2, tzinfo=dt.UTC), tick=False):
        yield


def total(html: str) -> int:
    found = re.search(r"共 (\d+) 条", html)
    assert found is not None
    return int(found.group(1))


def field_errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" role="alert">(.*?)</p>', html)


def subtree_talents(name: str) -> int:
    unit = Unit.objects.get(name=name)
    units = UnitClosure.objects.filter(ancestor=unit).values("descendant_id")
    return Talent.objects.filter(employer__in=units).count()


def test_each_role_sees_its_own_talents(demo_db: Demo) -> None:
    url = reverse("talent:talent_list")
    assert total(demo_db.client("office").get(url).content.decode()) == Talent.objects.count()
    town = demo_db.client("town").get(url).content.decode()
    assert total(town) == subtree_talents("开张镇") == 13
    assert "中车永济电机有限公司" not in town
    firm = demo_db.client("enterprise").get(url).content.decode()
    assert total(firm) == Talent.objects.filter(employer__name="中车永济电机有限公司").count() == 17
    other = Talent.objects.exclude(employer__name="中车永济电机有限公司").order_by("pk")[0]
    assert (
        demo_db.client("enterprise")
        .get(reverse("talent:talent_detail", args=[other.pk]))
        .status_code
        == 404
    )


def test_personal_data_is_masked_and_revealed_only_with_the_permission(demo_db: Demo) -> None:
    from yanzhen.audit.models import AccessLog

    talent = Talent.objects.filter(talent_type="full_time").order_by("pk")[0]
    number, mobile = talent.person.id_number, talent.person.mobile
    masked_id, masked_mobile = (
        f"{number[:4]}**********{number[-4:]}",
        f"{mobile[:3]}****{mobile[-4:]}",
    )
    url = reverse("talent:talent_detail", args=[talent.pk])
    office = demo_db.client("office").get(url).content.decode()
    assert (number in office, masked_id in office, 'href="?reveal=id"' in office) == (
        False,
        True,
        True,
    )
    grant_pii(demo_db.users["office"], "page")  # a second person's approval (G25)
    revealed = demo_db.client("office").get(url, {"reveal": "id"}).content.decode()
    assert (number in revealed, masked_mobile in revealed) == (True, True)
    assert (
        AccessLog.objects.filter(
            action=AccessLog.Action.REVEAL, record_type="person", record_id=talent.person_id
        ).count()
        == 1
    )
    leader = demo_db.client("leader").get(url, {"reveal": "id"}).content.decode()
    assert (number in leader, masked_id in leader, 'href="?reveal=id"' in leader) == (
        False,
        True,
        False,
    )
    api = (
        demo_db.client("leader")
        .get(reverse("api:talent_get_talent", kwargs={"talent_id": talent.pk}))
        .json()
    )
    assert (api["id_number"], api["mobile"]) == (masked_id, masked_mobile)


def test_the_export_holds_exactly_the_filtered_rows(demo_db: Demo) -> None:
    response = demo_db.client("leader").get(
        reverse("talent:talent_list"), {"group": "recruited", "degree": "doctor", "export": "xlsx"}
    )
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    phd = Talent.objects.get(degree="doctor", channel="campus")
    assert len(rows) == 2
    assert rows[1][0] == phd.person.name
    assert rows[1][1] == f"{phd.person.id_number[:4]}**********{phd.person.id_number[-4:]}"
    assert rows[1][3:9] == ("全职引进人才", "博士", phd.university.name if phd.university else None,
                            "电气工程", "中车永济电机有限公司", "校园招聘")  # fmt: skip
    csv = demo_db.client("office").get(reverse("talent:entitlement_list"),
                                       {"expiring": "on", "export": "csv"})  # fmt: skip
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    lines = lines[next(i for i, line in enumerate(lines) if line.startswith("人才,")) :]
    expiring = Entitlement.objects.filter(
        status="active", end_date__gte=dt.date(2021, 12, 20), end_date__lte=dt.date(2022, 1, 19)
    ).count()
    assert len(lines) == expiring + 1


@pytest.mark.parametrize(
    "name",
    ["talent:talent_list", "talent:campaign_list", "talent:applicant_list", "talent:benefit_list",
     "talent:entitlement_list", "talent:delivery_list", "talent:apartment_list",
     "talent:room_allocation_list", "talent:programme_list", "talent:internship_list",
     "talent:college_list", "talent:class_list", "talent:enrolment_list", "talent:store_list"],
)  # fmt: skip
def test_lists_answer_htmx_with_their_rows_only(name: str, demo_db: Demo) -> None:
    response = demo_db.client("office").get(reverse(name), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="rows"')
    assert "<html" not in html


def test_the_talent_list_takes_a_fixed_number_of_queries(demo_db: Demo) -> None:
    client = demo_db.client("office")
    url = reverse("talent:talent_list")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as second:
        client.get(url, {"page": "5"}, HTTP_HX_REQUEST="true")
    # session, user, roles, permissions (2), scope and the county of the office's county scope,
    # count, page, review inbox, unread notifications: whatever the page.
    assert len(first) == len(second) <= 11


def test_a_stage_move_through_the_page_with_errors_beside_fields(demo_db: Demo) -> None:
    client = demo_db.client("office")
    campaign_page = client.get(reverse("talent:campaign_list")).content.decode()
    assert "2021年永济市重点企业校园招聘" in campaign_page
    applicant = Applicant.objects.filter(stage="withdrawn").order_by("pk")[0]
    url = reverse("talent:applicant_move", args=[applicant.pk])
    page = client.get(url).content.decode()
    assert "该报名已结束，不能再变更" in page
    position = applicant.position
    response = client.post(
        reverse("talent:applicant_new", args=[position.pk]),
        {"name": "测试人", "id_number": "110101199003070011", "applied_on": "2021-12-01",
         "university": "火星大学"},
    )  # fmt: skip
    assert field_errors(response.content.decode()) == [
        "找不到高校“火星大学”，请写全称、简称或学校标识码"
    ]
    response = client.post(
        reverse("talent:applicant_new", args=[position.pk]),
        {"name": "测试人", "id_number": "110101199003070011", "applied_on": "2021-12-01",
         "university": "西交大", "degree": "master"},
    )  # fmt: skip
    created = Applicant.objects.get(person__name="测试人")
    assert response["Location"] == reverse("talent:applicant_detail", args=[created.pk])
    move = reverse("talent:applicant_move", args=[created.pk])
    response = client.post(move, {"target": "rejected", "date": "2021-12-02"})
    assert field_errors(response.content.decode()) == ["“未录用”须说明原因"]
    response = client.post(move, {"target": "screened", "date": "2021-12-02"})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.stage == "screened"
    assert (
        demo_db.client("leader")
        .post(move, {"target": "examined", "date": "2021-12-03"})
        .status_code
        == 403
    )


def test_the_eligibility_page_and_api_explain_each_benefit(demo_db: Demo) -> None:
    talent = Talent.objects.filter(talent_type="flexible").order_by("pk")[0]
    page = (
        demo_db.client("office")
        .get(reverse("talent:talent_entitlements_edit", args=[talent.pk]), {"on": "2021-12-31"})
        .content.decode()
    )
    assert "人才类型“柔性引进专家”不在适用范围（全职引进人才、医学毕业生、选调生）内" in page
    body = (
        demo_db.client("office")
        .get(
            reverse("api:talent_eligibility", kwargs={"talent_id": talent.pk}), {"on": "2021-12-31"}
        )
        .json()
    )
    by_name = {item["benefit"]["name"]: item for item in body}
    assert by_name["人才意外伤害保险"]["eligible"] is True
    checkup = by_name["人才健康体检"]
    assert checkup["eligible"] is False
    assert checkup["rules"][1]["rule"] == "柔性引进满1年"
    assert checkup["rules"][1]["checks"][-1]["text"].endswith("未满1年")


def test_the_api_keeps_to_the_scope_and_names_errors(demo_db: Demo) -> None:
    firm = demo_db.client("enterprise").get(
        reverse("api:talent_list_talents"), {"page_size": "200"}
    )
    names = {t["employer"]["name"] for t in firm.json()["items"]}
    assert (firm.json()["count"], names) == (17, {"中车永济电机有限公司"})
    stats = demo_db.client("leader").get(reverse("api:talent_stats"), {"group": "recruited"}).json()
    assert (stats["total"], stats["doctors"], stats["masters"]) == (131, 1, 106)
    applicant = Applicant.objects.filter(stage="onboarded").order_by("pk")[0]
    url = reverse("api:talent_advance_applicant", kwargs={"applicant_id": applicant.pk})
    response = demo_db.client("office").post(url, {"target": "screened", "date": "2021-12-01"},
                                             content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"target": "该报名已是“已入职”，不能再变更"}
    stages = demo_db.client("office").get(url).json()
    assert [e["to_stage"] for e in stages["events"]] == [
        "applied",
        "screened",
        "examined",
        "offered",
        "onboarded",
    ]
    payments = demo_db.client("office").get(reverse("api:talent_payment_list"),
                                            {"month": "2021-12"}).json()  # fmt: skip
    assert payments["paying_unit"]["name"] == "永济市人力资源和社会保障局"
    assert float(payments["total"]) == sum(float(line["amount"]) for line in payments["lines"])
    assert all(line["paid_on"] is None for line in payments["lines"])


def test_the_allocation_result_page_and_api(demo_db: Demo) -> None:
    programme = Programme.objects.get(kind="intern")
    page = (
        demo_db.client("office")
        .get(reverse("talent:programme_result", args=[programme.pk]))
        .content.decode()
    )
    assert "已确认到岗" in page
    body = (
        demo_db.client("leader")
        .get(reverse("api:talent_get_allocation", kwargs={"programme_id": programme.pk}))
        .json()
    )
    assert body["stats"]["matched"] == 69
    assert sum(body["rank_distribution"].values()) == 69
    assert body["unmatched"] == []
    assert body["blocking_pairs"] == []
    run = demo_db.client("office").post(
        reverse("api:talent_run_allocation", kwargs={"programme_id": programme.pk}),
        {}, content_type="application/json",
    )  # fmt: skip
    assert run.status_code == 400
    assert run.json()["error"]["message"] == "该项目已确认到岗，不能再修改"
