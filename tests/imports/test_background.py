"""Large files go to the background worker: queued, progress n/N polled by htmx, cancel, the
upload button disabled while running, and never half an import — a cancel, an error or a
worker stopped in the middle leaves nothing written, and the page says so in Chinese. The
worker runs in this process (``jobs.worker.run_ready``), as the other task tests do."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from tests.conftest import Demo
from tests.imports.sheets import ledger_row, office_ledger
from yanzhen.audit.models import SecurityEvent
from yanzhen.cooperation.importers import CooperationRegister
from yanzhen.cooperation.models import Cooperation
from yanzhen.core import import_jobs, importing, imports
from yanzhen.core.models import ImportBatch, ImportJob, ImportJobState
from yanzhen.jobs.worker import LOST_MESSAGE, fail_abandoned, run_ready

pytestmark = pytest.mark.usefixtures("demo_db")
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
TITLES = [f"后台导入合作{n}" for n in range(1, 8)]
UPLOAD = reverse("core:import_upload", args=["cooperations"])
CONFIRM = reverse("core:import_confirm", args=["cooperations"])


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _threshold(settings: Any) -> None:
    # The ledger sheet below has 14 rows (2 titles, 2 header rows, 7 records, a blank, 合计,
    # 填表人).
    settings.YANZHEN_IMPORT_BACKGROUND_ROWS = 10


def ledger() -> bytes:
    """The office's ledger of 7 rows, its only sheet."""
    rows = [ledger_row(n, title) for n, title in enumerate(TITLES, start=1)]
    book = load_workbook(io.BytesIO(office_ledger(rows)))
    del book["说明"]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def written() -> int:
    return Cooperation.objects.filter(title__in=TITLES).count()


def submit(client: Client) -> ImportJob:
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("台账.xlsx", ledger())})
    job = ImportJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"{UPLOAD}?job={job.pk}")
    return job


def poll(client: Client, job: ImportJob) -> Any:
    """What htmx asks every second while the job runs."""
    return client.get(UPLOAD, {"job": str(job.pk), "progress": "1"}, headers={"HX-Request": "true"})


def page(client: Client, job: ImportJob) -> str:
    response = client.get(UPLOAD, {"job": job.pk})
    assert response.status_code == 200
    return response.content.decode()


def state_line(html: str) -> str:
    found = re.search(r'<p class="import-state" data-state="(\w+)">([^<]*)</p>', html)
    assert found is not None, html
    return f"{found.group(1)} {found.group(2)}"


def test_a_small_file_stays_in_the_request(demo_db: Demo, settings: Any) -> None:
    settings.YANZHEN_IMPORT_BACKGROUND_ROWS = 14
    client = demo_db.client("office")
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("台账.xlsx", ledger())})
    assert response.status_code == 200
    assert "共 7 行记录，其中 7 行无误；跳过 3 行。将新增 7 项" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_large_file_is_previewed_then_committed_by_the_worker(demo_db: Demo) -> None:
    client = demo_db.client("office")
    job = submit(client)
    assert (job.state, job.rows, job.options["commit"]) == ("queued", 14, False)
    html = page(client, job)
    assert state_line(html) == "queued 排队中"
    assert re.search(r"<button type=\"submit\" data-disable-on-submit disabled>上传并预览", html)
    assert 'name="cancel_job"' in html
    fragment = poll(client, job)
    assert state_line(fragment.content.decode()) == "queued 排队中"
    assert 'hx-trigger="every 1s"' in fragment.content.decode()

    assert run_ready() == 1
    job.refresh_from_db()
    assert (job.state, job.reason) == ("done", "")
    assert written() == 0  # a preview writes nothing
    done = poll(client, job)
    assert (done.status_code, done["HX-Refresh"]) == (200, "true")
    html = page(client, job)
    assert state_line(html) == "done 已完成"
    assert "共 7 行记录，其中 7 行无误；跳过 3 行。将新增 7 项" in html
    assert '<button type="submit" data-disable-on-submit>上传并预览' in html
    token = re.search(r'name="token" value="([0-9a-f]+)"', html)
    assert token is not None
    assert token.group(1) == job.token

    response = client.post(CONFIRM, {"token": job.token})
    commit = ImportJob.objects.exclude(pk=job.pk).get()
    assert (response.status_code, response["Location"]) == (302, f"{UPLOAD}?job={commit.pk}")
    assert (commit.state, commit.options["commit"], written()) == ("queued", True, 0)
    assert run_ready() == 1
    commit.refresh_from_db()
    assert commit.state == "done"
    assert written() == 7
    batch = ImportBatch.objects.get()
    assert commit.result is not None
    assert (batch.rows, batch.created, commit.result["batch_id"]) == (7, 7, batch.pk)
    html = page(client, commit)
    assert state_line(html) == "done 已完成"
    assert "导入结果" in html
    assert imports.preview_read(token=job.token, user_id=demo_db.users["office"].pk,
                                register="cooperations") is None  # fmt: skip
    events = SecurityEvent.objects.filter(kind="import").order_by("pk")
    assert [(e.detail["result"], e.detail["rows"]) for e in events] == [
        ("checked", 7),
        ("committed", 7),
    ]


