"""Exports: masked by default, full only with the permission, a second person's approval
(``tests/pii_grants.py``) and when asked, logged with
who, which filter, how many rows and the file's hash, watermarked, and at most 20 an hour."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Demo
from tests.pii_grants import grant_pii
from yanzhen.audit.models import ExportLog, SecurityEvent
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.models import Person

pytestmark = pytest.mark.usefixtures("demo_db")


def csv_rows(content: bytes) -> list[str]:
    return content.decode("utf-8-sig").strip().splitlines()


def test_people_exports_are_masked_unless_asked_by_who_may(demo_db: Demo) -> None:
    person = Person.objects.filter(unit__name="永济市工业和信息化局").order_by("pk").first()
    assert person is not None
    url = reverse("core:person_list")
    params = {"q": person.name, "export": "csv"}
    masked = "\n".join(csv_rows(demo_db.client("office").get(url, params).content))
    assert person.id_number not in masked
    assert f"{person.id_number[:4]}**********{person.id_number[-4:]}" in masked
    grant_pii(demo_db.users["office"], "export", list_title="人员")
    full = "\n".join(
        csv_rows(demo_db.client("office").get(url, {**params, "unmasked": "1"}).content)
    )
    assert person.id_number in full
    assert person.mobile in full
    base = "\n".join(csv_rows(demo_db.client("base").get(url, {**params, "unmasked": "1"}).content))
    assert person.id_number not in base
    assert list(ExportLog.objects.order_by("id").values_list("user__username", "unmasked")) == [
        ("office", False), ("office", True), ("base", False),
    ]  # fmt: skip


def test_each_export_is_logged_and_watermarked(demo_db: Demo) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC), tick=False):
        response = demo_db.client("leader").get(
            reverse("cooperation:cooperation_list"), {"channel": "invite", "export": "xlsx"}
        )
    book = load_workbook(io.BytesIO(response.content))
    mark = "雁阵导出 · leader · 2026-11-27 16:30:00 +0800 · 内部资料 注意保密"
    assert book["导出信息"]["A1"].value == mark
    assert book.properties.creator == mark
    rows = book["合作台账"].max_row - 1
    log = ExportLog.objects.get()
    assert (log.user.username, log.title, log.filters, log.fmt, log.rows) == (
        "leader",
        "合作台账",
        {"channel": "invite"},
        "xlsx",
        rows,
    )
    assert log.sha256 == hashlib.sha256(response.content).hexdigest()
    event = SecurityEvent.objects.get(kind="export")
    assert event.detail["rows"] == rows


def test_at_most_twenty_exports_an_hour(demo_db: Demo) -> None:
    client = demo_db.client("town")
    url = reverse("cooperation:cooperation_list")
    start = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for n in range(20):
            clock.move_to(start + dt.timedelta(minutes=2 * n))
            assert client.get(url, {"export": "csv"}).status_code == 200
        refused = client.get(url, {"export": "csv"})
        assert refused.status_code == 429
        assert "每个账户每小时最多导出 20 次" in refused.content.decode()
        clock.move_to(start + dt.timedelta(minutes=61))
        assert client.get(url, {"export": "csv"}).status_code == 200
    assert ExportLog.objects.count() == 21


def test_a_list_longer_than_one_export_may_be_is_refused_with_nothing_exported(
    demo_db: Demo,
) -> None:
    """Before, the first ``YANZHEN_EXPORT_MAX_ROWS`` rows were written and the rest silently
    left out; on the ledger benchmark's million cooperations the request ran for minutes."""
    url = reverse("cooperation:cooperation_list")
    office = demo_db.client("office")
    with override_settings(YANZHEN_EXPORT_MAX_ROWS=50):
        response = office.get(url, {"export": "xlsx"})
        body = response.content.decode()
        assert response.status_code == 422
        assert "筛选结果共 121 行，超过单次导出的上限 50 行，未导出。" in body
        assert "请按年份、阶段或单位等条件筛选后分批导出。" in body
        assert not ExportLog.objects.exists()
        narrowed = office.get(url, {"export": "xlsx", "stage": "dropped"})
    assert narrowed.status_code == 200
    rows = load_workbook(io.BytesIO(narrowed.content))["合作台账"].max_row - 1
    dropped = cooperation_qs(demo_db.users["office"]).filter(stage="dropped").count()
    assert rows == dropped == 4
    assert list(ExportLog.objects.values_list("rows", flat=True)) == [rows]
    with override_settings(YANZHEN_EXPORT_MAX_ROWS=121):
        assert office.get(url, {"export": "xlsx"}).status_code == 200
    assert list(ExportLog.objects.order_by("id").values_list("rows", flat=True)) == [rows, 121]
