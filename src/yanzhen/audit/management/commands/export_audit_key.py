"""``yanzhen export_audit_key [-o FILE]``: the public key (PEM) that checks the signed
checkpoints; it holds no secret and is kept with the checkpoint files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yanzhen.audit import keys


class Command(BaseCommand):
    help = "导出校验审计检查点用的公钥（PEM，不含任何秘密）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", default="", help="公钥文件路径（不给则打印）")

    def handle(self, *args: Any, **options: Any) -> None:
        pem = keys.public_key_pem()
        if options["output"]:
            Path(options["output"]).write_text(pem, encoding="ascii")
            self.stdout.write(
                f"已导出公钥到 {options['output']}（指纹 {keys.key_id(keys.public_key())}）"
            )
        else:
            self.stdout.write(pem, ending="")
