"""The demand lists on the demo: the need trend across surveys (selector and the map's table),
the supply side (filters, htmx, export), the held import rows (filters, export) and the trash
(filters, pages, export) — exports give exactly the filtered rows."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import Demo
from yanzhen.core.models import User
from yanzhen.demand import selectors, services
from yanzhen.demand.models import Expert, HeldRow, SurveyCampaign, TalentNeed
from yanzhen.demand.selectors import NeedFilters
from yanzhen.demo.demand import HELD_FILE

pytestmark = pytest.mark.usefixtures("demo_db")

H1, H2 = "2021年上半年产业人才需求调查", "2021年下半年产业人才需求调查"


def sheet_rows(client: Client, url: str, params: dict[str, str]) -> list[tuple[Any, ...]]:
    response = client.get(url, {**params, "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def trend_of(
    user: User, filters: NeedFilters
) -> tuple[list[str], list[tuple[str, list[int], int]]]:
    campaigns, rows = selectors.need_trend(user, filters)
    return [c.title for c in campaigns], [
        (r.code, [c.people for c in r.values], r.change) for r in rows
    ]


# The trend across surveys --------------------------------------------------------------------


def test_the_trend_counts_people_by_industry_in_each_survey(demo_db: Demo) -> None:
    titles, rows = trend_of(demo_db.users["office"], NeedFilters())
    assert titles == [H1, H2]
    assert rows == [
        ("YJ-L01", [8, 5], -3), ("YJ-L02", [2, 2], 0), ("YJ-L03", [2, 2], 0),
        ("YJ-L04", [0, 2], 2), ("YJ-L05", [3, 3], 0), ("YJ-L06", [1, 2], 1),
        ("YJ-L07", [2, 0], -2), ("YJ-L08", [2, 1], -1), ("YJ-L09", [0, 2], 2),
        ("YJ-L10", [0, 3], 3), ("YJ-L11", [2, 2], 0), ("YJ-A01", [0, 5], 5),
        ("YJ-A02", [1, 3], 2), ("YJ-A03", [0, 2], 2), ("YJ-A04", [2, 0], -2),
        ("YJ-C01", [2, 0], -2),
    ]  # fmt: skip
    _, trend = selectors.need_trend(demo_db.users["office"], NeedFilters())
    traction = trend[0]
    assert [(c.needs, c.people, c.urgent) for c in traction.values] == [(3, 8, 0), (2, 5, 3)]
    # 13 + 14 needs in the two surveys; the one need filed outside a survey is not in the trend.
    assert [sum(r.values[i].needs for r in trend) for i in (0, 1)] == [13, 14]


def test_the_trend_follows_the_filters_and_drops_surveys_without_needs(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    titles, rows = trend_of(office, NeedFilters(urgency="urgent"))
    assert titles == [H2]  # no need of the first survey was urgent
    assert rows == [
        ("YJ-L01", [3], 0), ("YJ-L02", [2], 0), ("YJ-L03", [2], 0), ("YJ-L06", [2], 0),
        ("YJ-L08", [1], 0), ("YJ-L09", [2], 0), ("YJ-L10", [3], 0), ("YJ-L11", [2], 0),
        ("YJ-A02", [3], 0), ("YJ-A03", [2], 0),
    ]  # fmt: skip
    # The map's own survey filter is ignored: the trend always spans every survey.
    first = SurveyCampaign.objects.get(title=H1)
    assert trend_of(office, NeedFilters(industry="YJ-L01", campaign=first.pk)) == (
        [H1, H2],
        [("YJ-L01", [8, 5], -3)],
    )


def test_the_trend_is_that_of_the_users_scope(demo_db: Demo) -> None:
    assert trend_of(demo_db.users["town"], NeedFilters()) == (
        [H1, H2],
        [("YJ-L01", [4, 0], -4), ("YJ-A02", [1, 3], 2)],
    )


def test_the_trend_table_of_the_map_links_each_figure_to_its_needs(demo_db: Demo) -> None:
    client = demo_db.client("leader")
    html = client.get(reverse("demand:demand_map")).content.decode()
    table = html.split('id="needs-trend"', 1)[1].split("</table>", 1)[0]
    first, second = (SurveyCampaign.objects.get(title=t).pk for t in (H1, H2))
    assert re.findall(r'<th><a href="/demand/campaigns/(\d+)/">([^<]+)</a></th>', table) == [
        (str(first), H1),
        (str(second), H2),
    ]
    body = table.split("<tbody>", 1)[1]
    cells = [
        [re.sub(r"<[^>]+>", "", td).strip() for td in re.findall(r"<td>(.*?)</td>", tr, re.S)]
        for tr in body.split("<tr>")[1:]
    ]
    assert cells[:4] == [
        ["电机电器与轨道交通装备", "8", "5", "-3"],
        ["汽车零部件", "2", "2", "—"],
        ["精细化工", "2", "2", "—"],
        ["生物医药", "0", "2", "+2"],
    ]
    assert cells[-1] == ["文化旅游", "2", "0", "-2"]
    assert len(cells) == 16
    link = f"/demand/needs/?&amp;industry=YJ-L01&amp;campaign={first}"
    assert f'<td><a href="{link}">8</a></td>' in table
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    codes = re.findall(r'<td><a href="/demand/needs/\d+/">(XQ\d+)</a></td>', listed)
    assert sum(TalentNeed.objects.filter(code__in=codes).values_list("number", flat=True)) == 8
    assert len(codes) == 3


# The supply side -----------------------------------------------------------------------------


def supply_names(
    client: Client, params: dict[str, str], *, htmx: bool = False
) -> tuple[str, list[str]]:
    headers = {"HX-Request": "true"} if htmx else {}
    html = client.get(reverse("demand:supply"), params, headers=headers).content.decode()
    total = re.findall(r"共 (\d+) 条", html)
    return total[0], re.findall(r'<td><a href="/demand/supply/\d+/[^"]*">([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("params", "total", "names"),
    [
        ({"q": "西安"}, "14", ["西安交通大学", "西安理工大学", "西安电子科技大学", "西安工业大学",
                               "西安建筑科技大学", "西安科技大学", "西安石油大学", "西安工程大学",
                               "西安外国语大学", "西安体育学院", "西安音乐学院", "西安美术学院",
                               "西安财经大学", "西安邮电大学"]),
        ({"province": "山西"}, "8", ["山西大学", "太原科技大学", "中北大学", "太原理工大学", "山西农业大学",
                                    "山西医科大学", "山西师范大学", "山西财经大学"]),
        ({"discipline": "0808", "grade": "A-"}, "7", ["清华大学", "华北电力大学", "哈尔滨工业大学", "浙江大学",
                                                       "华中科技大学", "重庆大学", "西安交通大学"]),
        ({"province": "陕西", "dfc": "1"}, "7", ["西北大学", "西安交通大学", "西北工业大学", "西安电子科技大学",
                                                "长安大学", "西北农林科技大学", "陕西师范大学"]),
    ],
)  # fmt: skip
def test_the_supply_list_filters(
    demo_db: Demo, params: dict[str, str], total: str, names: list[str]
) -> None:
    assert supply_names(demo_db.client("town"), params) == (total, names)


def test_the_supply_list_pages_and_answers_htmx_with_its_rows(demo_db: Demo) -> None:
    client = demo_db.client("leader")
    total, names = supply_names(client, {})
    # Every university with a 4th-round grade or a 双一流 discipline of the national lists.
    assert (total, len(names), names[:3]) == ("456", 20, ["北京大学", "中国人民大学", "清华大学"])
    assert len(supply_names(client, {"page": "2"})[1]) == 20
    total, names = supply_names(client, {"discipline": "0808"}, htmx=True)
    assert (total, len(names)) == ("58", 20)
    html = client.get(reverse("demand:supply"), {"grade": "A+"}, HTTP_HX_REQUEST="true")
    assert html.content.decode().lstrip().startswith('<div id="rows"')


def test_the_supply_export_gives_exactly_the_filtered_universities(demo_db: Demo) -> None:
    rows = sheet_rows(
        demo_db.client("leader"), reverse("demand:supply"), {"discipline": "0808", "grade": "A-"}
    )
    assert rows[0] == (
        "高校", "省份", "距本地（公里）", "“双一流”建设学科（2022）", "第四轮学科评估",
        "与本地合作（项）", "专家（人）",
    )  # fmt: skip
    assert [r[0] for r in rows[1:]] == [
        "清华大学", "华北电力大学", "哈尔滨工业大学", "浙江大学", "华中科技大学", "重庆大学",
        "西安交通大学",
    ]  # fmt: skip
    xjtu = rows[7]
    assert xjtu[:4] == (
        "西安交通大学", "陕西省", 150,
        "力学、机械工程、材料科学与工程、动力工程及工程热物理、电气工程、控制科学与工程、"
        "管理科学与工程、工商管理",
    )  # fmt: skip
    assert str(xjtu[4]).startswith("0807 动力工程及工程热物理 A+、0808 电气工程 A+、")
    assert xjtu[5:] == (4, 3)
    everything = sheet_rows(demo_db.client("leader"), reverse("demand:supply"), {})
    assert len(everything) == 1 + 456  # every page, not only the first


# The rows held at import ---------------------------------------------------------------------


def test_the_held_rows_export_exactly_the_filtered_rows(demo_db: Demo) -> None:
    client = demo_db.client("office")
    held = HeldRow.objects.select_related("unit", "created_by").get()
    rows = sheet_rows(client, reverse("demand:held_list"), {})
    assert rows[0] == (
        "导入类型", "文件", "行号", "待确认的高校名称", "导入单位", "导入人", "导入时间",
        "处理时间", "处理结果",
    )  # fmt: skip
    created = timezone.localtime(held.created_at).strftime("%Y-%m-%d %H:%M")
    assert rows[1:] == [
        (
            "专家", HELD_FILE, held.row_number, "山大：山东大学/山西大学", held.unit.name,
            str(held.created_by or "") or None, created, None, None,
        )
    ]  # fmt: skip
    assert sheet_rows(client, reverse("demand:held_list"), {"kind": "need"}) == [rows[0]]
    assert sheet_rows(client, reverse("demand:held_list"), {"state": "done"}) == [rows[0]]
    assert len(sheet_rows(client, reverse("demand:held_list"), {"q": "专家名单"})) == 2
    html = client.get(reverse("demand:held_list"), {"kind": "need"}).content.decode()
    assert "没有待确认的导入行" in html
    assert "export=xlsx" in html


def test_the_held_rows_export_needs_the_export_right_of_their_kind(
    demo_db: Demo, make_user: Callable[..., User]
) -> None:
    office = demo_db.users["office"]
    user = make_user(
        office.unit, "unit_and_below", ["demand.view_heldrow", "demand.export_talentneed"]
    )
    client = Client()
    client.force_login(user)
    url = reverse("demand:held_list")
    assert client.get(url).status_code == 200
    assert "export=xlsx" not in client.get(url).content.decode()
    assert client.get(url, {"export": "xlsx"}).status_code == 403
    assert client.get(url, {"export": "xlsx", "kind": "expert"}).status_code == 403
    assert client.get(url, {"export": "xlsx", "kind": "need"}).status_code == 200


# The trash -----------------------------------------------------------------------------------


def trash_rows(html: str) -> list[str]:
    return re.findall(r"<tr><td>(XQ\d+|[^<]+)</td><td>", html.split('id="rows"', 1)[1])


def test_the_trash_pages_filters_and_exports_every_deleted_need(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    for need in TalentNeed.objects.order_by("code"):
        services.need_delete(actor=office, need=need)
    client = demo_db.client("office")
    url = reverse("demand:trash")
    first = client.get(url).content.decode()
    assert "共 28 条" in first
    assert len(trash_rows(first)) == 20
    second = client.get(url, {"page": "2"}, HTTP_HX_REQUEST="true").content.decode()
    assert second.lstrip().startswith('<div id="rows"')
    assert len(trash_rows(second)) == 8
    rows = sheet_rows(client, url, {})
    assert rows[0] == ("需求编号", "需求单位", "岗位名称", "需求人数", "删除时间", "删除人")
    assert sorted(r[0] for r in rows[1:]) == sorted(
        TalentNeed.all_objects.values_list("code", flat=True)
    )
    filtered = sheet_rows(client, url, {"q": "中车永济"})
    expected = TalentNeed.all_objects.filter(enterprise__name__contains="中车永济").order_by("code")
    assert sorted(r[0] for r in filtered[1:]) == [n.code for n in expected]
    traction = next(r for r in filtered if r[2] == "牵引电机控制算法工程师")
    assert traction[1:] == (
        "中车永济电机有限公司", "牵引电机控制算法工程师", 3, "2026-11-27 20:00", str(office),
    )  # fmt: skip
    assert len(sheet_rows(client, url, {"deleted_from": "2026-11-28"})) == 1
    assert len(sheet_rows(client, url, {"deleted_to": "2026-11-27"})) == 29


def test_the_trash_of_experts_is_a_list_of_its_own(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    for expert in Expert.objects.filter(university__name__in=["四川大学", "西安交通大学"]):
        services.expert_delete(actor=office, expert=expert)
    client = demo_db.client("office")
    url = reverse("demand:trash")
    html = client.get(url, {"kind": "expert", "q": "四川"}).content.decode()
    deleted = Expert.all_objects.filter(university__name="四川大学").order_by("-deleted_at", "-id")
    assert trash_rows(html) == [e.name for e in deleted]
    assert f'href="/demand/trash/experts/{deleted[0].pk}/"' in html
    rows = sheet_rows(client, url, {"kind": "expert"})
    assert rows[0] == ("姓名", "所在高校", "院系", "职称", "删除时间", "删除人")
    assert sorted(r[1] for r in rows[1:]) == sorted(
        Expert.all_objects.filter(deleted_at__isnull=False).values_list(
            "university__name", flat=True
        )
    )
    assert demo_db.client("town").get(url, {"kind": "expert"}).status_code == 403