def test_the_progress_is_told_every_step_and_shown_as_n_of_n(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "PROGRESS_STEP", 3)
    told: list[tuple[str, int, int]] = []
    result = importing.run(
        CooperationRegister(), user=demo_db.users["office"], data=ledger(), filename="台账.xlsx",
        commit=True, progress=lambda phase, done, total: told.append((phase, done, total)),
    )  # fmt: skip
    assert (result.created, result.committed) == (7, True)
    assert told == [
        ("check", 0, 7), ("check", 3, 7), ("check", 6, 7), ("check", 7, 7),
        ("write", 0, 7), ("write", 3, 7), ("write", 6, 7), ("write", 7, 7), ("write", 7, 7),
    ]  # fmt: skip

    client = demo_db.client("office")
    job = submit(client)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJobState.RUNNING)
    import_jobs.Reporter(job.pk)("write", 1500, 3000)
    fragment = poll(client, job).content.decode()
    assert state_line(fragment) == "running 进行中：写入 1500/3000 行"
    assert '<progress value="1500" max="3000"></progress>' in fragment


def test_a_queued_job_cancelled_never_runs(demo_db: Demo) -> None:
    client = demo_db.client("office")
    job = submit(client)
    response = client.post(CONFIRM, {"job": job.pk, "cancel_job": "1"})
    assert (response.status_code, response["Location"]) == (302, f"{UPLOAD}?job={job.pk}")
    job.refresh_from_db()
    assert (job.state, job.reason) == ("cancelled", "已取消，未写入任何数据")
    assert run_ready() == 1
    job.refresh_from_db()
    assert job.state == "cancelled"
    html = page(client, job)
    assert state_line(html) == "cancelled 已取消"
    assert 'name="cancel_job"' not in html
    again = client.post(CONFIRM, {"job": job.pk, "cancel_job": "1"})
    assert again.status_code == 302
    assert ImportJob.objects.get(pk=job.pk).state == "cancelled"


def _confirmed(client: Client) -> ImportJob:
    """A previewed file's commit, queued (the preview ran in the worker)."""
    preview = submit(client)
    run_ready()
    client.get(UPLOAD, {"job": preview.pk})
    client.post(CONFIRM, {"token": preview.token})
    return ImportJob.objects.exclude(pk=preview.pk).get()


def _interrupt_at(
    monkeypatch: pytest.MonkeyPatch, when: tuple[str, int], action: Callable[[int], Any]
) -> None:
    """Run ``action(job id)`` when the worker tells it has written ``when`` (the middle)."""
    monkeypatch.setattr(importing, "PROGRESS_STEP", 3)
    original = import_jobs.Reporter.__call__

    def call(self: import_jobs.Reporter, phase: str, done: int, total: int) -> None:
        if (phase, done) == when:
            action(self.job_id)
        original(self, phase, done, total)

    monkeypatch.setattr(import_jobs.Reporter, "__call__", call)


