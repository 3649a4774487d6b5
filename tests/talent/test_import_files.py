"""The files of an import between preview and confirmation: encrypted (no plain ID number
on disk), 0600 in a 0700 folder, deleted on confirm or cancel, refused and purged after an
hour; and each step of the placement import in the security log."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.talent.conftest import World, id_number
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.excel import write_xlsx
from yanzhen.core.imports import preview_dir
from yanzhen.core.models import User
from yanzhen.placement import excel, services
from yanzhen.placement.models import HostRanking, PlacementApplicant, Programme

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2021, 12, 20, 4, tzinfo=dt.UTC)
PERMS = [
    "placement.view_programme",
    "placement.add_placementapplicant",
    "placement.change_programme",
]


@pytest.fixture(autouse=True)
def _data_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """A data directory of the test's own, so that its folders hold only its files."""
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")  # type: ignore[attr-defined]


def programme(world: World) -> Programme:
    made = services.programme_create(
        actor=None, name="选调生分配", kind="selected_graduate",
        owner_unit=world.office, year=2021, start_date=dt.date(2021, 8, 2),
    )  # fmt: skip
    services.host_create(actor=None, programme=made, unit=world.town, capacity=2)
    return made


def applicants(numbers: list[str]) -> bytes:
    rows = []
    for n, number in enumerate(numbers, start=1):
        gender = "男" if int(number[16]) % 2 else "女"
        rows.append([f"XD-0{n}", f"申请人{n}", gender, number, "13912345678", "西安交通大学",
                     "硕士", "", "甲镇"])  # fmt: skip
    return write_xlsx("导入", excel.applicant_columns(), rows)


def token_of(html: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f]+)"', html)
    assert match is not None, html
    return match.group(1)


def client_for(world: World, make_user: Callable[..., User]) -> Client:
    user = make_user(world.county, "unit_and_below", PERMS)
    client = Client()
    client.force_login(user)
    return client


def test_a_preview_is_encrypted_private_and_deleted_on_confirm(
    world: World, make_user: Callable[..., User]
) -> None:
    target = programme(world)
    client = client_for(world, make_user)
    numbers = [id_number(), id_number()]
    content = applicants(numbers)
    with time_machine.travel(NOON, tick=False):
        html = client.post(
            reverse("talent:programme_import_edit", args=[target.pk]),
            {"file": SimpleUploadedFile("a.xlsx", content), "kind": "applicants"},
        ).content.decode()
        token = token_of(html)
        assert PlacementApplicant.objects.count() == 0  # the dry run wrote nothing
        folder = preview_dir()
        path = folder / f"{token}.bin"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        stored = path.read_bytes()
        for number in numbers:
            assert number.encode() not in stored
        assert b"13912345678" not in stored
        assert content not in stored
        assert not stored.startswith(b"PK")
        assert [p.name for p in folder.iterdir()] == [f"{token}.bin"]
        confirm = reverse("talent:programme_import_confirm_edit", args=[target.pk])
        assert client.post(confirm, {"token": token}).status_code == 302
        assert not path.exists()
        assert client.post(confirm, {"token": token}).status_code == 404
    stored_numbers = PlacementApplicant.objects.values_list("person__id_number", flat=True)
    assert sorted(stored_numbers) == sorted(numbers)
    events = [e.detail for e in SecurityEvent.objects.filter(kind="import").order_by("pk")]
    digest = hashlib.sha256(content).hexdigest()
    assert [(e["register"], e["dry_run"], e["result"], e["sha256"], e["rows"]) for e in events] == [
        (f"实习实训申请人#{target.pk}", True, "checked", digest, 2),
        (f"实习实训申请人#{target.pk}", False, "committed", digest, 2),
    ]
    for number in numbers:
        assert number not in str(events)


def test_a_preview_cannot_be_confirmed_by_another_user_or_after_an_hour(
    world: World, make_user: Callable[..., User]
) -> None:
    target = programme(world)
    owner = client_for(world, make_user)
    other = client_for(world, make_user)
    url = reverse("talent:programme_import_edit", args=[target.pk])
    confirm = reverse("talent:programme_import_confirm_edit", args=[target.pk])
    with time_machine.travel(NOON, tick=False) as clock:
        html = owner.post(
            url,
            {"file": SimpleUploadedFile("a.xlsx", applicants([id_number()])), "kind": "applicants"},
        ).content.decode()
        token = token_of(html)
        assert other.post(confirm, {"token": token}).status_code == 404
        clock.shift(dt.timedelta(minutes=61))
        assert owner.post(confirm, {"token": token}).status_code == 404
    assert not (preview_dir() / f"{token}.bin").exists()
    assert PlacementApplicant.objects.count() == 0


def test_a_preview_can_be_cancelled(world: World, make_user: Callable[..., User]) -> None:
    target = programme(world)
    client = client_for(world, make_user)
    html = client.post(
        reverse("talent:programme_import_edit", args=[target.pk]),
        {"file": SimpleUploadedFile("a.xlsx", applicants([id_number()])), "kind": "applicants"},
    ).content.decode()
    token = token_of(html)
    assert (preview_dir() / f"{token}.bin").exists()
    confirm = reverse("talent:programme_import_confirm_edit", args=[target.pk])
    assert client.post(confirm, {"token": token, "cancel": "1"}).status_code == 302
    assert not (preview_dir() / f"{token}.bin").exists()
    assert client.post(confirm, {"token": token}).status_code == 404
    assert PlacementApplicant.objects.count() == 0


