"""``yanzhen remind_reviews``: tell the deciders of every review past its deadline (once per
review, decider and day). The worker runs it daily (``jobs/schedule.py``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yanzhen.core.workflow import review_remind_overdue


class Command(BaseCommand):
    help = "提醒审核人处理已超过审核期限的事项（每项每天一次）"

    def handle(self, *args: Any, **options: Any) -> None:
        written = review_remind_overdue()
        self.stdout.write(f"审核超期提醒：{written} 条")
