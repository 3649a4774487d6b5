"""Files going out and coming in, on the Yongji demo: no export carries a live formula (names
that look like formulas stay text, and come back unchanged through an import); every import
is in the security log; the export log masks ID numbers typed into a filter; uploads past
their bounds are refused in Chinese."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.conftest import Demo
from tests.core.hostile_files import zeros_member
from yanzhen.assessment.models import Score
from yanzhen.audit.models import ExportLog, SecurityEvent
from yanzhen.cooperation import excel as cooperation_excel
from yanzhen.cooperation.models import Attachment, Cooperation
from yanzhen.core.excel import Column, read_table, write_csv, write_xlsx
from yanzhen.core.models import Person, Unit
from yanzhen.core.selectors import unit_qs
from yanzhen.demand.models import Expert, SurveyCampaign, TalentNeed

HOSTILE = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")
# What the platform can hold as a title or a user name (forms and services trim whitespace).
STORED = HOSTILE[:4]


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def xlsx_cells(content: bytes, header: str) -> list[tuple[object, str, bool]]:
    """``(value, data_type, quotePrefix)`` of each cell under ``header`` in the first sheet;
    and no cell of any sheet is a formula."""
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    index = headers.index(header)
    return [
        (row[index].value, row[index].data_type, bool(row[index].quotePrefix))
        for row in sheet.iter_rows(min_row=2)
    ]


def csv_column(content: bytes, header: str) -> list[str]:
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    lines = [line for line in lines if not (line and line[0].startswith("#"))]
    index = lines[0].index(header)
    return [line[index] for line in lines[1:]]


def assert_neutralised(
    content_xlsx: bytes, content_csv: bytes, header: str, values: tuple[str, ...] = HOSTILE
) -> None:
    cells = xlsx_cells(content_xlsx, header)
    for value in values:
        assert (value, "s", True) in cells, value
    column = csv_column(content_csv, header)
    for value in values:
        assert "'" + value in column, value
        assert value not in column


def test_a_name_that_looks_like_a_formula_stays_text_in_every_register(demo_db: Demo) -> None:
    people = list(Person.objects.order_by("pk")[: len(HOSTILE)])
    for person, name in zip(people, HOSTILE, strict=True):
        Person.objects.filter(pk=person.pk).update(name=name)
    # The office's units (运城市, created first, is above its scope and not in its register).
    office_units = unit_qs(demo_db.users["office"])
    units = list(office_units.filter(parent__isnull=False).order_by("pk")[: len(HOSTILE)])
    for unit, name in zip(units, HOSTILE, strict=True):
        Unit.objects.filter(pk=unit.pk).update(name=name)
    cooperations = list(Cooperation.objects.order_by("pk")[: len(HOSTILE)])
    for cooperation, title in zip(cooperations, HOSTILE, strict=True):
        Cooperation.objects.filter(pk=cooperation.pk).update(title=title)
    client = demo_db.client("office")
    for url, header in (
        (reverse("core:person_list"), "姓名"),
        (reverse("core:unit_list"), "名称"),
        (reverse("cooperation:cooperation_list"), "合作名称"),
    ):
        xlsx = client.get(url, {"export": "xlsx"})
        csv_ = client.get(url, {"export": "csv"})
        assert (xlsx.status_code, csv_.status_code) == (200, 200)
        assert_neutralised(xlsx.content, csv_.content, header)


def test_a_failed_login_as_a_formula_is_text_in_the_auditors_export(demo_db: Demo) -> None:
    for name in HOSTILE:
        Client().post(reverse("core:login"), {"username": name, "password": "Wrong-Pass-99!"})
    logged = (*STORED, "=1")  # the login form trims the TAB and the CR
    assert set(
        SecurityEvent.objects.filter(kind="login_failed").values_list("username", flat=True)
    ) == set(logged)
    auditor = demo_db.client("auditor")
    url = reverse("audit:event_list")
    xlsx = auditor.get(url, {"kind": "login_failed", "export": "xlsx"})
    csv_ = auditor.get(url, {"kind": "login_failed", "export": "csv"})
    assert (xlsx.status_code, csv_.status_code) == (200, 200)
    assert_neutralised(xlsx.content, csv_.content, "账户", logged)


def test_an_export_with_formula_like_titles_imports_back_unchanged(demo_db: Demo) -> None:
    for cooperation, title in zip(
        Cooperation.objects.order_by("pk")[: len(STORED)], STORED, strict=True
    ):
        Cooperation.objects.filter(pk=cooperation.pk).update(title=title)
    client = demo_db.client("office")
    office = demo_db.users["office"]
    before = dict(Cooperation.objects.values_list("pk", "title"))
    for fmt in ("xlsx", "csv"):
        content = client.get(reverse("cooperation:cooperation_list"), {"export": fmt}).content
        report = cooperation_excel.import_file(
            user=office, data=content, filename=f"export.{fmt}", commit=True
        )
        assert (report.errors, report.created, report.updated, report.unchanged) == (
            [], 0, 0, 121,
        )  # fmt: skip
    assert dict(Cooperation.objects.values_list("pk", "title")) == before
    titles = Cooperation.objects.filter(title__in=STORED).values_list("title", flat=True)
    assert sorted(titles) == sorted(STORED)


def test_numbers_stay_numbers_and_only_the_added_quote_is_stripped() -> None:
    columns = (
        Column("name", "名称"),
        Column("n", "数量", kind="int"),
        Column("x", "金额", kind="decimal"),
    )
    rows = [["-5", -2, Decimal("-3.50")], ["'=1", 0, Decimal("1.25")], ["'plain", 7, Decimal(0)]]
    book = load_workbook(io.BytesIO(write_xlsx("表", columns, rows)))
    sheet = book.worksheets[0]
    assert [(c.value, c.data_type) for c in sheet[2]] == [("-5", "s"), (-2, "n"), (-3.5, "n")]
    assert [(c.value, c.quotePrefix) for c in sheet[3]][:1] == [("'=1", False)]  # no formula
    text = write_csv(columns, rows).decode("utf-8-sig")
    assert text.splitlines() == ["名称,数量,金额", "-5,-2,-3.50", "''=1,0,1.25", "'plain,7,0"]
    parsed, errors = read_table(write_csv(columns, rows), "a.csv", columns)
    assert errors == []
    assert [r.values for r in parsed] == [
        {"name": "-5", "n": -2, "x": Decimal("-3.50")},
        {"name": "'=1", "n": 0, "x": Decimal("1.25")},
        {"name": "'plain", "n": 7, "x": Decimal("0.00")},
    ]


def test_the_circular_keeps_formula_like_names_as_text_and_is_logged(demo_db: Demo) -> None:
    score = Score.objects.order_by("period_id", "rank").first()
    assert score is not None
    Score.objects.filter(pk=score.pk).update(name="=1+1")
    client = demo_db.client("office")
    url = reverse("assessment:period_detail", args=[score.period_id])
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert [(c.data_type, c.quotePrefix) for c in cells if c.value == "=1+1"] == [("s", True)]
    assert book.properties.creator.startswith("雁阵导出 · office · 2026-11-27 20:00:00 +0800")
    log = ExportLog.objects.get()
    assert (log.user.username, log.title, log.fmt) == (
        "office", f"{score.period.name}考核结果通报", "xlsx",
    )  # fmt: skip


def test_the_export_log_masks_id_numbers_and_mobiles_typed_in_a_filter(demo_db: Demo) -> None:
    person = Person.objects.exclude(id_number="").order_by("pk").first()
    assert person is not None
    client = demo_db.client("office")
    client.get(reverse("core:person_list"), {"q": person.id_number, "export": "csv"})
    client.get(reverse("core:person_list"), {"q": f"电话{person.mobile}", "export": "csv"})
    logged = [log.filters for log in ExportLog.objects.order_by("pk")]
    masked_id = person.id_number[:4] + "*" * 10 + person.id_number[-4:]
    masked_mobile = person.mobile[:3] + "****" + person.mobile[-4:]
    assert logged == [{"q": masked_id}, {"q": f"电话{masked_mobile}"}]
    shown = demo_db.client("auditor").get(reverse("audit:export_list")).content.decode()
    assert person.id_number not in shown
    assert person.mobile not in shown


# Imports: each in the security log, all or nothing -------------------------------------------


def ledger(rows: list[dict[str, object]]) -> bytes:
    headers = [c.header for c in cooperation_excel.columns()]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_row(title: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "合作名称": title,
        "登记单位": "永济市省校合作办公室",
        "本地合作方": "山西长荣农业科技股份有限公司",
        "合作高校": "西北农林、中国农业大学",
        "对接渠道": "企业自主找",
        "合作类型": "联合研发",
        "所属基地": "现代农业科技示范基地",
        "本地产业": "芦笋",
        "阶段": "意向",
        "意向日期": dt.date(2026, 3, 2),
    }
    row.update(values)
    return row


def token_of(html: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f]+)"', html)
    assert match is not None, html
    return match.group(1)


def import_events() -> list[dict[str, object]]:
    return [e.detail for e in SecurityEvent.objects.filter(kind="import").order_by("pk")]


def test_every_ledger_import_is_in_the_security_log(demo_db: Demo) -> None:
    client = demo_db.client("office")
    count = Cooperation.objects.count()
    clean = ledger([good_row("芦笋加工甲"), good_row("芦笋加工乙")])
    html = client.post(
        reverse("cooperation:import_upload"), {"file": SimpleUploadedFile("a.xlsx", clean)}
    ).content.decode()
    assert Cooperation.objects.count() == count  # the dry run writes nothing
    response = client.post(reverse("cooperation:import_confirm"), {"token": token_of(html)})
    assert response.status_code == 302
    assert Cooperation.objects.count() == count + 2
    bad = ledger([good_row("芦笋加工丙", 阶段="落地"), good_row("芦笋加工丁", 对接渠道="飞鸽")])
    html = client.post(
        reverse("cooperation:import_upload"), {"file": SimpleUploadedFile("b.xlsx", bad)}
    ).content.decode()
    assert "发现 3 处错误，整表未导入" in html
    client.post(reverse("cooperation:import_upload"), {"file": SimpleUploadedFile("c.txt", b"x")})
    again = client.post(
        reverse("cooperation:import_upload"), {"file": SimpleUploadedFile("a.xlsx", clean)}
    ).content.decode()
    assert "将新增 0 项，更新 0 项，2 项无变化" in again  # re-import: 0 duplicates
    assert Cooperation.objects.count() == count + 2
    events = import_events()
    digest = hashlib.sha256(clean).hexdigest()
    counts = ("rows", "created", "updated", "unchanged", "errors")
    assert [
        (e["register"], e["dry_run"], e["result"], e.get("sha256"), *(e.get(k) for k in counts))
        for e in events
    ] == [
        ("合作台账", True, "checked", digest, 2, 2, 0, 0, 0),
        ("合作台账", False, "committed", digest, 2, 2, 0, 0, 0),
        ("合作台账", True, "rejected", hashlib.sha256(bad).hexdigest(), 2, 0, 0, 0, 3),
        (
            "合作台账",
            True,
            "refused",
            hashlib.sha256(b"").hexdigest(),
            None,
            None,
            None,
            None,
            None,
        ),
        ("合作台账", True, "checked", digest, 2, 0, 0, 2, 0),
    ]
    assert events[3]["reason"] == "只支持 .xlsx、.xls 和 .csv 文件"
    assert set(SecurityEvent.objects.filter(kind="import").values_list("username", flat=True)) == {
        "office"
    }


def test_a_preview_can_be_cancelled_and_its_file_is_gone(demo_db: Demo) -> None:
    from yanzhen.core.imports import preview_dir

    client = demo_db.client("office")
    html = client.post(
        reverse("cooperation:import_upload"),
        {"file": SimpleUploadedFile("a.xlsx", ledger([good_row("芦笋加工戊")]))},
    ).content.decode()
    token = token_of(html)
    assert (preview_dir() / f"{token}.bin").exists()
    client.post(reverse("cooperation:import_confirm"), {"token": token, "cancel": "1"})
    assert not (preview_dir() / f"{token}.bin").exists()
    assert client.post(reverse("cooperation:import_confirm"), {"token": token}).status_code == 404
    assert not Cooperation.objects.filter(title="芦笋加工戊").exists()


def test_imports_of_needs_and_experts_are_in_the_security_log(demo_db: Demo) -> None:
    client = demo_db.client("office")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    from yanzhen.demand import excel as demand_excel

    sheet.append([c.header for c in demand_excel.EXPERT_COLUMNS])
    sheet.append(["田振华", "西安电子科技大学", "", "教授", "", "0809", "集成电路设计", "", ""])
    sheet.append(["", "火星大学", "", "", "", "", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    experts = Expert.objects.count()
    html = client.post(
        reverse("demand:expert_import"),
        {"file": SimpleUploadedFile("专家.xlsx", buffer.getvalue())},
    ).content.decode()
    assert "整表未导入" in html
    assert Expert.objects.count() == experts
    needs = TalentNeed.objects.count()
    client.post(reverse("demand:need_import"), {"file": SimpleUploadedFile("a.xlsx", b"PK")})
    assert TalentNeed.objects.count() == needs
    assert [
        (e["register"], e["dry_run"], e["result"], e.get("errors")) for e in import_events()
    ] == [
        ("专家", True, "rejected", 3),
        ("人才需求", True, "refused", None),
    ]


# Upload bounds through the pages ---------------------------------------------------------------


def test_a_21_mb_import_is_refused_in_chinese_and_logged(demo_db: Demo) -> None:
    client = demo_db.client("office")
    before = Cooperation.objects.count()
    big = SimpleUploadedFile("ledger.csv", b"0" * (21 * 1024 * 1024))
    response = client.post(reverse("cooperation:import_upload"), {"file": big})
    assert response.status_code == 200
    assert "文件过大：上限 20 MB" in response.content.decode()
    assert Cooperation.objects.count() == before
    event = SecurityEvent.objects.get(kind="import")
    assert (event.username, event.detail["register"], event.detail["result"]) == (
        "office", "合作台账", "refused",
    )  # fmt: skip
    assert event.detail["reason"] == "文件过大：上限 20 MB"


def test_attachments_and_evidence_are_bounded(demo_db: Demo) -> None:
    from pathlib import Path

    client = demo_db.client("office")
    cooperation = Cooperation.objects.order_by("pk").first()
    assert cooperation is not None
    url = reverse("cooperation:attachment_new", args=[cooperation.pk])
    before = Attachment.objects.count()
    big = SimpleUploadedFile("plan.pdf", b"%PDF" + b"0" * (21 * 1024 * 1024))
    response = client.post(url, {"title": "方案", "file": big}, follow=True)
    assert "文件：文件过大：上限 20 MB" in response.content.decode()
    bomb = SimpleUploadedFile("plan.docx", zeros_member("word/media/a.bin", 150))
    response = client.post(url, {"title": "方案", "file": bomb}, follow=True)
    assert "文件：压缩比异常：上限 100 倍" in response.content.decode()
    assert Attachment.objects.count() == before
    client.post(url, {"title": "方案", "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 small")})
    attachment = Attachment.objects.latest("pk")
    assert attachment.file.read() == b"%PDF-1.4 small"
    assert Path(attachment.file.path).stat().st_mode & 0o777 == 0o600


def test_the_import_templates_keep_choices_as_text(demo_db: Demo) -> None:
    campaign = SurveyCampaign.objects.order_by("pk").first()
    assert campaign is not None
    SurveyCampaign.objects.filter(pk=campaign.pk).update(title="@SUM(A1)")
    content = demo_db.client("office").get(reverse("demand:need_import_template")).content
    book = load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert [(c.data_type, c.quotePrefix) for c in cells if c.value == "@SUM(A1)"] == [("s", True)]
