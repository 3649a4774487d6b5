"""``yanzhen restore FILE (--sqlite NEW.sqlite3 | --database-url URL)``: restore into a fresh
database and verify every table against the backup's manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.audit.models import EventKind
from yanzhen.audit.services import record
from yanzhen.core.backup import restore
from yanzhen.core.errors import DomainError
from yanzhen.core.management.commands.backup import backup_key


class Command(BaseCommand):
    help = "把备份恢复到新的数据库，并逐表核对行数和校验和、检查完整性"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--sqlite", default="", help="恢复到的新 SQLite 文件")
        parser.add_argument("--database-url", default="", help="恢复到的新 PostgreSQL 数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(
                Path(options["archive"]),
                sqlite_path=Path(options["sqlite"]) if options["sqlite"] else None,
                database_url=options["database_url"] or None,
                key=backup_key(),
            )
        except (DomainError, OSError) as error:
            message = error.message if isinstance(error, DomainError) else str(error)
            detail = {"file": Path(options["archive"]).name, "ok": False, "error": message}
            record(EventKind.RESTORE, username="system", detail=detail)
            raise CommandError(message) from error
        record(
            EventKind.RESTORE,
            username="system",
            detail={"file": Path(options["archive"]).name, "tables": report.tables,
                    "rows": report.rows, "ok": report.ok},
        )  # fmt: skip
        if not report.ok:
            raise CommandError("恢复校验失败：" + "；".join(report.mismatches))
        self.stdout.write(f"恢复完成并已校验：{report.tables} 张表，{report.rows} 行，0 行缺失")
