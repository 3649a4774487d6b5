"""``yanzhen verify_audit``: check the security log's hash chain (exit 1 when broken)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yanzhen.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验安全日志的哈希链：完好时退出码为0，被修改或删除时指出第一处断裂"

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(report.message)
        self.stdout.write(report.message)
