"""Running the queued tasks: :func:`run_ready` (all that are due now, in this process: the
worker's loop and the tests) and :class:`Loop` (``yanzhen run_worker``).

Tasks are rows of django-tasks' database backend (``django_tasks_db``), claimed one at a time
in an exclusive transaction (SQLite) or with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL),
so several workers never run the same task.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from yanzhen.jobs import scheduler
from yanzhen.jobs.models import WorkerHeartbeat

logger = logging.getLogger("yanzhen.jobs")

HEARTBEAT_SECONDS = 10.0  # how often a running worker writes its heartbeat
# A worker whose last heartbeat is older than this counts as gone (three beats missed).
WORKER_STALE_AFTER = dt.timedelta(seconds=3 * HEARTBEAT_SECONDS)


def _runner(worker_id: str) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def _claim(worker_id: str) -> DBTaskResult[..., Any] | None:
    ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
    try:
        with exclusive_transaction(ready.db):
            result = ready.get_locked()
            if result is not None:
                result.claim(worker_id)
            return result
    except OperationalError as error:
        if is_locked_database_exception(error):  # busy: the next round tries again
            return None
        raise


def run_ready(
    *,
    limit: int | None = None,
    stopping: Callable[[], bool] = lambda: False,
    worker_id: str | None = None,
) -> int:
    """Run the tasks that are due now, one after the other (a task a run enqueues for later
    waits); the number run. ``worker_id``: the claiming worker's (its heartbeat's) id."""
    worker_id = worker_id or get_random_string(32)
    runner = _runner(worker_id)
    done = 0
    while (limit is None or done < limit) and not stopping():
        result = _claim(worker_id)
        if result is None:
            break
        runner.run_task(result)
        done += 1
    return done


class WorkerLostError(Exception):
    """The task's worker ended while it ran (killed, out of memory, the machine went down)."""


LOST_MESSAGE = (
    "后台任务进程在运行此任务时中断（进程被终止或服务器重启），任务未完成；"
    "任务在一个数据库事务中运行，已整体回滚，数据未改动。请重新提交。"
)


def fail_abandoned(stale_after: dt.timedelta) -> int:
    """Mark failed the tasks still RUNNING whose worker has no heartbeat newer than
    ``stale_after`` (it was killed in the middle: what the task wrote in its transaction was
    rolled back with the connection); the number marked. Their record says so in Chinese."""
    since = timezone.now() - stale_after
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True)
    )
    marked = 0
    running = DBTaskResult.objects.running().filter(
        backend_name=DEFAULT_TASK_BACKEND_ALIAS, started_at__lt=since
    )
    for result in running:
        if not alive.intersection(result.worker_ids):
            result.set_failed(WorkerLostError(LOST_MESSAGE))
            logger.warning("任务 %s 的后台任务进程已中断，任务记为失败", result.pk)
            marked += 1
    return marked


class Loop:
    """The worker process: every ``tick_seconds`` the scheduler enqueues what is due; in
    between, queued tasks are run as they come (checked every ``interval`` seconds).

    SIGTERM or SIGINT ends it after the task in hand (a second one at once). A SIGINT ignored
    when the process started stays ignored: ``make run`` starts the worker so that Ctrl-C goes
    to the web server, whose end stops the worker with SIGTERM."""

    def __init__(self, *, interval: float, tick_seconds: float) -> None:
        self.interval = interval
        self.tick_seconds = tick_seconds
        self.stop = False
        self.worker_id = get_random_string(32)
        self.next_beat = 0.0

    def _signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stop:
            raise SystemExit(1)
        logger.info("收到 %s，完成当前任务后退出", signal.Signals(signum).name)
        self.stop = True

    def install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._signal)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, self._signal)

    def round(self, *, tick: bool) -> int:
        """Tick (when ``tick``), then run what is ready; the number of tasks run."""
        close_old_connections()
        try:
            self.beat()
            if tick:
                for run in scheduler.tick():
                    logger.info("定时任务 %s 已排队（%s）", run.job, f"{run.slot:%Y-%m-%d %H:%M}")
                fail_abandoned(WORKER_STALE_AFTER)
            return run_ready(stopping=lambda: self.stop, worker_id=self.worker_id)
        finally:
            close_old_connections()

    def beat(self) -> None:
        """Write this worker's heartbeat when the last is ``HEARTBEAT_SECONDS`` old."""
        now = time.monotonic()
        if now < self.next_beat:
            return
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen_at": timezone.now()},
        )
        self.next_beat = now + HEARTBEAT_SECONDS

    def run(self) -> None:
        """Rounds until stopped. The database going away (a restart of PostgreSQL) does not end
        the worker: the round is logged as failed and tried again after ``interval``."""
        next_tick = 0.0
        while not self.stop:
            now = time.monotonic()
            try:
                ran = self.round(tick=now >= next_tick)
            except (OperationalError, InterfaceError) as error:
                logger.warning("数据库暂不可用，稍后重试：%s", str(error).splitlines()[0][:200])
                self.next_beat = 0.0
                ran = 0
            if now >= next_tick:
                next_tick = now + self.tick_seconds
            if not ran:
                self._sleep(self.interval)
        with contextlib.suppress(DatabaseError):  # the database is gone: the row ages out
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stop and time.monotonic() < end:
            time.sleep(min(0.2, end - time.monotonic()))
