"""The ledger from an office's own spreadsheet, through the one import flow (pages and core)."""

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
from openpyxl import load_workbook

from tests.conftest import Demo
from tests.imports.sheets import ledger_row, office_ledger, serial
from yanzhen.audit.models import SecurityEvent
from yanzhen.cooperation import tally
from yanzhen.cooperation.importers import CooperationRegister
from yanzhen.cooperation.models import Cooperation, CooperationTally
from yanzhen.core import importing
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ImportBatch, ImportMapping

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def good_rows() -> list[list[object]]:
    return [
        ledger_row(1, "芦笋冻干技术合作", 签约时间="2021年4月1日"),
        ledger_row(
            2,
            "冬枣保鲜合作",
            意向时间=serial(dt.date(2021, 5, 6)),
            对接方式="邀",
            落地时间=None,
            计划投资="1.2亿",
        ),
        ledger_row(
            3,
            "光伏运维实训",
            意向时间="20210707",
            签约时间="2021/08/01",
            落地时间="２０２１．９．１",
            合作类型="实习实训",
            合作院校="西交大",
        ),
    ]


def run(data: bytes, demo: Demo, **options: object) -> importing.ImportResult:
    return importing.run(
        CooperationRegister(),
        user=demo.users["office"],
        data=data,
        filename="台账.xlsx",
        sheet="2021年台账",
        **options,  # type: ignore[arg-type]
    )


def test_an_office_ledger_is_read_as_the_office_keeps_it(demo_db: Demo) -> None:
    result = run(office_ledger(good_rows()), demo_db)
    assert result.errors == []
    assert (result.rows, result.valid, result.created) == (3, 3, 3)
    assert result.header is not None
    assert (result.header.first, result.header.last) == (2, 3)
    assert result.mapping is not None
    assert result.mapping.as_dict() == {
        "项目名称": "title",
        "填报单位": "owner_unit",
        "合作企业": "parties",
        "合作院校": "universities",
        "对接方式": "channel",
        "合作类型": "kind",
        "合作时间/意向时间": "intention_date",
        "合作时间/签约时间": "agreement_date",
        "合作时间/落地时间": "landed_date",
        "计划投资": "planned_investment",
    }
    assert result.unused == ["序号", "备注"]
    assert [(s.row, s.reason) for s in result.skipped] == [
        (8, "空行"),
        (9, "合计行"),
        (10, "填表人、审核人等落款"),
    ]
    assert result.committed is False
    assert not Cooperation.objects.filter(title="芦笋冻干技术合作").exists()


