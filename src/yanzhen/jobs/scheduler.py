"""The scheduler: at each tick, every periodic job whose scheduled time has come since its last
run is enqueued once (``jobs.schedule``); the worker then runs it.

A job seen for the first time is not run at once: its latest scheduled time is recorded as the
starting point, and it runs from its next one. After a pause (the worker stopped for a night),
a job runs once for the latest time it missed, not once per missed time. Two schedulers may
tick together (two workers): each enqueue is tied to inserting the (job, time) row, which the
database lets only one of them do.
"""

from __future__ import annotations

import datetime as dt

from cronsim import CronSim
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from yanzhen.jobs.models import PeriodicRun
from yanzhen.jobs.schedule import Periodic, periodic_jobs
from yanzhen.jobs.tasks import run_command


def latest_slot(cron: str, now: dt.datetime) -> dt.datetime:
    """The latest time of ``cron`` at or before ``now`` (in the local time zone)."""
    local = timezone.localtime(now).replace(microsecond=0) + dt.timedelta(seconds=1)
    return next(CronSim(cron, local, reverse=True))


def _claim(job: Periodic, slot: dt.datetime, *, first: bool) -> PeriodicRun | None:
    """Insert the run of ``job`` at ``slot`` and enqueue it, or None when another scheduler
    has inserted it already."""
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(job=job.name, slot=slot, enqueued=not first)
            if not first:
                result = run_command.enqueue(job.command, list(job.args))
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
    except IntegrityError:
        return None
    return run


def tick(*, now: dt.datetime | None = None) -> list[PeriodicRun]:
    """Enqueue every job that is due at ``now`` (default: the current time); the runs
    enqueued by this tick."""
    now = now or timezone.now()
    last = dict(
        PeriodicRun.objects.values("job").annotate(last=Max("slot")).values_list("job", "last")
    )
    enqueued = []
    for job in periodic_jobs():
        slot = latest_slot(job.cron, now)
        previous = last.get(job.name)
        if previous is not None and previous >= slot:
            continue
        run = _claim(job, slot, first=previous is None)
        if run is not None and run.enqueued:
            enqueued.append(run)
    return enqueued
