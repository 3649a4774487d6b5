"""``yanzhen issue_reporting``: issue the recurring reporting tasks for the period that has
begun (a monthly task on the first of each month, a quarterly one on the first day of each
quarter; run again the same period it issues nothing). The worker runs it every morning
(``yanzhen/jobs/schedule.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yanzhen.reporting.services import recurring_issue


def day_option(text: str | None) -> dt.date:
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"日期格式不正确：{text}（应为 YYYY-MM-DD）") from error


class Command(BaseCommand):
    help = "下发到期的周期性填报任务（每月、每季度）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = day_option(options["date"])
        issued = recurring_issue(today=today)
        self.stdout.write(f"{today:%Y-%m-%d} 下发周期性填报任务 {len(issued)} 项")
        for task in issued:
            count = task.submissions.count()
            self.stdout.write(f"  {task.title}：{count} 个单位，{task.deadline:%Y-%m-%d} 截止")
