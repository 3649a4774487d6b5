"""What the scheduler has done: one row per periodic job and scheduled time."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PeriodicRun(models.Model):
    """A periodic job at one of its scheduled times. The unique (job, slot) is the guard that
    keeps two schedulers ticking at the same moment from enqueueing the job twice: the second
    insert fails and that scheduler moves on."""

    job = models.CharField("任务", max_length=50)
    slot = models.DateTimeField("计划时间")
    enqueued = models.BooleanField(
        "已排队", default=True, help_text="否：首次见到该任务时记下的起点，不运行"
    )
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "定时任务运行"
        verbose_name_plural = "定时任务运行"
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="periodic_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A running task worker (``yanzhen run_worker``): it writes ``seen_at`` every
    ``HEARTBEAT_SECONDS`` while it runs, so the readiness check (``/health/ready/``) knows that
    some worker is alive. A worker that stopped cleanly deletes its row; a killed one's row
    grows old and no longer counts."""

    worker_id = models.CharField("进程编号", max_length=64, unique=True)
    host = models.CharField("主机", max_length=200)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间", default=timezone.now)
    seen_at = models.DateTimeField("最近心跳", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "后台任务进程"
        verbose_name_plural = "后台任务进程"
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
