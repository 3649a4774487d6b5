"""``yanzhen purge_audit [--days N]``: delete security events older than the retention."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.audit.services import purge, retention_days
from yanzhen.core.errors import DomainError


class Command(BaseCommand):
    help = "清理超过保留期的安全日志（保留期至少184天，默认365天）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="保留天数（不少于184）")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        try:
            count = purge(days=days)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"已清理 {count} 条超过 {days} 天的安全日志")
