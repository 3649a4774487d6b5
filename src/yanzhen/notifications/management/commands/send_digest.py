"""``yanzhen send_digest``: the daily digest — one e-mail per user listing their unread
notifications, when any came in the last day (once a day per user; users may turn it off in
提醒设置). The worker runs it every afternoon and sends the e-mails."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yanzhen.notifications.services import digest_send


class Command(BaseCommand):
    help = "每日未读消息汇总：给最近一天有新消息且未读的用户各发一封汇总邮件（每天一次）"

    def handle(self, *args: Any, **options: Any) -> None:
        queued = digest_send()
        self.stdout.write(f"已排队汇总邮件 {len(queued)} 封")
