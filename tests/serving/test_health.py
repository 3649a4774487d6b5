"""``/health/`` answers while the process lives, without asking the database; ``/health/ready/``
is 200 only when the database answers and a task worker's heartbeat is recent, 503 with what
failed otherwise. A worker writes its heartbeat as it runs and deletes it when it stops."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yanzhen.jobs.models import WorkerHeartbeat
from yanzhen.jobs.tasks import run_command
from yanzhen.jobs.worker import (
    LOST_MESSAGE,
    WORKER_STALE_AFTER,
    Loop,
    WorkerLostError,
    fail_abandoned,
)

pytestmark = pytest.mark.django_db


def _beat(seconds_ago: float) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        worker_id=f"w{seconds_ago}",
        host="node-1",
        pid=4242,
        seen_at=timezone.now() - dt.timedelta(seconds=seconds_ago),
    )


def test_liveness_does_not_ask_the_database() -> None:
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = Client().get("/health/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_ready_with_the_database_and_a_live_worker() -> None:
    _beat(5)
    response = Client().get("/health/ready/")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "worker": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_without_a_worker_whose_heartbeat_is_recent() -> None:
    _beat(31)  # three beats of 10 s missed
    response = Client().get("/health/ready/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not_ready",
        "checks": {"database": "ok", "worker": "missing"},
    }


def test_not_ready_when_the_database_does_not_answer() -> None:
    _beat(1)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = Client().get("/health/ready/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not_ready",
        "checks": {"database": "unavailable", "worker": "unknown"},
    }


def test_the_worker_beats_as_it_runs_and_removes_its_row_when_it_stops() -> None:
    with mock.patch("yanzhen.jobs.worker.close_old_connections"):  # the test's transaction stays
        _beats_and_removes()


def _beats_and_removes() -> None:
    loop = Loop(interval=0.01, tick_seconds=3600)
    loop.round(tick=False)
    row = WorkerHeartbeat.objects.get()
    assert (row.worker_id, row.pid > 0) == (loop.worker_id, True)
    first = row.seen_at
    loop.round(tick=False)  # within HEARTBEAT_SECONDS: no second write
    assert WorkerHeartbeat.objects.get().seen_at == first
    loop.next_beat = 0.0
    loop.round(tick=False)
    assert WorkerHeartbeat.objects.get().seen_at > first
    loop.stop = True
    loop.run()
    assert WorkerHeartbeat.objects.count() == 0


def test_the_worker_outlives_a_database_that_went_away() -> None:
    """A restart of PostgreSQL fails a round; the worker logs it and goes on (it used to end)."""
    loop = Loop(interval=0.01, tick_seconds=3600)
    rounds: list[str] = []

    def round_(*, tick: bool) -> int:
        rounds.append("failed" if not rounds else "ok")
        if len(rounds) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        loop.stop = True
        return 0

    with mock.patch.object(loop, "round", side_effect=round_):
        loop.run()
    assert rounds == ["failed", "ok"]


def _running(worker_id: str, minutes_ago: int) -> DBTaskResult[..., object]:
    result = run_command.enqueue("check", [])
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return row


def test_a_task_whose_worker_was_killed_is_reported_failed() -> None:
    """SIGKILL of the worker in the middle of a task (a long import): its transaction was
    rolled back with the connection; the task is marked failed with a Chinese reason at the
    next tick of a live worker, not left running for ever. A live worker's task is left."""
    live_worker = _beat(2).worker_id
    killed = _running("killed-worker", minutes_ago=5)
    alive = _running(live_worker, minutes_ago=5)
    just_claimed = _running("starting-worker", minutes_ago=0)
    assert fail_abandoned(WORKER_STALE_AFTER) == 1
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {
        killed.pk: TaskResultStatus.FAILED,
        alive.pk: TaskResultStatus.RUNNING,
        just_claimed.pk: TaskResultStatus.RUNNING,
    }
    failed = DBTaskResult.objects.get(pk=killed.pk)
    assert failed.exception_class_path == f"{WorkerLostError.__module__}.WorkerLostError"
    assert LOST_MESSAGE in failed.traceback
    assert fail_abandoned(WORKER_STALE_AFTER) == 0
