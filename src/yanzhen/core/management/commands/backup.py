"""``yanzhen backup [-o FILE] [--encrypt]``: a consistent online backup of the database and the
uploaded files, with their manifest."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yanzhen.core.backup import DRILL_DAYS, backup, last_drill
from yanzhen.core.errors import DomainError
from yanzhen.core.trail import EventKind, audit_trail


def backup_key() -> bytes | None:
    value = os.environ.get("YANZHEN_BACKUP_KEY", "")
    return value.encode() if value else None


def production() -> bool:
    return os.environ.get("YANZHEN_PRODUCTION", "").strip().lower() in ("1", "true", "yes", "on")


class Command(BaseCommand):
    help = (
        "在线备份数据库（SQLite 备份接口或 pg_dump -Fc）和上传的文件，附每张表的行数和校验和、"
        "每个文件的 SHA-256；可加密（scrypt 派生密钥，AES-256-GCM）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", default="", help="备份文件路径")
        parser.add_argument(
            "--encrypt", action="store_true", help="用环境变量 YANZHEN_BACKUP_KEY 的密钥加密"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = backup_key() if options["encrypt"] else None
        if options["encrypt"] and key is None:
            raise CommandError("加密备份需要设置环境变量 YANZHEN_BACKUP_KEY")
        if key is None and production():  # 等保 level 3: backups are encrypted
            raise CommandError(
                "生产环境（YANZHEN_PRODUCTION）的备份必须加密：请加 --encrypt 并设置 YANZHEN_BACKUP_KEY"
            )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        output = Path(
            options["output"] or Path(settings.DATA_DIR) / "backups" / f"yanzhen-{stamp}.yzbak"
        )
        try:
            result = backup(output, key=key)
        except (DomainError, OSError) as error:
            message = error.message if isinstance(error, DomainError) else str(error)
            detail = {"file": output.name, "ok": False, "error": message}
            audit_trail().record(EventKind.BACKUP, username="system", detail=detail)
            raise CommandError(message) from error
        audit_trail().record(
            EventKind.BACKUP,
            username="system",
            detail={"file": output.name, "tables": result.tables, "rows": result.rows,
                    "files": result.files, "encrypted": result.encrypted, "ok": True},
        )  # fmt: skip
        self.stdout.write(
            f"已备份到 {result.path}：{result.tables} 张表，{result.rows} 行，"
            f"{result.files} 个上传文件" + ("（已加密）" if result.encrypted else "")
        )
        drilled = last_drill()
        if drilled is None or timezone.now() - drilled > dt.timedelta(days=DRILL_DAYS):
            when = (
                "从未做过" if drilled is None else f"上次在 {timezone.localtime(drilled):%Y-%m-%d}"
            )
            self.stderr.write(
                f"提醒：恢复演练{when}，每季度至少演练一次（yanzhen restore 备份文件 --sqlite 新文件）"
            )
