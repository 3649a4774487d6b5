"""``yanzhen verify_checkpoint FILE --public-key KEY.pem [--no-database]``: check a checkpoint
file with the public key only (no secret), and that the database still holds what it states."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.audit import chain, keys


class Command(BaseCommand):
    help = "只用公钥校验检查点文件的签名，并核对数据库中的日志仍与检查点一致"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("checkpoint", help="checkpoint_audit 导出的检查点文件")
        parser.add_argument("--public-key", required=True, help="export_audit_key 导出的公钥文件")
        parser.add_argument("--no-database", action="store_true", help="只校验签名，不核对数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            public = keys.load_public_key(Path(options["public_key"]).read_bytes())
            data = json.loads(Path(options["checkpoint"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"无法读取：{error}") from error
        problems = chain.verify_document(data, public)
        if not problems and not options["no_database"]:
            problems = chain.compare_with_database(data["body"])
        if problems:
            raise CommandError("检查点校验失败：" + "；".join(problems))
        body = data["body"]
        where = "，数据库中的日志与之一致" if not options["no_database"] else ""
        self.stdout.write(f"第 {body['number']} 号检查点（{body['created_at']}）签名有效{where}")