def test_a_commit_writes_every_row_with_its_derived_stage_and_again_adds_nothing(
    demo_db: Demo,
) -> None:
    count = Cooperation.objects.count()
    counted = sum(CooperationTally.objects.values_list("count", flat=True))
    data = office_ledger(good_rows())
    result = run(data, demo_db, commit=True)
    assert (result.committed, result.created, result.updated, result.unchanged) == (
        True,
        3,
        0,
        0,
    )
    assert Cooperation.objects.count() == count + 3
    assert sum(CooperationTally.objects.values_list("count", flat=True)) > counted
    rows = {
        c.title: c
        for c in Cooperation.objects.filter(
            title__in=["芦笋冻干技术合作", "冬枣保鲜合作", "光伏运维实训"]
        )
    }
    first, second, third = rows["芦笋冻干技术合作"], rows["冬枣保鲜合作"], rows["光伏运维实训"]
    assert (first.stage, first.intention_date, first.agreement_date) == (
        "agreement",
        dt.date(2021, 3, 5),
        dt.date(2021, 4, 1),
    )
    assert (second.stage, second.channel, str(second.planned_investment)) == (
        "intention",
        "invite",
        "12000.00",
    )
    assert (third.stage, third.kind, third.landed_date) == (
        "landed",
        "internship",
        dt.date(2021, 9, 1),
    )
    assert list(third.universities.values_list("name", flat=True)) == ["西安交通大学"]
    assert str(first.planned_investment) == "1200.00"
    assert tally.differences() == []  # the figures of the bulk write are those of a recount
    assert first.history.count() == 1
    assert first.history.get().history_related == {
        "parties": list(first.parties.values_list("pk", flat=True)),
        "universities": list(first.universities.values_list("pk", flat=True)),
    }
    again = run(data, demo_db, commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Cooperation.objects.count() == count + 3


def test_every_error_of_every_row_is_listed_and_nothing_is_written(demo_db: Demo) -> None:
    count = Cooperation.objects.count()
    rows = [
        *good_rows(),
        ledger_row(4, "错误甲", 意向时间="去年", 合作院校="山大", 对接方式="电话"),
        ledger_row(5, None, 填报单位="不存在的局"),
        ledger_row(6, "芦笋冻干技术合作", 签约时间="2021年4月1日"),
        ledger_row(7, "日期倒置", 签约时间="2021.1.1"),
    ]
    result = run(office_ledger(rows), demo_db, commit=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (8, "E", "“山大”可能是山东大学、山西大学，请写全称"),
        (8, "F", "“电话”不在可选值中（领导上门邀、企业自主找、在外人才引、优势产业聚、其他）"),
        (8, "H", "“去年”不是日期（可写成 2021-03-05、2021.3.5、2021/03/05 或 2021年3月5日）"),
        (9, "B", "合作名称不能为空"),
        (9, "C", "找不到单位“不存在的局”（或不在您的数据范围内）"),
        (10, "B", "与第5行是同一项合作"),
        (11, "I", "签约日期不能早于意向日期"),
    ]
    assert (result.rows, result.valid, result.committed) == (7, 3, False)
    assert Cooperation.objects.count() == count
    assert not ImportBatch.objects.exists()


def test_skip_invalid_commits_the_valid_rows_and_the_error_workbook_holds_the_rest(
    demo_db: Demo,
) -> None:
    count = Cooperation.objects.count()
    rows = [*good_rows(), ledger_row(4, "@SUM(A1)", 意向时间="去年")]
    data = office_ledger(rows)
    result = run(data, demo_db, commit=True, skip_invalid=True)
    assert (result.committed, result.created, result.left_out) == (True, 3, 1)
    assert Cooperation.objects.count() == count + 3
    book = load_workbook(io.BytesIO(importing.error_workbook(data, "台账.xlsx", result)))
    sheet = book["错误行"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["原行号", "序号", "项目名称"]
    assert values[0][-1] == "错误说明"
    assert len(values) == 2
    assert values[1][:3] == [8, 4, "@SUM(A1)"]
    assert sheet.cell(row=2, column=3).quotePrefix  # a text, never a formula
    assert values[1][-1] == (
        "H列（合作时间/意向时间）：“去年”不是日期（可写成 2021-03-05、2021.3.5、2021/03/05 或 "
        "2021年3月5日）"
    )


def test_a_batch_is_undone_as_a_whole_within_30_days(demo_db: Demo) -> None:
    count = Cooperation.objects.count()
    figures = list(
        CooperationTally.objects.filter(count__gt=0).order_by("pk").values_list("count", flat=True)
    )
    office = demo_db.users["office"]
    result = run(office_ledger(good_rows()), demo_db, commit=True)
    batch = ImportBatch.objects.get(pk=result.batch_id or 0)
    assert (batch.register, batch.created, batch.items.count()) == ("cooperations", 3, 3)
    changed = ledger_row(1, "芦笋冻干技术合作", 签约时间="2021年4月1日", 落地时间="2021.6.1")
    second = run(office_ledger([changed]), demo_db, commit=True)
    assert (second.updated, second.created) == (1, 0)
    assert Cooperation.objects.get(title="芦笋冻干技术合作").stage == "landed"
    importing.batch_undo(actor=office, batch=ImportBatch.objects.get(pk=second.batch_id or 0))
    assert Cooperation.objects.get(title="芦笋冻干技术合作").stage == "agreement"
    later = dt.datetime(2026, 12, 28, 12, tzinfo=dt.UTC)
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(DomainError, match="只能撤销30天内的导入"),
    ):
        importing.batch_undo(actor=office, batch=batch)
    assert Cooperation.objects.count() == count + 3
    client = demo_db.client("office")
    response = client.post(reverse("core:import_batch_undo", args=[batch.pk]))
    assert response.status_code == 302
    assert Cooperation.objects.count() == count
    assert (
        list(
            CooperationTally.objects.filter(count__gt=0)
            .order_by("pk")
            .values_list("count", flat=True)
        )
        == figures
    )
    again = client.post(reverse("core:import_batch_undo", args=[batch.pk]))
    assert again.status_code == 302
    assert Cooperation.objects.count() == count
    assert (
        demo_db.client("town")
        .post(reverse("core:import_batch_undo", args=[second.batch_id]))
        .status_code
        == 404
    )


def upload(client: Client, data: bytes, name: str = "台账.xlsx", **extra: str) -> str:
    response = client.post(
        reverse("core:import_upload", args=["cooperations"]),
        {"file": SimpleUploadedFile(name, data), **extra},
    )
    assert response.status_code == 200
    return response.content.decode()


def token_of(html: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f]+)"', html)
    assert found is not None, html
    return found.group(1)


