"""``yanzhen remind_due``: the daily run of closed-loop supervision.

Escalates (督办) what is overdue — the day after its deadline to the responsible unit, a week
later to the base's responsible leader — then reminds each responsible unit and each leader of
what is due within three days and what is overdue: in-platform notifications (once per
recipient per day), and reminds the bases that have not reported to a scheduling round by its
deadline. E-mails and the units' WeCom / DingTalk group robots are sent by the worker. The
worker runs it every morning (``yanzhen/jobs/schedule.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yanzhen.notifications.selectors import queued_deliveries
from yanzhen.supervision.services import remind_due


class Command(BaseCommand):
    help = "每日督办与到期提醒：逾期事项督办，3日内到期和逾期事项按责任单位、责任领导提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"日期格式不正确：{options['date']}（应为 YYYY-MM-DD）"
                ) from error
        run = remind_due(today=today)
        self.stdout.write(f"{today:%Y-%m-%d} 督办与到期提醒")
        self.stdout.write(f"新增督办 {len(run.escalations)} 项")
        for escalation in run.escalations:
            target = escalation.problem or escalation.milestone
            self.stdout.write(f"  [{escalation.get_level_display()}] {target}：{escalation.note}")
        for title, reminders in (("责任单位", run.units), ("责任领导", run.leaders)):
            self.stdout.write(f"{title} {len(reminders)} 个")
            for reminder in reminders:
                self.stdout.write(
                    f"  {reminder.label}：逾期 {len(reminder.overdue)} 项，"
                    f"3日内到期 {len(reminder.due_soon)} 项"
                )
                for line in reminder.overdue + reminder.due_soon:
                    self.stdout.write(f"    · {line}")
        self.stdout.write(f"调度报送提醒 {len(run.rounds)} 条")
        queued = queued_deliveries(run.notifications)
        self.stdout.write(
            f"站内消息 {len(run.notifications)} 条；待发送邮件 {queued.emails} 封，"
            f"群机器人消息 {queued.robots} 条"
        )
