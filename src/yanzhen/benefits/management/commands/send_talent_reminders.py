"""``yanzhen send_talent_reminders [--date YYYY-MM-DD] [--dry-run]``: the daily reminders of
expiring entitlements, insurance renewals and due visits and check-ups, notified to the
talent's employer and the paying unit (once per reminder); the worker sends the e-mails and
runs it every morning (``yanzhen/jobs/schedule.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from yanzhen.benefits.services import reminders_due, reminders_send
from yanzhen.notifications.selectors import queued_deliveries


class Command(BaseCommand):
    help = "发送人才服务提醒：待遇到期、保险续保、走访和体检（建议每日运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日计算（默认今天），如 2021-12-20")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送")

    def handle(self, *args: Any, **options: Any) -> None:
        day = timezone.localdate()
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"日期不正确：{options['date']}（应为 2021-12-20）") from error
        if options["dry_run"]:
            for reminder in reminders_due(day):
                self.stdout.write(f"{reminder.due:%Y-%m-%d} {reminder.label}：{reminder.title}")
            return
        with transaction.atomic():
            reminders, sent = reminders_send(day)
        queued = queued_deliveries(sent)
        self.stdout.write(
            f"{day:%Y-%m-%d}：提醒 {len(reminders)} 项，新消息 {len(sent)} 条，"
            f"待发送邮件 {queued.emails} 封，群机器人消息 {queued.robots} 条"
        )