def test_a_commit_cancelled_in_the_middle_writes_nothing(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = demo_db.client("office")
    job = _confirmed(client)
    before = Cooperation.objects.count()

    def cancel(job_id: int) -> None:
        assert Cooperation.objects.count() == before + 3  # three rows written so far
        assert import_jobs.job_cancel(job=ImportJob.objects.get(pk=job_id)) is True

    _interrupt_at(monkeypatch, ("write", 3), cancel)
    assert run_ready() == 1
    job.refresh_from_db()
    assert (job.state, job.reason) == ("cancelled", "已取消，未写入任何数据")
    assert (Cooperation.objects.count(), written(), ImportBatch.objects.count()) == (before, 0, 0)
    assert state_line(page(client, job)) == "cancelled 已取消"


def test_an_error_in_the_middle_fails_the_job_and_writes_nothing(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = demo_db.client("office")
    job = _confirmed(client)
    before = Cooperation.objects.count()

    def crash(job_id: int) -> None:
        raise RuntimeError("disk full")

    _interrupt_at(monkeypatch, ("write", 6), crash)
    assert run_ready() == 1
    job.refresh_from_db()
    assert (job.state, job.reason) == ("failed", "导入出错（RuntimeError），未写入任何数据")
    assert (Cooperation.objects.count(), written(), ImportBatch.objects.count()) == (before, 0, 0)
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == TaskResultStatus.FAILED
    assert state_line(page(client, job)) == "failed 失败：导入出错（RuntimeError），未写入任何数据"


def test_a_worker_stopped_in_the_middle_leaves_nothing_and_the_job_is_reported_failed(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second SIGTERM raises ``SystemExit`` wherever the worker is (``jobs.worker.Loop``)."""
    client = demo_db.client("office")
    job = _confirmed(client)
    before = Cooperation.objects.count()

    def stop(job_id: int) -> None:
        raise SystemExit(1)

    _interrupt_at(monkeypatch, ("write", 3), stop)
    assert run_ready() == 1
    assert (Cooperation.objects.count(), written(), ImportBatch.objects.count()) == (before, 0, 0)
    job.refresh_from_db()
    assert job.state == "running"  # the task ended before it could say so
    assert state_line(page(client, job)) == "failed 失败：后台任务失败，数据未改动"
    job.refresh_from_db()
    assert (job.state, job.reason) == ("failed", "后台任务失败，数据未改动")


def test_a_killed_worker_is_reported_with_its_reason(demo_db: Demo) -> None:
    """SIGKILL: the database rolled the transaction back with the connection; the worker's
    heartbeat stops, ``fail_abandoned`` fails the task and the page says why."""
    client = demo_db.client("office")
    job = _confirmed(client)
    DBTaskResult.objects.filter(id=job.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=NOW - dt.timedelta(minutes=5),
        worker_ids=["gone"],
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJobState.RUNNING)
    import_jobs.Reporter(job.pk)("write", 3, 7)
    assert state_line(page(client, job)) == "running 进行中：写入 3/7 行"
    assert fail_abandoned(dt.timedelta(seconds=30)) == 1
    assert state_line(page(client, job)) == f"failed 失败：{LOST_MESSAGE}"
    job.refresh_from_db()
    assert (job.state, job.reason, written()) == ("failed", LOST_MESSAGE, 0)


def test_another_users_job_is_not_found(demo_db: Demo) -> None:
    job = submit(demo_db.client("office"))
    other = demo_db.client("town")  # may import the ledger too
    assert other.get(UPLOAD, {"job": job.pk}).status_code == 404
    assert other.post(CONFIRM, {"job": job.pk, "cancel_job": "1"}).status_code == 404
    job.refresh_from_db()
    assert job.state == "queued"
