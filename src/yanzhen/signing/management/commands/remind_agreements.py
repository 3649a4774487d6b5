"""``yanzhen remind_agreements [--today YYYY-MM-DD]``: tell the parties of signed agreements
that expire within 90, 30 or 7 days (or have expired) to renew them; each reminder once.
Run daily by the worker (``jobs/schedule.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yanzhen.signing.services import remind_expiring


class Command(BaseCommand):
    help = "协议到期与续签提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按该日期计算（YYYY-MM-DD，缺省：今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 须为 YYYY-MM-DD 格式的日期") from None
        sent = remind_expiring(today=today)
        self.stdout.write(f"已发送协议到期提醒 {sent} 条")
