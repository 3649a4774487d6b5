"""``yanzhen remind_reporting``: the daily reminder of the reporting tasks — the units that
have not handed in are told two days before the deadline and on the day after it (once
each). The worker runs it every morning (``yanzhen/jobs/schedule.py``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yanzhen.reporting.management.commands.issue_reporting import day_option
from yanzhen.reporting.services import remind_due


class Command(BaseCommand):
    help = "填报任务到期提醒：截止前2天和逾期次日提醒尚未提交的单位"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = day_option(options["date"])
        count = remind_due(today=today)
        self.stdout.write(f"{today:%Y-%m-%d} 填报到期提醒：{count} 个单位")
