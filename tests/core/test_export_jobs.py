"""Large exports run by the background worker (``core.export_jobs``): the request answers with
the job's page and exports nothing; the task replays the list as its user and writes exactly
the in-request file, logged once; the file is its user's only (404 for anybody else, an
administrator too), for 24 hours; queued jobs count in the hourly quota; a worker killed before
the file is complete leaves nothing to download. The worker runs in this process
(``jobs.worker.run_ready``), as the other task tests do."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from tests.conftest import Demo
from tests.pii_grants import grant_pii
from yanzhen.audit.models import AccessLog, ExportLog, SecurityEvent
from yanzhen.core import export_jobs
from yanzhen.core.masking import unmasking
from yanzhen.core.models import ApprovalRequest, ExportJob, Person
from yanzhen.jobs.worker import fail_abandoned, run_ready

pytestmark = pytest.mark.usefixtures("demo_db")
NOW = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)
LEDGER = reverse("cooperation:cooperation_list")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _threshold(settings: Any) -> None:
    # The office sees 121 cooperations (tests/core/test_exports.py): all of them go to the
    # worker, its 4 dropped ones stay in the request.
    settings.YANZHEN_EXPORT_BACKGROUND_ROWS = 100


def queued(client: Client, params: dict[str, str]) -> ExportJob:
    response = client.get(LEDGER, params)
    assert response.status_code == 302
    job = ExportJob.objects.order_by("-pk").first()
    assert job is not None
    assert response["Location"] == reverse("core:export_job_detail", args=[job.pk])
    return job


def state_of(client: Client, job: ExportJob) -> str:
    html = client.get(reverse("core:export_job_detail", args=[job.pk])).content.decode()
    found = re.search(r'data-state="(\w+)">([^<]*)<', html)
    assert found is not None
    return f"{found.group(1)} {found.group(2)}"


def cells(content: bytes) -> dict[str, Any]:
    """Every sheet's values, and the workbook's watermark in its properties."""
    book = load_workbook(io.BytesIO(content))
    sheets = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book}
    return {"sheets": sheets, "creator": book.properties.creator}


def exports_logged() -> int:
    return SecurityEvent.objects.filter(kind="export").count()


def test_a_large_export_answers_with_the_jobs_page_and_exports_nothing(demo_db: Demo) -> None:
    office = demo_db.client("office")
    job = queued(office, {"export": "xlsx", "sort": "-title"})
    assert (job.user.username, job.title, job.path, job.query, job.fmt, job.state, job.rows) == (
        "office", "合作台账", LEDGER, "export=xlsx&sort=-title", "xlsx", "queued", 121,
    )  # fmt: skip
    assert (ExportLog.objects.count(), exports_logged()) == (0, 0)
    page = office.get(reverse("core:export_job_detail", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 2s"' in html
    assert state_of(office, job) == "queued 排队中"
    polled = office.get(reverse("core:export_job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert polled.content.decode().lstrip().startswith('<section class="panel" id="export-state"')
    assert reverse("core:export_job_download", args=[job.pk]) not in html
    # Below the threshold, the export is the file, in the request, as before.
    small = office.get(LEDGER, {"export": "xlsx", "stage": "dropped"})
    assert small.status_code == 200
    assert load_workbook(io.BytesIO(small.content))["合作台账"].max_row - 1 == 4
    assert ExportJob.objects.count() == 1


def test_the_tasks_file_is_the_in_request_export_logged_once_by_the_task(
    demo_db: Demo, settings: Any
) -> None:
    office = demo_db.client("office")
    params = {"export": "xlsx", "sort": "-title"}
    settings.YANZHEN_EXPORT_BACKGROUND_ROWS = 1000
    in_request = office.get(LEDGER, params, REMOTE_ADDR="10.1.2.3").content
    settings.YANZHEN_EXPORT_BACKGROUND_ROWS = 100
    job = queued(office, params)
    assert (ExportLog.objects.count(), exports_logged()) == (1, 1)
    assert run_ready() == 1
    job.refresh_from_db()
    assert (job.state, job.rows, job.filename, job.finished_at, job.expires_at) == (
        "done", 121, "合作台账-20261127-1630.xlsx", NOW, NOW + dt.timedelta(hours=24),
    )  # fmt: skip
    assert state_of(office, job) == "done 已完成"
    response = office.get(reverse("core:export_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E5%90%88%E4%BD%9C%E5%8F%B0%E8%B4%A6-20261127-1630.xlsx"
    )
    # Cell for cell (a workbook's parts carry the real clock's second as their zip time).
    assert cells(response.content) == cells(in_request)
    book = load_workbook(io.BytesIO(response.content))
    assert book["合作台账"].max_row - 1 == 121
    assert (
        book["导出信息"]["A1"].value
        == "雁阵导出 · office · 2026-11-27 16:30:00 +0800 · 内部资料 注意保密"
    )
    # Logged once by the task, with the request's filter and client; downloads log nothing.
    office.get(reverse("core:export_job_download", args=[job.pk]))
    logs = list(ExportLog.objects.order_by("pk").values_list("rows", "filters", "sha256"))
    assert logs == [
        (121, {"sort": "-title"}, hashlib.sha256(in_request).hexdigest()),
        (121, {"sort": "-title"}, hashlib.sha256(response.content).hexdigest()),
    ]
    events = SecurityEvent.objects.filter(kind="export").order_by("pk")
    assert [(e.username, e.ip, e.path, e.detail["rows"]) for e in events] == [
        ("office", "10.1.2.3", LEDGER, 121), ("office", "127.0.0.1", LEDGER, 121),
    ]  # fmt: skip
    # Stored sealed, not as the workbook.
    stored = export_jobs.file_path(job).read_bytes()
    assert b"PK" not in stored[:16]
    assert export_jobs.file_read(job) == response.content


def test_the_full_values_decided_in_the_request_are_carried_not_asked_again(
    demo_db: Demo, settings: Any
) -> None:
    settings.YANZHEN_EXPORT_BACKGROUND_ROWS = 2
    office = demo_db.users["office"]
    first = Person.objects.filter(unit__name="永济市工业和信息化局").exclude(id_number="").first()
    assert first is not None
    approval = grant_pii(office, "export", list_title="人员")
    client = demo_db.client("office")
    response = client.get(reverse("core:person_list"), {"export": "csv", "unmasked": "1"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.decision == {"unmasked": True, "approval_id": approval.pk}
    # The approval lapses before the worker runs: the decision made in the request stands.
    ApprovalRequest.objects.filter(pk=approval.pk).update(decided_at=NOW - dt.timedelta(days=30))
    assert not unmasking(office, purpose="export", list_title="人员").allowed
    assert run_ready() == 1
    job.refresh_from_db()
    assert job.state == "done"
    content = export_jobs.file_read(job)
    assert content is not None
    assert first.id_number in content.decode("utf-8-sig")
    # Handed over only while an approval is in force: refused now, downloaded once approved.
    download = reverse("core:export_job_download", args=[job.pk])
    refused = client.get(download)
    assert refused.status_code == 403
    assert "导出“人员”的完整身份证号和手机号" in refused.content.decode()
    grant_pii(office, "export", list_title="人员")
    assert client.get(download).content == content
    log = ExportLog.objects.get()
    assert log.unmasked is True
    revealed = AccessLog.objects.get(record_type="export")
    assert (revealed.record_id, revealed.approval_id) == (log.pk, approval.pk)


def test_another_user_gets_404_an_administrator_too(demo_db: Demo) -> None:
    office = demo_db.client("office")
    job = queued(office, {"export": "csv"})
    run_ready()
    detail = reverse("core:export_job_detail", args=[job.pk])
    download = reverse("core:export_job_download", args=[job.pk])
    for name in ("town", "leader", "sysadmin", "secadmin"):
        other = demo_db.client(name)
        assert (other.get(detail).status_code, other.get(download).status_code) == (404, 404)
        assert job.pk not in [
            j.pk for j in export_jobs.jobs_of(demo_db.users[name])
        ]  # and not in their list
    listed = demo_db.client("sysadmin").get(reverse("core:export_job_list"))
    assert listed.status_code == 200
    assert "没有后台导出" in listed.content.decode()
    assert office.get(download).status_code == 200


def test_the_file_expires_after_24_hours_and_is_deleted(demo_db: Demo) -> None:
    office = demo_db.client("office")
    job = queued(office, {"export": "csv"})
    run_ready()
    download = reverse("core:export_job_download", args=[job.pk])
    path = export_jobs.file_path(job)
    with time_machine.travel(NOW + dt.timedelta(hours=23, minutes=59), tick=False):
        office = demo_db.client("office")  # a new session: the first one has timed out
        assert office.get(download).status_code == 200
        call_command("purge_uploads", stdout=io.StringIO())
        assert path.exists()
    with time_machine.travel(NOW + dt.timedelta(hours=24), tick=False):
        office = demo_db.client("office")
        gone = office.get(download)
        assert gone.status_code == 410
        body = gone.content.decode()
        assert "导出文件已过期" in body
        assert "后台导出的文件只保留 24 小时，已删除。请回到列表重新导出。" in body
        assert (
            "文件已过期删除，请回到列表重新导出。"
            in office.get(reverse("core:export_job_detail", args=[job.pk])).content.decode()
        )
        out = io.StringIO()
        call_command("purge_uploads", stdout=out)
        assert out.getvalue().splitlines()[-1] == "已删除后台导出文件 1 个（超过 24 小时或未写完）"
        assert not path.exists()
        assert office.get(download).status_code == 410


def test_queued_jobs_count_in_the_hourly_quota(demo_db: Demo) -> None:
    office = demo_db.client("office")
    for _ in range(20):
        queued(office, {"export": "csv"})
    refused = office.get(LEDGER, {"export": "csv"})
    assert refused.status_code == 429
    assert "每个账户每小时最多导出 20 次" in refused.content.decode()
    small = office.get(LEDGER, {"export": "csv", "stage": "dropped"})
    assert small.status_code == 429
    assert (ExportJob.objects.count(), ExportLog.objects.count()) == (20, 0)
    # Run, they count by their export log instead, once each.
    assert run_ready() == 20
    assert list(ExportJob.objects.values_list("state", flat=True).distinct()) == ["done"]
    assert office.get(LEDGER, {"export": "csv"}).status_code == 429
    assert ExportLog.objects.count() == 20


class Killed(BaseException):
    """SIGKILL in the middle of the task: nothing after it runs."""


def test_a_worker_killed_before_the_rename_leaves_no_file_to_download(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = demo_db.client("office")
    job = queued(office, {"export": "xlsx"})

    def killed(*args: object) -> None:
        raise Killed

    monkeypatch.setattr("yanzhen.core.export_jobs.os.replace", killed)
    DBTaskResult.objects.filter(id=job.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=NOW - dt.timedelta(minutes=5),
        worker_ids=["gone"],
    )  # fmt: skip
    with pytest.raises(Killed):
        export_jobs.job_run(job_id=job.pk)
    monkeypatch.undo()
    download = reverse("core:export_job_download", args=[job.pk])
    assert export_jobs.part_path(job).exists()
    assert not export_jobs.file_path(job).exists()
    assert state_of(office, job) == "running 进行中"
    assert office.get(download).status_code == 404
    # The worker's stale-task handling fails the task; the job shows failed, is not re-run,
    # and its half file is deleted.
    assert fail_abandoned(dt.timedelta(seconds=30)) == 1
    assert state_of(office, job) == f"failed 失败：{export_jobs.LOST_REASON}"
    assert not export_jobs.part_path(job).exists()
    assert office.get(download).status_code == 404
    assert run_ready() == 0
    assert (ExportLog.objects.count(), exports_logged()) == (1, 1)


def test_a_full_disk_fails_the_job_with_its_reason_and_leaves_no_file(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = demo_db.client("office")
    job = queued(office, {"export": "xlsx"})

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("yanzhen.core.export_jobs.os.replace", full)
    assert run_ready() == 1
    monkeypatch.undo()
    job.refresh_from_db()
    assert (job.state, job.reason) == (
        "failed", "无法写入导出文件（No space left on device），未生成文件",
    )  # fmt: skip
    assert state_of(office, job) == f"failed 失败：{job.reason}"
    assert not export_jobs.part_path(job).exists()
    assert not export_jobs.file_path(job).exists()
    assert office.get(reverse("core:export_job_download", args=[job.pk])).status_code == 404
