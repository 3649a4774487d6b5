"""``yanzhen purge_jobs [--days N]``: delete the records of finished background tasks and of
periodic runs older than N days (default 30); each job's latest run is kept (the scheduler
counts from it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yanzhen.jobs.models import PeriodicRun


class Command(BaseCommand):
    help = "删除已完成超过保留天数（默认30天）的后台任务记录和定时任务运行记录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="保留天数（不少于1）")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 1:
            raise CommandError("--days 须不少于 1")
        cutoff = timezone.now() - dt.timedelta(days=days)
        tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
        latest = PeriodicRun.objects.values("job").annotate(last=Max("slot"))
        keep = [PeriodicRun.objects.get(job=row["job"], slot=row["last"]).pk for row in latest]
        runs, _ = PeriodicRun.objects.filter(created_at__lt=cutoff).exclude(pk__in=keep).delete()
        self.stdout.write(f"已删除 {tasks} 条后台任务记录、{runs} 条定时任务运行记录")
