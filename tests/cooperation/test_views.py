"""The ledger's pages: forms with errors beside their fields, moves, files, filters, exports."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation, StageEvent

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def form(**overrides: str) -> dict[str, str]:
    from yanzhen.core.models import Unit

    values = {
        "title": "芦笋品种选育合作",
        "owner_unit": str(Unit.objects.get(name="开张镇").pk),
        "parties": "山西长荣农业科技股份有限公司、东开张村",
        "universities": "西农、4114010113",
        "channel": "find",
        "kind": "research",
        "stage": "intention",
        "intention_date": "2026-09-01",
        "planned_investment": "80",
    }
    values.update(overrides)
    return values


def field_errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" role="alert">(.*?)</p>', html)


def test_a_town_registers_a_cooperation_by_names(demo_db: Demo) -> None:
    client = demo_db.client("town")
    response = client.post(reverse("cooperation:cooperation_new"), form())
    assert response.status_code == 302
    created = Cooperation.objects.get(title="芦笋品种选育合作")
    assert response["Location"] == reverse(
        "cooperation:cooperation_detail", kwargs={"pk": created.pk}
    )
    assert sorted(created.parties.values_list("name", flat=True)) == [
        "东开张村",
        "山西长荣农业科技股份有限公司",
    ]
    assert sorted(created.universities.values_list("name", flat=True)) == [
        "山西农业大学",
        "西北农林科技大学",
    ]
    assert created.created_by == demo_db.users["town"]


def test_the_form_shows_each_error_beside_its_field(demo_db: Demo) -> None:
    client = demo_db.client("town")
    count = Cooperation.objects.count()
    response = client.post(
        reverse("cooperation:cooperation_new"),
        form(parties="中车永济电机有限公司", universities="山大、火星大学", stage="landed"),
    )
    assert response.status_code == 200
    assert field_errors(response.content.decode()) == [
        "找不到单位“中车永济电机有限公司”（或不在您的数据范围内）",
        "“山大”对应多所高校，请写全称",
        "找不到高校“火星大学”，请写全称、简称或学校标识码",
    ]
    response = client.post(
        reverse("cooperation:cooperation_new"), form(stage="landed", landed_date="2026-10-01")
    )
    assert field_errors(response.content.decode()) == ["阶段为“落地”时必须填写签约日期"]
    assert Cooperation.objects.count() == count


def test_moves_through_the_page_with_evidence(demo_db: Demo) -> None:
    client = demo_db.client("office")
    coop = Cooperation.objects.filter(stage="intention").order_by("pk").first()
    assert coop is not None
    url = reverse("cooperation:cooperation_move", kwargs={"pk": coop.pk})
    response = client.post(url, {"target": "landed", "date": "2026-10-01", "version": coop.version})
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [
        "未签约的合作不能直接落地：请先登记签约（协议）日期"
    ]
    evidence = SimpleUploadedFile("协议.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(
        url,
        {
            "target": "agreement",
            "date": "2026-10-01",
            "evidence": evidence,
            "version": coop.version,
        },
    )
    assert response.status_code == 302
    event = StageEvent.objects.filter(cooperation=coop).order_by("id").last()
    assert event is not None
    assert (event.from_stage, event.to_stage, event.date) == (
        "intention",
        "agreement",
        dt.date(2026, 10, 1),
    )
    download = client.get(reverse("cooperation:evidence_download", kwargs={"pk": event.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"  # type: ignore[attr-defined]
    detail = client.get(
        reverse("cooperation:cooperation_detail", kwargs={"pk": coop.pk})
    ).content.decode()
    assert "意向 → 签约" in detail


def test_attachments_upload_and_download_within_scope(demo_db: Demo) -> None:
    client = demo_db.client("enterprise")
    coop = Cooperation.objects.get(title="牵引电机控制技术联合研发")
    response = client.post(
        reverse("cooperation:attachment_new", kwargs={"pk": coop.pk}),
        {"title": "合作协议", "file": SimpleUploadedFile("agreement.txt", b"signed")},
    )
    assert response.status_code == 302
    attachment = coop.attachments.get()
    url = reverse("cooperation:attachment_download", kwargs={"pk": attachment.pk})
    assert b"".join(client.get(url).streaming_content) == b"signed"  # type: ignore[attr-defined]
    assert demo_db.client("town").get(url).status_code == 404


def test_the_list_filters_and_exports_exactly_the_filtered_rows(demo_db: Demo) -> None:
    client = demo_db.client("office")
    params = {"reached": "agreement", "channel": "invite", "year": "2021"}
    expected = Cooperation.objects.filter(agreement_date__year=2021, channel="invite").count()
    html = client.get(reverse("cooperation:cooperation_list"), params).content.decode()
    assert f"共 {expected} 条" in html
    response = client.get(reverse("cooperation:cooperation_list"), {**params, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.max_row == expected + 1
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    csv_text = client.get(
        reverse("cooperation:cooperation_list"), {**params, "export": "csv"}
    ).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0] == "# 雁阵导出 · office · 2026-11-27 20:00:00 +0800 · 内部资料 注意保密"
    assert len(lines) == expected + 2


def test_the_list_costs_the_same_queries_for_10_or_20_rows(demo_db: Demo) -> None:
    client = demo_db.client("town")
    client.get(reverse("cooperation:cooperation_list"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("cooperation:cooperation_list"), {"stage": "intention"})
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("cooperation:cooperation_list"))
    assert len(small.captured_queries) == len(large.captured_queries) == 13


def test_the_enterprise_cannot_export_what_it_cannot_see(demo_db: Demo) -> None:
    response = demo_db.client("enterprise").get(
        reverse("cooperation:cooperation_list"), {"export": "csv"}
    )
    rows = response.content.decode("utf-8-sig").strip().splitlines()[1:]
    assert len(rows) == 1 + 7  # with its new intention, waiting for review
    assert all("中车永济电机有限公司" in row for row in rows[1:])


def test_a_base_page_shows_its_four_ones_and_figures(demo_db: Demo) -> None:
    from yanzhen.cooperation.models import Base

    base = Base.objects.get(code="YJ-B01")
    html = (
        demo_db.client("base")
        .get(reverse("cooperation:base_detail", kwargs={"pk": base.pk}))
        .content.decode()
    )
    assert "市委常委、常务副市长" in html
    assert "永济市工业和信息化局" in html
    assert "专班组长" in html
    assert "轨道交通与电机电器产学研基地工作方案" in html
    assert "推动项目落地见效" in html
    intentions = re.search(r'reached=intention"><span class="value">(\d+)</span>', html)
    assert intentions is not None
    assert int(intentions.group(1)) == Cooperation.objects.filter(base=base).count()


@override_settings(YANZHEN_PAGE_SIZE=5)
def test_the_base_list_pages_its_bases_and_exports_them_all(demo_db: Demo) -> None:
    from yanzhen.cooperation.models import Base

    client = demo_db.client("office")
    names = list(Base.objects.order_by("sort_order", "id").values_list("name", flat=True))
    url = reverse("cooperation:base_list")
    shown = []
    for number in (1, 2, 3):
        html = client.get(url, {"page": number}).content.decode()
        assert "共 12 条" in html
        shown.append(re.findall(r'<td><a href="/cooperation/bases/\d+/">([^<]+)</a></td>', html))
    assert [len(s) for s in shown] == [5, 5, 2]
    assert [name for page in shown for name in page] == names
    book = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    sheet = book.active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == names
