"""``yanzhen seal_integrity``: tag the protected records that have no tag yet (after the first
migration, or when an app protects another field). A complete tag is never rewritten, so a
tampered record is not blessed: it stays for ``verify_integrity`` to find."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from yanzhen.core import integrity
from yanzhen.core.trail import EventKind, audit_trail


class Command(BaseCommand):
    help = "为尚无完整性校验码的受保护记录补上校验码（已有完整校验码的记录不变）"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = integrity.seal_missing()
        total = sum(counts.values())
        audit_trail().record(
            EventKind.INTEGRITY_CHECK, username="system", detail={"sealed": counts}
        )
        for label, count in sorted(counts.items()):
            if count:
                self.stdout.write(f"{label}：补上 {count} 条")
        self.stdout.write(f"共补上 {total} 条完整性校验码")
