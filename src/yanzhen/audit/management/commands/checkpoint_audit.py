"""``yanzhen checkpoint_audit [-o FILE]``: check the three log chains, then sign where they
stand (Ed25519) and keep the checkpoint in the database and, with ``-o``, in a file to copy to
another host. Refused (exit 1) while a chain is broken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.audit import chain
from yanzhen.audit.services import checkpoint_write
from yanzhen.core.errors import DomainError


class Command(BaseCommand):
    help = "校验审计日志后写一个签名检查点（Ed25519），可导出为文件交异地保存"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", default="", help="检查点文件路径（给出目录时按序号命名）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = checkpoint_write()
        except DomainError as error:
            raise CommandError(error.message) from error
        summary = f"已写第 {checkpoint.number} 号检查点，摘要 {checkpoint.digest}"
        if options["output"]:
            path = Path(options["output"])
            if path.is_dir():
                path = path / f"yanzhen-checkpoint-{checkpoint.number:06d}.json"
            text = json.dumps(chain.document(checkpoint), ensure_ascii=False, indent=2)
            path.write_text(text + "\n", encoding="utf-8")
            summary += f"，已导出到 {path}"
        self.stdout.write(summary)
