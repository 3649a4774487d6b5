"""The Excel round trip of the ledger: template, preview, confirm, all-or-nothing, re-import."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.conftest import Demo
from yanzhen.cooperation import excel
from yanzhen.cooperation.models import Cooperation, CooperationTally

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


HEADERS = [
    "合作编号", "合作名称", "登记单位", "本地合作方", "合作高校", "对接渠道", "合作类型", "所属基地",
    "本地产业", "国民经济行业代码", "阶段", "意向日期", "签约日期", "落地日期", "终止日期", "终止原因",
    "计划投资（万元）", "落地投资（万元）", "参与学生（人）", "云对接/云签约", "合作内容",
]  # fmt: skip


def test_the_headers_are_the_columns_of_the_export() -> None:
    assert [c.header for c in excel.columns()] == HEADERS


def workbook(rows: list[list[object]], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(**values: object) -> list[object]:
    defaults: dict[str, object] = {
        "合作名称": "芦笋深加工技术合作",
        "登记单位": "永济市省校合作办公室",
        "本地合作方": "山西长荣农业科技股份有限公司",
        "合作高校": "西北农林、中国农业大学",
        "对接渠道": "企业自主找",
        "合作类型": "联合研发",
        "所属基地": "现代农业科技示范基地",
        "本地产业": "芦笋",
        "阶段": "签约",
        "意向日期": dt.date(2026, 3, 2),
        "签约日期": "2026-05-06",
        "计划投资（万元）": 350,
        "云对接/云签约": "否",
    }
    defaults.update(values)
    return [defaults.get(h) for h in HEADERS]


def upload(client: Client, content: bytes, name: str = "ledger.xlsx") -> str:
    response = client.post(
        reverse("cooperation:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    return response.content.decode()


def confirm(client: Client, html: str) -> None:
    token = re.search(r'name="token" value="([0-9a-f]+)"', html)
    assert token, html
    response = client.post(reverse("cooperation:import_confirm"), {"token": token.group(1)})
    assert response.status_code == 302


def errors_of(html: str) -> list[tuple[str, str, str, str]]:
    table = html.split('class="error-table"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return [(a, b, c, d) for a, b, c, d in cells]


def test_the_template_has_drop_downs_for_its_choice_columns(demo_db: Demo) -> None:
    response = demo_db.client("office").get(reverse("cooperation:import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["合作台账"]
    assert [c.value for c in sheet[1]][:6] == [
        "合作编号",
        "合作名称*",
        "登记单位*",
        "本地合作方*",
        "合作高校*",
        "对接渠道*",
    ]
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["F2:F1000"] == "=选项!$F$1:$F$5"
    assert [book["选项"].cell(row=r, column=6).value for r in range(1, 6)] == [
        "领导上门邀",
        "企业自主找",
        "在外人才引",
        "优势产业聚",
        "其他",
    ]
    assert book["选项"].sheet_state == "hidden"
    assert "整表不导入" in book["填写说明"]["A6"].value


def test_a_file_with_bad_rows_commits_nothing_and_lists_every_error(demo_db: Demo) -> None:
    client = demo_db.client("office")
    before = (
        Cooperation.objects.count(),
        list(CooperationTally.objects.values_list("count", flat=True)),
    )
    content = workbook(
        [
            row(),
            row(合作名称="第二项", 合作高校="山大", 意向日期="2026-13-01"),
            row(合作名称="第三项", 本地合作方="不存在的公司", 阶段="落地", 对接渠道="随便"),
            row(合作名称="第四项", 签约日期="2026-01-01", **{"计划投资（万元）": "很多"}),
        ]
    )
    html = upload(client, content)
    # Every error of every row at once: values, names and the rules of the rows without them.
    assert errors_of(html) == [
        ("3", "E", "合作高校", "“山大”可能是山东大学、山西大学，请写全称"),
        (
            "3",
            "L",
            "意向日期",
            "“2026-13-01”不是有效日期（可写成 2021-03-05、2021.3.5、2021/03/05 或 2021年3月5日）",
        ),
        ("4", "D", "本地合作方", "找不到单位“不存在的公司”（或不在您的数据范围内）"),
        (
            "4",
            "F",
            "对接渠道",
            "“随便”不在可选值中（领导上门邀、企业自主找、在外人才引、优势产业聚、其他）",
        ),
        ("5", "Q", "计划投资（万元）", "“很多”不是数字"),
    ]
    assert "整表未导入" in html
    assert (
        Cooperation.objects.count(),
        list(CooperationTally.objects.values_list("count", flat=True)),
    ) == before


def test_service_rules_are_reported_at_their_cells(demo_db: Demo) -> None:
    client = demo_db.client("office")
    count = Cooperation.objects.count()
    html = upload(
        client,
        workbook(
            [
                row(),
                row(合作名称="第二项", 合作高校="山大"),
                row(合作名称="第三项", 本地合作方="不存在的公司"),
                row(合作名称="第四项", 签约日期="2026-01-01"),
                row(合作名称="第五项", 阶段="落地", 签约日期=None, 落地日期="2026-06-01"),
                row(),
            ]
        ),
    )
    assert errors_of(html) == [
        ("3", "E", "合作高校", "“山大”可能是山东大学、山西大学，请写全称"),
        ("4", "D", "本地合作方", "找不到单位“不存在的公司”（或不在您的数据范围内）"),
        ("5", "M", "签约日期", "签约日期不能早于意向日期"),
        ("6", "M", "签约日期", "阶段为“落地”时必须填写签约日期"),
        ("7", "B", "合作名称", "与第2行是同一项合作"),
    ]
    assert Cooperation.objects.count() == count


def test_a_clean_file_commits_exactly_its_rows_once(demo_db: Demo) -> None:
    client = demo_db.client("office")
    count = Cooperation.objects.count()
    content = workbook([row(), row(合作名称="冬枣保鲜技术合作", 本地合作方="永济鲜枣果业示范企业（演示）、虞乡村",
                                   合作高校="西北农林科技大学", 阶段="意向", 签约日期=None)])  # fmt: skip
    html = upload(client, content)
    assert "将新增 2 项，更新 0 项，0 项无变化" in html
    assert Cooperation.objects.count() == count
    confirm(client, html)
    assert Cooperation.objects.count() == count + 2
    created = Cooperation.objects.get(title="芦笋深加工技术合作")
    assert (created.stage, created.agreement_date, str(created.planned_investment)) == (
        "agreement",
        dt.date(2026, 5, 6),
        "350.00",
    )
    assert sorted(created.universities.values_list("name", flat=True)) == [
        "中国农业大学",
        "西北农林科技大学",
    ]
    assert created.created_by == demo_db.users["office"]
    html = upload(client, content)
    assert "将新增 0 项，更新 0 项，2 项无变化" in html
    confirm(client, html)
    assert Cooperation.objects.count() == count + 2


def test_an_export_imports_back_unchanged(demo_db: Demo) -> None:
    client = demo_db.client("office")
    response = client.get(reverse("cooperation:cooperation_list"), {"export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.active is not None
    assert (
        book.active.max_row == 122
    )  # the 120 of the case, the enterprise's pending intention, the header
    html = upload(client, response.content, "export.xlsx")
    assert "将新增 0 项，更新 0 项，121 项无变化" in html
    csv_response = client.get(
        reverse("cooperation:cooperation_list"), {"export": "csv", "stage": "landed"}
    )
    html = upload(client, csv_response.content, "export.csv")
    assert "将新增 0 项，更新 0 项，63 项无变化" in html


def test_an_edited_export_updates_and_moves_forward(demo_db: Demo) -> None:
    client = demo_db.client("office")
    coop = Cooperation.objects.filter(stage="intention").order_by("pk").first()
    assert coop is not None
    response = client.get(
        reverse("cooperation:cooperation_list"), {"export": "xlsx", "q": coop.code}
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    assert sheet.max_row == 2
    columns = {c.value: int(c.column or 0) for c in sheet[1]}
    sheet.cell(row=2, column=columns["阶段"], value="签约")
    sheet.cell(row=2, column=columns["签约日期"], value=dt.date(2022, 1, 10))
    buffer = io.BytesIO()
    book.save(buffer)
    html = upload(client, buffer.getvalue())
    assert "将新增 0 项，更新 1 项，0 项无变化" in html
    confirm(client, html)
    coop.refresh_from_db()
    assert (coop.stage, coop.agreement_date) == ("agreement", dt.date(2022, 1, 10))
    assert coop.stage_events.order_by("id").last().reason == "Excel导入更新"  # type: ignore[union-attr]


def test_going_back_through_an_import_is_refused(demo_db: Demo) -> None:
    client = demo_db.client("office")
    coop = Cooperation.objects.filter(stage="landed").order_by("pk").first()
    assert coop is not None
    response = client.get(
        reverse("cooperation:cooperation_list"), {"export": "xlsx", "q": coop.code}
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    columns = {c.value: int(c.column or 0) for c in sheet[1]}
    sheet.cell(row=2, column=columns["阶段"], value="签约")
    sheet.cell(row=2, column=columns["落地日期"], value=None)
    sheet.cell(row=2, column=columns["落地投资（万元）"], value=0)
    buffer = io.BytesIO()
    book.save(buffer)
    html = upload(client, buffer.getvalue())
    assert errors_of(html) == [("2", "K", "阶段", "阶段不能在此修改")]


def test_a_file_without_a_required_column_is_refused(demo_db: Demo) -> None:
    headers = [h for h in HEADERS if h != "合作高校"] + ["备用列"]
    html = upload(demo_db.client("office"), workbook([], headers=headers))
    assert errors_of(html) == [("1", "—", "合作高校", "缺少必填列“合作高校”")]
    assert "未使用的列：备用列" in html
    assert 'name="skip_invalid"' not in html
    assert 'action="/imports/cooperations/confirm/"' not in html


def test_a_town_imports_only_within_its_scope(demo_db: Demo) -> None:
    client = demo_db.client("town")
    html = upload(
        client,
        workbook(
            [
                row(登记单位="开张镇", 本地合作方="东开张村", 所属基地=None),
                row(
                    合作名称="越权",
                    登记单位="开张镇",
                    本地合作方="中车永济电机有限公司",
                    所属基地=None,
                ),
            ]
        ),
    )
    assert errors_of(html) == [
        ("3", "D", "本地合作方", "找不到单位“中车永济电机有限公司”（或不在您的数据范围内）")
    ]


def test_the_import_needs_the_permission(demo_db: Demo) -> None:
    response = demo_db.client("leader").get(reverse("cooperation:import_upload"))
    assert response.status_code == 403


# University names: the same resolution as every import -----------------------------------------


def test_universities_written_as_pinyin_initials_are_resolved_and_shown(demo_db: Demo) -> None:
    client = demo_db.client("office")
    content = workbook([row(合作高校="xbnlkjdx、zgnydx")])
    report = excel.import_file(
        user=demo_db.users["office"], data=content, filename="ledger.xlsx", commit=False
    )
    assert (report.ok, report.created) == (True, 1)
    assert report.notes == [
        (2, "“xbnlkjdx”按拼音首字母识别为西北农林科技大学"),
        (2, "“zgnydx”按拼音首字母识别为中国农业大学"),
    ]
    html = upload(client, content)
    assert "第2行：“xbnlkjdx”按拼音首字母识别为西北农林科技大学" in html
    confirm(client, html)
    created = Cooperation.objects.get(title="芦笋深加工技术合作")
    assert sorted(created.universities.values_list("name", flat=True)) == [
        "中国农业大学",
        "西北农林科技大学",
    ]


def test_uncertain_university_names_are_refused_naming_the_candidates(demo_db: Demo) -> None:
    client = demo_db.client("office")
    count = Cooperation.objects.count()
    html = upload(
        client,
        workbook(
            [
                row(合作高校="中国农大"),
                row(合作名称="第二项", 合作高校="西北农林大学"),
                row(合作名称="第三项", 合作高校="sxsfdx"),
                row(合作名称="第四项", 合作高校="火星大学"),
            ]
        ),
    )
    assert errors_of(html) == [
        (
            "2", "E", "合作高校",
            "“中国农大”未能确认：是否为“中国农业大学”（置信度 86%）？请改用全称或学校标识码",
        ),
        (
            "3", "E", "合作高校",
            "“西北农林大学”未能确认：是否为“西北农林科技大学”（置信度 86%）、“西北大学”（置信度 80%）？"
            "请改用全称或学校标识码",
        ),
        ("4", "E", "合作高校", "“sxsfdx”可能是山西师范大学、陕西师范大学，请写全称"),
        ("5", "E", "合作高校", "无法识别高校“火星大学”，请写全称、常用简称或学校标识码"),
    ]  # fmt: skip
    assert Cooperation.objects.count() == count


def test_a_confident_fuzzy_match_is_accepted_and_the_preview_says_so(demo_db: Demo) -> None:
    client = demo_db.client("office")
    content = workbook([row(合作高校="西安交大学、西北农林")])
    report = excel.import_file(
        user=demo_db.users["office"], data=content, filename="ledger.xlsx", commit=False
    )
    assert (report.ok, report.created, report.committed) == (True, 1, False)
    assert report.notes == [(2, "“西安交大学”按相似度识别为西安交通大学（置信度 91%）")]
    html = upload(client, content)
    assert "第2行：“西安交大学”按相似度识别为西安交通大学（置信度 91%）" in html
    confirm(client, html)
    created = Cooperation.objects.get(title="芦笋深加工技术合作")
    assert sorted(created.universities.values_list("name", flat=True)) == [
        "西北农林科技大学",
        "西安交通大学",
    ]
