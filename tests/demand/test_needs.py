"""Talent needs on the demo: the demo's figures, the map and its graph, the list (filters,
export, htmx, queries), the forms for the office and the enterprise itself, data scope, API."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from django.db.models import Q, Sum
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Demo
from yanzhen.core.models import Unit
from yanzhen.demand.excel import need_columns
from yanzhen.demand.models import Expert, HeldRow, SurveyCampaign, TalentNeed
from yanzhen.demo import demand as demand_demo
from yanzhen.demo.shared import DemoResult

pytestmark = pytest.mark.usefixtures("demo_db")

H1, H2 = "2021年上半年产业人才需求调查", "2021年下半年产业人才需求调查"


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def field_errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" role="alert">(.*?)</p>', html)


def codes_in(html: str) -> list[str]:
    return re.findall(r'<td><a href="/demand/needs/\d+/">(XQ\d+)</a></td>', html)


# The demo ------------------------------------------------------------------------------------


def test_the_demo_has_two_surveys_their_needs_and_the_experts() -> None:
    people = TalentNeed.objects.aggregate(
        total=Sum("number"), urgent=Sum("number", filter=Q(urgency="urgent"))
    )
    assert (TalentNeed.objects.count(), people) == (28, {"total": 65, "urgent": 26})
    first, second = SurveyCampaign.objects.get(title=H1), SurveyCampaign.objects.get(title=H2)
    assert (first.closed, first.needs.count(), first.targets.count()) == (True, 13, 18)
    assert first.targets.filter(answered_at__isnull=True).count() == 0
    assert (second.closed, second.needs.count(), second.targets.count()) == (False, 14, 18)
    assert sorted(
        second.targets.filter(answered_at__isnull=True).values_list("enterprise__name", flat=True)
    ) == sorted(demand_demo.PENDING)
    assert Expert.objects.count() == 28
    assert Expert.objects.filter(projects__isnull=False).distinct().count() == 14
    held = HeldRow.objects.get()
    assert [c["name"] for c in held.pending[0]["candidates"]] == ["山东大学", "山西大学"]


def test_a_second_load_of_the_demand_demo_adds_nothing() -> None:
    before = (TalentNeed.objects.count(), Expert.objects.count(), HeldRow.objects.count())
    result = DemoResult()
    demand_demo.load(result)
    assert result.created == {}
    assert (TalentNeed.objects.count(), Expert.objects.count(), HeldRow.objects.count()) == before


# The map -------------------------------------------------------------------------------------


def figures(html: str) -> dict[str, tuple[str, str]]:
    found = re.findall(
        r'<a class="figure" href="([^"]*)" data-figure="(\w+)"><span class="value">(\d+)</span>',
        html,
    )
    return {name: (value, href) for href, name, value in found}


def graph_of(html: str) -> dict[str, object]:
    match = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_the_map_shows_its_figures_and_each_opens_its_records(demo_db: Demo) -> None:
    client = demo_db.client("leader")
    html = client.get(reverse("demand:demand_map")).content.decode()
    assert figures(html) == {
        "needs": ("28", "/demand/needs/?"),
        "people": ("65", "/demand/needs/?&amp;sort=-number"),
        "urgent": ("26", "/demand/needs/?urgency=urgent"),
        "enterprises": ("19", "/demand/needs/?"),
    }
    assert '<a href="/demand/needs/?&amp;industry=YJ-L01&amp;sort=-number">13</a>' in html
    cell = "/demand/needs/?&amp;industry=YJ-L01&amp;discipline=0808&amp;degree=master"
    assert f'<td><a href="{cell}">5</a></td>' in html
    listed = client.get(cell.replace("&amp;", "&")).content.decode()
    assert codes_in(listed) == ["XQ2021000001", "XQ2021000003"]
    assert sum(n.number for n in TalentNeed.objects.filter(code__in=codes_in(listed))) == 5


def test_the_map_filtered_by_a_survey_counts_that_survey_only(demo_db: Demo) -> None:
    campaign = SurveyCampaign.objects.get(title=H2)
    html = demo_db.client("office").get(reverse("demand:demand_map"), {"campaign": campaign.pk})
    assert figures(html.content.decode())["needs"] == (
        "14",
        f"/demand/needs/?campaign={campaign.pk}",
    )


def test_the_graph_links_industries_disciplines_universities_and_experts(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("demand:demand_map")).content.decode()
    graph = graph_of(html)
    nodes = {n["id"]: n for n in graph["nodes"]}  # type: ignore[attr-defined]
    links = {(e["source"], e["target"]): e for e in graph["links"]}  # type: ignore[attr-defined]
    assert [c["name"] for c in graph["categories"]] == ["本地产业", "学科", "高校", "专家"]  # type: ignore[attr-defined]
    assert nodes["i:YJ-L01"] == {
        "id": "i:YJ-L01",
        "name": "电机电器与轨道交通装备",
        "category": 0,
        "value": 13,
        "url": "/demand/needs/?industry=YJ-L01",
    }
    assert links[("i:YJ-L01", "d:0808")]["value"] == 5
    assert links[("i:YJ-L01", "d:0808")]["url"] == "/demand/needs/?industry=YJ-L01&discipline=0808"
    xjtu = Expert.objects.get(university__name="西安交通大学", disciplines__code="0808")
    assert nodes[f"u:{xjtu.university_id}"]["url"] == (
        f"/demand/supply/{xjtu.university_id}/?discipline=0825"  # its first discipline
    )
    assert nodes[f"e:{xjtu.pk}"]["url"] == f"/demand/experts/{xjtu.pk}/"
    assert (f"u:{xjtu.university_id}", f"e:{xjtu.pk}") in links
    assert {n["category"] for n in nodes.values()} == {0, 1, 2, 3}
    for node in list(nodes.values())[:12]:
        assert demo_db.client("office").get(node["url"]).status_code == 200


def test_the_map_exports_its_table(demo_db: Demo) -> None:
    response = demo_db.client("leader").get(reverse("demand:demand_map"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "本地产业", "学科", "博士（人）", "硕士（人）", "本科（人）", "大专（人）", "不限（人）",
        "需求条数", "需求人数", "其中急需（人）",
    )  # fmt: skip
    assert ("电机电器与轨道交通装备", "0808 电气工程", 0, 5, 0, 0, 0, 2, 5, 3) in rows
    assert ("未归类", "1002 临床医学", 0, 4, 0, 0, 0, 1, 4, 4) in rows


# The list ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"industry": "YJ-L01"}, 5),
        ({"discipline": "0808"}, 3),
        ({"urgency": "urgent"}, 11),
        ({"degree": "associate"}, 3),
        ({"q": "印染"}, 2),  # the position, and the other need of 纺织印染示范企业
        ({"industry": "none"}, 1),
        ({"discipline": "none"}, 0),
    ],
)
def test_the_list_filters(demo_db: Demo, params: dict[str, str], expected: int) -> None:
    html = demo_db.client("office").get(reverse("demand:need_list"), params).content.decode()
    assert f"共 {expected} 条" in html


@pytest.mark.parametrize(("params", "rows"), [({}, 20), ({"industry": "YJ-L01"}, 5)])
def test_the_list_answers_htmx_with_its_rows_and_a_fixed_number_of_queries(
    demo_db: Demo, django_assert_num_queries: object, params: dict[str, str], rows: int
) -> None:
    client = demo_db.client("office")
    # session, user with its unit, roles (read once, for the scope too), permissions (one
    # statement), the county of the office's county scope, filter choices (industries,
    # disciplines; the surveys only when one is asked for), count, the page, its disciplines
    # (the header's unread and inbox counts are read only by a page that shows the header):
    # whatever the number of rows.
    with django_assert_num_queries(10):  # type: ignore[operator]
        response = client.get(reverse("demand:need_list"), params, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="rows"')
    assert "<html" not in html
    assert len(codes_in(html)) == rows


def test_the_list_exports_exactly_the_filtered_needs_in_the_import_columns(demo_db: Demo) -> None:
    response = demo_db.client("leader").get(
        reverse("demand:need_list"), {"industry": "YJ-L01", "export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in need_columns(demo_db.users["leader"])]
    assert sorted(str(r[0]) for r in rows[1:]) == [
        "XQ2021000001", "XQ2021000002", "XQ2021000003", "XQ2021000004", "XQ2021000005",
    ]  # fmt: skip
    traction = next(r for r in rows if r[0] == "XQ2021000001")
    assert traction[1:8] == (
        "中车永济电机有限公司", "牵引电机控制算法工程师", "0808、0811", "电气工程、控制工程",
        "硕士", 3, "急需",
    )  # fmt: skip


# Forms and scope -----------------------------------------------------------------------------


def need_form(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "enterprise": str(unit("中车永济电机有限公司").pk),
        "position": "变流器硬件工程师",
        "disciplines": ["0808", "0809"],
        "degree": "master",
        "number": "2",
        "urgency": "urgent",
        "salary_min": "15",
        "salary_max": "25",
        "description": "牵引变流器硬件电路设计",
        "preferred_universities": "西交大、4161010699",
        "status": "open",
    }
    values.update(overrides)
    return values


def test_an_enterprise_files_its_own_need(demo_db: Demo) -> None:
    client = demo_db.client("enterprise")
    campaign = SurveyCampaign.objects.get(title=H2)
    response = client.post(reverse("demand:need_new"), need_form(campaign=str(campaign.pk)))
    assert response.status_code == 302
    need = TalentNeed.objects.get(position="变流器硬件工程师")
    assert response["Location"] == reverse("demand:need_detail", args=[need.pk])
    assert (need.code, need.source, need.created_by, need.reported_on.isoformat()) == (
        "XQ2026000001", "enterprise", demo_db.users["enterprise"], "2026-11-27",
    )  # fmt: skip
    assert [d.code for d in need.disciplines.order_by("code")] == ["0808", "0809"]
    assert sorted(u.name for u in need.preferred_universities.all()) == [
        "西北工业大学", "西安交通大学",
    ]  # fmt: skip
    assert (need.salary_min, need.salary_max) == (Decimal("15.0"), Decimal("25.0"))


def test_an_enterprise_cannot_file_for_another_unit(demo_db: Demo) -> None:
    client = demo_db.client("enterprise")
    before = TalentNeed.objects.count()
    other = unit("天鹰无人机科技有限公司")
    response = client.post(reverse("demand:need_new"), need_form(enterprise=str(other.pk)))
    assert response.status_code == 200
    assert field_errors(response.content.decode()) == [
        "该单位不在可选范围内（或不在您的数据范围内），请重新选择"
    ]
    assert TalentNeed.objects.count() == before


def test_each_login_sees_the_needs_of_its_scope(demo_db: Demo) -> None:
    counts = {
        role: re.search(
            r"共 (\d+) 条", demo_db.client(role).get(reverse("demand:need_list")).content.decode()
        )
        for role in ("office", "leader", "town", "enterprise", "base")
    }
    assert {k: int(m.group(1)) for k, m in counts.items() if m} == {
        "office": 28, "leader": 28, "town": 3, "enterprise": 3, "base": 0,
    }  # fmt: skip
    drone = TalentNeed.objects.get(position="无人机飞控工程师")
    assert (
        demo_db.client("enterprise").get(reverse("demand:need_detail", args=[drone.pk])).status_code
        == 404
    )
    assert (
        demo_db.client("town").get(reverse("demand:need_edit", args=[drone.pk])).status_code == 404
    )


def test_the_form_shows_rule_errors_beside_their_fields(demo_db: Demo) -> None:
    client = demo_db.client("office")
    before = TalentNeed.objects.count()
    html = client.post(
        reverse("demand:need_new"),
        need_form(salary_min="30", salary_max="20", preferred_universities="山大"),
    ).content.decode()
    assert field_errors(html) == [
        "年薪上限不能低于下限",
        "无法确定“山大”是哪所高校，请写全称（可能是：山东大学、山西大学）",
    ]
    hospital = unit("永济市人民医院")
    campaign = SurveyCampaign.objects.get(title=H2)
    html = client.post(
        reverse("demand:need_new"),
        need_form(enterprise=str(hospital.pk), campaign=str(campaign.pk)),
    ).content.decode()
    assert field_errors(html) == [f"永济市人民医院不在“{H2}”的调查对象中"]
    html = client.post(
        reverse("demand:need_new"),
        need_form(position="牵引电机控制算法工程师", campaign=str(campaign.pk)),
    ).content.decode()
    assert field_errors(html) == [
        "中车永济电机有限公司在同一调查中已登记过岗位“牵引电机控制算法工程师”"
    ]
    assert TalentNeed.objects.count() == before


def test_the_office_edits_and_deletes_a_need_with_history(demo_db: Demo) -> None:
    client = demo_db.client("office")
    need = TalentNeed.objects.get(position="数控加工工艺员")
    form = need_form(
        enterprise=str(need.enterprise_id), position=need.position, disciplines=["0802"],
        number="6", preferred_universities="", campaign=str(need.campaign_id),
        version=str(need.version),
    )  # fmt: skip
    assert client.post(reverse("demand:need_edit", args=[need.pk]), form).status_code == 302
    need.refresh_from_db()
    assert (need.number, need.source) == (6, "import")
    assert [h.number for h in need.history.order_by("history_id")] == [4, 6]
    assert client.get(reverse("demand:need_delete", args=[need.pk])).status_code == 200
    assert (
        demo_db.client("leader").post(reverse("demand:need_delete", args=[need.pk])).status_code
        == 403
    )
    assert TalentNeed.objects.filter(pk=need.pk).exists()
    response = client.post(reverse("demand:need_delete", args=[need.pk]))
    assert response["Location"] == reverse("demand:need_list")
    assert not TalentNeed.objects.filter(pk=need.pk).exists()
    assert "共 27 条" in client.get(reverse("demand:need_list")).content.decode()
    assert client.get(reverse("demand:need_detail", args=[need.pk])).status_code == 404
    trash = client.get(reverse("demand:trash")).content.decode()
    assert f'<a href="/demand/trash/needs/{need.pk}/">恢复</a>' in trash
    restored = client.post(reverse("demand:need_restore", args=[need.pk]))
    assert restored["Location"] == reverse("demand:need_detail", args=[need.pk])
    assert TalentNeed.objects.get(pk=need.pk).deleted_at is None


def test_an_edit_made_on_an_older_version_is_refused(demo_db: Demo) -> None:
    client = demo_db.client("office")
    need = TalentNeed.objects.get(position="数控加工工艺员")
    form = need_form(
        enterprise=str(need.enterprise_id), position=need.position, disciplines=["0802"],
        number="5", preferred_universities="", campaign=str(need.campaign_id),
        version=str(need.version),
    )  # fmt: skip
    assert client.post(reverse("demand:need_edit", args=[need.pk]), form).status_code == 302
    stale = client.post(reverse("demand:need_edit", args=[need.pk]), {**form, "number": "9"})
    html = stale.content.decode()
    assert re.findall(r'<div class="flash error" role="alert">(.*?)</div>', html, re.S) == [
        "该记录已被他人修改：请刷新页面，核对最新内容后再保存"
    ]
    need.refresh_from_db()
    assert (need.number, need.version) == (5, 2)


# API -----------------------------------------------------------------------------------------


def test_the_api_lists_creates_and_patches_needs_in_scope(demo_db: Demo) -> None:
    client: Client = demo_db.client("enterprise")
    listed = client.get(reverse("api:demand_list_needs")).json()
    assert (listed["count"], sorted(i["code"] for i in listed["items"])) == (
        3, ["XQ2021000001", "XQ2021000002", "XQ2021000003"],
    )  # fmt: skip
    own = unit("中车永济电机有限公司")
    body = {"enterprise_id": own.pk, "position": "电机试验工程师", "degree": "bachelor",
            "number": 2, "discipline_codes": ["0808"]}  # fmt: skip
    created = client.post(reverse("api:demand_create_need"), body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert (data["code"], data["source"], data["disciplines"]) == (
        "XQ2026000001", "api", [{"code": "0808", "name": "电气工程"}],
    )  # fmt: skip
    other = {**body, "enterprise_id": unit("光府科技有限公司").pk}
    refused = client.post(reverse("api:demand_create_need"), other, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "enterprise_id": "需求单位不存在或不在您的数据范围内"
    }
    url = reverse("api:demand_update_need", kwargs={"need_id": data["id"]})
    patched = client.patch(url, {"number": 5, "urgency": "urgent"}, content_type="application/json")
    assert (patched.json()["number"], patched.json()["urgency"], patched.json()["position"]) == (
        5, "urgent", "电机试验工程师",
    )  # fmt: skip
    bad = client.patch(url, {"discipline_codes": ["08"]}, content_type="application/json")
    assert bad.json()["error"]["fields"] == {"discipline_codes": "一级学科代码不存在：08"}


def test_the_api_map_counts_by_industry_discipline_and_degree(demo_db: Demo) -> None:
    rows = demo_db.client("leader").get(reverse("api:demand_map")).json()
    first = rows[0]
    assert (first["code"], first["total"]) == ("YJ-L01", {"needs": 5, "people": 13, "urgent": 3})
    electric = next(d for d in first["disciplines"] if d["code"] == "0808")
    assert electric["by_degree"] == {"master": {"needs": 2, "people": 5, "urgent": 3}}
    assert [r["code"] for r in rows][-1] == "none"
