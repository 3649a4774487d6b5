"""The scheduler of the periodic jobs (time frozen): a job due is enqueued once, a new job
starts at its next time, a pause runs only the latest missed time, and two schedulers ticking
at the same moment enqueue it once (the unique run row, with two real processes)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django_tasks_db.models import DBTaskResult

from yanzhen.jobs import scheduler
from yanzhen.jobs.models import PeriodicRun
from yanzhen.jobs.schedule import Periodic, periodic_jobs
from yanzhen.jobs.worker import run_ready

pytestmark = pytest.mark.django_db
ZONE = dt.timezone(dt.timedelta(hours=8))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=ZONE)


def queued() -> list[tuple[str, list[object]]]:
    return [
        (r.task_path, r.args_kwargs["args"])
        for r in DBTaskResult.objects.order_by("enqueued_at", "id")
    ]


@pytest.fixture
def one_job(monkeypatch: pytest.MonkeyPatch) -> Periodic:
    job = Periodic("purge_uploads", "*/10 * * * *", "purge_uploads")
    monkeypatch.setattr(scheduler, "periodic_jobs", lambda: (job,))
    return job


def test_the_jobs_are_declared_once_each_with_a_real_command() -> None:
    from django.core.management import get_commands

    jobs = periodic_jobs()
    names = [j.name for j in jobs]
    assert len(names) == len(set(names))
    assert {j.command for j in jobs} <= set(get_commands())
    assert {j.command for j in jobs} >= {
        "remind_due", "send_talent_reminders", "send_digest", "checkpoint_audit",
        "verify_audit", "verify_integrity", "purge_sessions", "purge_uploads", "purge_audit",
    }  # fmt: skip


def test_the_latest_slot_is_in_local_time() -> None:
    assert scheduler.latest_slot("0 7 * * *", at(27, 7)) == at(27, 7)
    assert scheduler.latest_slot("0 7 * * *", at(27, 6, 59)) == at(26, 7)
    assert scheduler.latest_slot("*/10 * * * *", at(27, 10, 17)) == at(27, 10, 10)
    assert scheduler.latest_slot("0 4 1 * *", at(27, 10)) == at(1, 4)


@pytest.mark.usefixtures("one_job")
def test_a_new_job_starts_at_its_next_time_and_a_due_one_is_enqueued_once() -> None:
    assert scheduler.tick(now=at(27, 10, 5)) == []  # first seen: 10:00 is its starting point
    assert queued() == []
    assert scheduler.tick(now=at(27, 10, 9)) == []
    [run] = scheduler.tick(now=at(27, 10, 10))
    assert (run.job, run.slot, run.enqueued) == ("purge_uploads", at(27, 10, 10), True)
    assert scheduler.tick(now=at(27, 10, 10)) == []
    assert scheduler.tick(now=at(27, 10, 19)) == []
    assert queued() == [("yanzhen.jobs.tasks.run_command", ["purge_uploads", []])]
    assert run.task_id == str(DBTaskResult.objects.get().id)


@pytest.mark.usefixtures("one_job")
def test_after_a_pause_only_the_latest_missed_time_runs() -> None:
    scheduler.tick(now=at(27, 10, 5))
    [run] = scheduler.tick(now=at(27, 13, 42))  # 18 times missed
    assert run.slot == at(27, 13, 40)
    assert len(queued()) == 1


def test_the_run_row_refuses_a_second_enqueue_of_the_same_time() -> None:
    PeriodicRun.objects.create(job="purge_uploads", slot=at(27, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicRun.objects.create(job="purge_uploads", slot=at(27, 10))


@pytest.mark.usefixtures("one_job")
def test_the_worker_runs_the_enqueued_command() -> None:
    scheduler.tick(now=at(27, 10, 5))
    scheduler.tick(now=at(27, 10, 10))
    assert run_ready() == 1
    result = DBTaskResult.objects.get()
    assert (result.status, result.return_value) == (
        "SUCCESSFUL",
        {"command": "purge_uploads", "lines": 1},
    )
    assert run_ready() == 0


def test_a_failing_command_fails_its_task(monkeypatch: pytest.MonkeyPatch) -> None:
    job = Periodic("purge_audit", "0 4 1 * *", "purge_audit", ("--days", "10"))
    monkeypatch.setattr(scheduler, "periodic_jobs", lambda: (job,))
    scheduler.tick(now=at(1, 3))
    scheduler.tick(now=at(1, 4))
    assert run_ready() == 1
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert result.exception_class_path == "django.core.management.base.CommandError"


def test_old_records_are_purged_but_each_jobs_latest_run_is_kept() -> None:
    old = PeriodicRun.objects.create(job="remind_due", slot=at(1, 7))
    latest = PeriodicRun.objects.create(job="remind_due", slot=at(2, 7))
    PeriodicRun.objects.filter(pk__in=[old.pk, latest.pk]).update(created_at=at(2, 7))
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: at(2, 7) + dt.timedelta(days=40))
        call_command("purge_jobs", stdout=out)
    assert out.getvalue().strip() == "已删除 0 条后台任务记录、1 条定时任务运行记录"
    assert list(PeriodicRun.objects.values_list("slot", flat=True)) == [at(2, 7)]


# Two schedulers at once: two processes on a database of their own ---------------------------

TICK = """
import os, sys, time, datetime as dt
import django
django.setup()
from yanzhen.jobs import scheduler
from yanzhen.jobs.schedule import Periodic
scheduler.periodic_jobs = lambda: (Periodic("purge_uploads", "*/10 * * * *", "purge_uploads"),)
go = sys.argv[1]
open(go + "." + sys.argv[2], "w").close()
while not os.path.exists(go):
    time.sleep(0.01)
now = dt.datetime.fromisoformat(sys.argv[3])
print(len(scheduler.tick(now=now)))
"""


def _count(env: dict[str, str], code: str) -> str:
    script = f"import django; django.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_two_schedulers_ticking_at_once_enqueue_a_job_once(
    site: dict[str, str], tmp_path: Path
) -> None:
    go = str(tmp_path / "go")
    first, second = at(27, 10, 5).isoformat(), at(27, 10, 10).isoformat()
    for now in (first, second):  # the starting point, then the time both find due
        Path(go).unlink(missing_ok=True)
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", TICK, go, str(n), now],
                env=site,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(2)
        ]
        deadline = time.monotonic() + 60
        while not all(Path(f"{go}.{n}").exists() for n in range(2)):
            assert time.monotonic() < deadline, "the schedulers did not start"
            time.sleep(0.05)
        Path(go).touch()  # both tick now
        outputs = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in outputs]
        for n in range(2):
            Path(f"{go}.{n}").unlink()
    assert sorted(out.strip() for out, _ in outputs) == ["0", "1"]
    counts = _count(
        site,
        "from django_tasks_db.models import DBTaskResult\n"
        "from yanzhen.jobs.models import PeriodicRun\n"
        "print(DBTaskResult.objects.count(), PeriodicRun.objects.count())",
    )
    assert counts == "1 2"
