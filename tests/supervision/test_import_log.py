"""The milestones import in the security log: the check, the commit, a rejected file and a
refused one each leave one event; nothing is written before the confirmation, and the same
file imported again adds nothing."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.supervision.conftest import World
from yanzhen.audit.models import SecurityEvent
from yanzhen.supervision import excel
from yanzhen.supervision.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.header for c in excel.columns()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_every_milestone_import_is_in_the_security_log(world: World) -> None:
    client = world.client(world.office_user)
    url = reverse("supervision:milestone_bulk_edit")
    clean = workbook([[None, "B1", "", "新节点", "工信局", "2021-10-31", "", "未开始", None, 0]])
    html = client.post(url, {"file": SimpleUploadedFile("p.xlsx", clean)}).content.decode()
    assert Milestone.objects.count() == 2  # the dry run wrote nothing
    token = html.split('name="token" value="')[1].split('"')[0]
    confirm = reverse("core:import_confirm", args=["milestones"])
    assert client.post(confirm, {"token": token}).status_code == 302
    assert Milestone.objects.count() == 3
    bad = workbook(
        [
            [None, "B9", "", "甲", "工信局", "2021-10-31", "", "未开始", None, 0],
            [None, "B1", "", "乙", "工信局", "不是日期", "", "完成", None, 0],
        ]
    )
    html = client.post(url, {"file": SimpleUploadedFile("b.xlsx", bad)}).content.decode()
    assert "整表未导入" in html
    client.post(url, {"file": SimpleUploadedFile("c.xlsx", b"not a workbook")})
    html = client.post(url, {"file": SimpleUploadedFile("p.xlsx", clean)}).content.decode()
    assert "将新增 0 项，更新 0 项，1 项无变化。" in html
    assert Milestone.objects.count() == 3
    events = SecurityEvent.objects.filter(kind="import").order_by("pk")
    summary = [
        (e.username, e.detail["dry_run"], e.detail["result"], e.detail.get("errors"))
        for e in events
    ]
    user = world.office_user.username
    assert summary == [
        (user, True, "checked", 0),
        (user, False, "committed", 0),
        (user, True, "rejected", 2),
        (user, True, "refused", None),
        (user, True, "checked", 0),
    ]
    assert {e.detail["register"] for e in events} == {"工作方案节点"}
    assert events[0].detail["sha256"] == hashlib.sha256(clean).hexdigest()
