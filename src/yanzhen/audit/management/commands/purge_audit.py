"""``yanzhen purge_audit [--days N] [--processing-days N]``: delete security events older than
their retention (at least 184 days, default 365) and access/export log rows older than theirs
(at least three years), after checking the chains."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.audit.services import (
    processing_retention_days,
    purge,
    purge_processing_records,
    retention_days,
)
from yanzhen.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "清理超过保留期的安全日志（至少184天，默认365天）和个人信息访问日志、导出记录"
        "（至少三年）；清理前先校验哈希链"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="安全日志保留天数（不少于184）")
        parser.add_argument(
            "--processing-days",
            type=int,
            default=None,
            help="访问日志和导出记录保留天数（不少于1096）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        processing = options["processing_days"]
        if processing is None:
            processing = processing_retention_days()
        try:
            count = purge(days=days)
            counts = purge_processing_records(days=processing)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"已清理 {count} 条超过 {days} 天的安全日志")
        self.stdout.write(
            f"已清理超过 {processing} 天的个人信息访问日志 {counts['access']} 条、"
            f"导出记录 {counts['export']} 条"
        )
