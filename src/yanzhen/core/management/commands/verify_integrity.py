"""``yanzhen verify_integrity [--json] [--model LABEL ...] [--revert]``: check every protected
record against its keyed MACs; name model, id and field of each mismatch and the last history
version that still matches; ``--revert`` puts that version back (through the record history)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.core import integrity
from yanzhen.core.trail import EventKind, audit_trail


class Command(BaseCommand):
    help = "校验考核得分、补贴金额与发放清单、合作阶段日期的完整性校验码；不符时以非零状态退出"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument(
            "--model",
            action="append",
            default=[],
            choices=sorted(integrity.registry()),
            help="只校验这类记录（可重复）",
        )
        parser.add_argument(
            "--revert", action="store_true", help="把不符的记录还原到最后相符的历史版本"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = integrity.verify(labels=options["model"])
        reverted: list[integrity.Finding] = []
        if options["revert"] and report.findings:
            reverted = integrity.revert(report.findings)
        remaining = [f for f in report.findings if f.reverted_to is None]
        if report.findings:
            integrity.log_findings(report.findings, source="verify_integrity")
        audit_trail().record(
            EventKind.INTEGRITY_CHECK,
            username="system",
            detail={
                "checked": report.checked,
                "failed": len(report.findings),
                "reverted": [{"model": f.label, "id": f.pk, "to": f.reverted_to} for f in reverted],
            },
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "checked": report.checked,
                        "ok": not remaining,
                        "findings": [f.as_dict() for f in report.findings],
                    },
                    ensure_ascii=False,
                    indent=1,
                )
            )
        else:
            for finding in report.findings:
                fields = "、".join(
                    f"{label}（{name}）"
                    for name, label in zip(finding.fields, finding.field_labels, strict=True)
                )
                line = f"{finding.title}（{finding.label}）#{finding.pk}"
                line += f" 字段 {fields}：" if fields else "："
                line += f"{finding.problem()}；{finding.recovery()}"
                if finding.reverted_to is not None:
                    line += f"；已还原到版本 #{finding.reverted_to}"
                self.stdout.write(line)
            self.stdout.write(
                f"完整性校验：共 {report.checked} 条记录，{len(report.findings)} 条不符"
                + (f"，已还原 {len(reverted)} 条" if reverted else "")
            )
        if remaining:
            raise CommandError(f"完整性校验失败：{len(remaining)} 条记录不符")