def test_purge_uploads_deletes_previews_after_an_hour_and_temporary_files_after_a_day(
    world: World, make_user: Callable[..., User]
) -> None:
    target = programme(world)
    client = client_for(world, make_user)
    temp = Path(settings.FILE_UPLOAD_TEMP_DIR)
    temp.mkdir(mode=0o700, parents=True, exist_ok=True)
    legacy = preview_dir() / "0123456789abcdef0123456789abcdef.xlsx"  # a plain file of old
    with time_machine.travel(NOON, tick=False) as clock:
        legacy.write_bytes(b"plain")
        leftover = temp / "abc.upload"
        leftover.write_bytes(b"half an upload")
        now = dt.datetime.now(tz=dt.UTC).timestamp()
        os.utime(legacy, (now, now))
        os.utime(leftover, (now, now))
        html = client.post(
            reverse("talent:programme_import_edit", args=[target.pk]),
            {"file": SimpleUploadedFile("a.xlsx", applicants([id_number()])), "kind": "applicants"},
        ).content.decode()
        preview = preview_dir() / f"{token_of(html)}.bin"
        clock.shift(dt.timedelta(minutes=59))
        out = io.StringIO()
        call_command("purge_uploads", stdout=out)
        assert out.getvalue().strip() == (
            "已删除导入预览文件 0 个（超过 60 分钟），临时上传文件 0 个（超过 24 小时）"
        )
        assert (preview.exists(), legacy.exists(), leftover.exists()) == (True, True, True)
        clock.shift(dt.timedelta(minutes=2))
        out = io.StringIO()
        call_command("purge_uploads", stdout=out)
        assert out.getvalue().strip() == (
            "已删除导入预览文件 2 个（超过 60 分钟），临时上传文件 0 个（超过 24 小时）"
        )
        assert (preview.exists(), legacy.exists(), leftover.exists()) == (False, False, True)
        clock.shift(dt.timedelta(hours=23))
        out = io.StringIO()
        call_command("purge_uploads", stdout=out)
        assert out.getvalue().strip() == (
            "已删除导入预览文件 0 个（超过 60 分钟），临时上传文件 1 个（超过 24 小时）"
        )
        assert not leftover.exists()


def test_a_rankings_import_with_bad_rows_is_logged_and_commits_nothing(
    world: World, make_user: Callable[..., User]
) -> None:
    target = programme(world)
    client = client_for(world, make_user)
    content = write_xlsx(
        "导入",
        excel.ranking_columns(),
        [["乙镇", "XD-01", 1, None, ""], ["甲镇", "XD-09", 2, None, ""]],
    )
    html = client.post(
        reverse("talent:programme_import_edit", args=[target.pk]),
        {"file": SimpleUploadedFile("r.xlsx", content), "kind": "rankings"},
    ).content.decode()
    assert "发现 3 处错误，整表未导入" in html
    assert "确认导入" not in html
    errors_url = reverse("talent:programme_import_errors", args=[target.pk])
    assert f'href="{errors_url}?kind=rankings&amp;token=' in html
    # The file waits (encrypted) only for its error workbook; it cannot be confirmed.
    token = token_of(html)
    confirm = reverse("talent:programme_import_confirm_edit", args=[target.pk])
    response = client.post(confirm + "?kind=rankings", {"token": token})
    assert response.status_code == 200
    assert HostRanking.objects.count() == 0
    errors = client.get(
        reverse("talent:programme_import_errors", args=[target.pk]),
        {"kind": "rankings", "token": token},
    )
    assert errors.status_code == 200
    book = load_workbook(io.BytesIO(errors.content))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert rows[0] == ["原行号", "接收单位", "申请人编号", "排名", "评分", "依据", "错误说明"]
    assert [r[0] for r in rows[1:]] == [2, 3]
    events = SecurityEvent.objects.filter(kind="import").order_by("pk")
    label = f"接收单位排名#{target.pk}"
    assert [
        (e.detail["register"], e.detail["dry_run"], e.detail["result"], e.detail["errors"])
        for e in events
    ] == [
        (label, True, "rejected", 3),  # the preview
        (label, False, "rejected", 3),  # the confirmation refused: nothing written
        (label, True, "rejected", 3),  # the error workbook
    ]


def test_a_preview_of_one_programme_cannot_be_confirmed_on_another(
    world: World, make_user: Callable[..., User]
) -> None:
    """The programme is the page's (its sheets have no 项目名称 column): a preview is bound to
    the programme and the kind it was made for."""
    target = programme(world)
    other = services.programme_create(
        actor=None, name="医学毕业生分配", kind="selected_graduate",
        owner_unit=world.office, year=2021, start_date=dt.date(2021, 8, 2),
    )  # fmt: skip
    client = client_for(world, make_user)
    html = client.post(
        reverse("talent:programme_import_edit", args=[target.pk]),
        {"file": SimpleUploadedFile("a.xlsx", applicants([id_number()])), "kind": "applicants"},
    ).content.decode()
    token = token_of(html)
    assert "项目名称" not in html  # no column asked for: the page gives the programme
    # The buttons are disabled once pressed while the file is checked (site.js).
    assert '<button type="submit" data-disable-on-submit>上传并预览</button>' in html
    assert '<button type="submit" data-disable-on-submit>确认导入</button>' in html
    elsewhere = reverse("talent:programme_import_confirm_edit", args=[other.pk])
    assert client.post(elsewhere, {"token": token}).status_code == 404
    confirm = reverse("talent:programme_import_confirm_edit", args=[target.pk])
    assert client.post(confirm + "?kind=rankings", {"token": token}).status_code == 404
    assert PlacementApplicant.objects.count() == 0
    assert client.post(confirm + "?kind=applicants", {"token": token}).status_code == 302
    assert list(PlacementApplicant.objects.values_list("programme__name", "code")) == [
        ("选调生分配", "XD-01")
    ]
