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
