"""``yanzhen verify_audit``: check the security log, the access log, the export log and the
signed checkpoints (exit 1, naming the first bad row of each chain, when anything is wrong)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yanzhen.audit.services import alert, verify_chain


class Command(BaseCommand):
    help = (
        "校验安全日志、个人信息访问日志、导出记录三条带密钥的哈希链和已签名的检查点："
        "完好时退出码为0；被修改或删除时指出每条链第一条有问题的记录，退出码非0"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            alert(report)
            raise CommandError(report.message)
        self.stdout.write(report.message)