def test_the_pages_choose_the_sheet_change_and_save_the_mapping(demo_db: Demo) -> None:
    client = demo_db.client("office")
    html = upload(client, office_ledger(good_rows()))
    # The first sheet is a note: no header there.
    assert "找不到表头" in html
    data = office_ledger(good_rows(), sheet="台账")
    book_first = office_ledger(good_rows())
    assert book_first != data
    # Choose the sheet through the page of a file uploaded: the file's own header is found.
    html = upload(client, _only_ledger(good_rows()))
    token = token_of(html)
    assert "共 3 行记录，其中 3 行无误；跳过 3 行。将新增 3 项" in html
    headers = re.findall(r'name="header" value="([^"]+)"', html)
    assert headers == ["序号", "项目名称", "填报单位", "合作企业", "合作院校", "对接方式",
                       "合作类型", "合作时间/意向时间", "合作时间/签约时间", "合作时间/落地时间",
                       "计划投资", "备注"]  # fmt: skip
    fields = ["", "title", "owner_unit", "parties", "universities", "channel", "kind",
              "intention_date", "agreement_date", "landed_date", "", "description"]  # fmt: skip
    response = client.post(
        reverse("core:import_upload", args=["cooperations"]),
        {"token": token, "header": headers, "field": fields, "mapping_name": "县台账",
         "save_mapping": "1"},
    )  # fmt: skip
    html = response.content.decode()
    assert "已保存列对应方案“县台账”" in html
    saved = ImportMapping.objects.get(register="cooperations", name="县台账").mapping
    assert saved["计划投资"] == ""
    assert saved["备注"] == "description"
    assert "未使用的列：序号、计划投资" in html
    response = client.post(reverse("core:import_confirm", args=["cooperations"]), {"token": token})
    assert response.status_code == 302
    made = Cooperation.objects.get(title="冬枣保鲜合作")
    assert (str(made.planned_investment), made.description) == ("0.00", "")
    events = SecurityEvent.objects.filter(kind="import").order_by("pk")
    assert [(e.detail["register"], e.detail["result"]) for e in events] == [
        ("合作台账", "refused"),
        ("合作台账", "checked"),
        ("合作台账", "checked"),
        ("合作台账", "committed"),
    ]


def _only_ledger(rows: list[list[object]]) -> bytes:
    book = load_workbook(io.BytesIO(office_ledger(rows)))
    del book["说明"]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_page_offers_skip_invalid_and_the_error_workbook(demo_db: Demo) -> None:
    client = demo_db.client("office")
    count = Cooperation.objects.count()
    html = upload(client, _only_ledger([*good_rows(), ledger_row(4, "坏行", 意向时间="去年")]))
    token = token_of(html)
    assert "发现 1 处错误，整表未导入" in html
    assert 'name="skip_invalid"' in html
    errors = client.get(reverse("core:import_errors", args=["cooperations"]), {"token": token})
    assert errors.status_code == 200
    book = load_workbook(io.BytesIO(errors.content))
    assert book["错误行"].max_row == 2
    plain = client.post(reverse("core:import_confirm", args=["cooperations"]), {"token": token})
    assert plain.status_code == 200
    assert Cooperation.objects.count() == count
    response = client.post(
        reverse("core:import_confirm", args=["cooperations"]),
        {"token": token, "skip_invalid": "1"},
    )
    assert response.status_code == 200
    assert "1 行有错误未导入" in response.content.decode()
    assert Cooperation.objects.count() == count + 3


def test_the_ledgers_old_urls_still_import(demo_db: Demo) -> None:
    client = demo_db.client("office")
    response = client.post(
        reverse("cooperation:import_upload"),
        {"file": SimpleUploadedFile("a.xlsx", _only_ledger(good_rows()))},
    )
    html = response.content.decode()
    assert "将新增 3 项" in html
    confirm = client.post(reverse("cooperation:import_confirm"), {"token": token_of(html)})
    assert confirm.status_code == 302
    assert Cooperation.objects.filter(title="冬枣保鲜合作").count() == 1


def test_a_user_without_the_permission_gets_403_and_nothing_is_logged(demo_db: Demo) -> None:
    client = demo_db.client("auditor")
    response = client.post(
        reverse("core:import_upload", args=["cooperations"]),
        {"file": SimpleUploadedFile("a.xlsx", _only_ledger(good_rows()))},
    )
    assert response.status_code == 403
    assert not SecurityEvent.objects.filter(kind="import").exists()
    office = demo_db.client("office")
    assert office.get(reverse("core:import_upload", args=["nothing"])).status_code == 404
