"""``yanzhen restore FILE (--sqlite NEW.sqlite3 | --database-url URL) [--media-dir DIR]``:
restore into a fresh database (and the uploaded files into a new directory) and verify every
table, every file and the integrity tags against the backup; each run is a drill record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yanzhen.core.backup import (
    RestoreReport,
    describe_target,
    drill_record,
    file_sha256,
    restore,
)
from yanzhen.core.errors import DomainError
from yanzhen.core.management.commands.backup import backup_key
from yanzhen.core.trail import EventKind, audit_trail


def _entry(archive: Path, target: str, report: RestoreReport | None, error: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "time": timezone.localtime().isoformat(timespec="seconds"),
        "file": str(archive),
        "file_sha256": file_sha256(archive) if archive.is_file() else "",
        "target": target,
        "result": "ok" if report is not None and report.ok and not error else "failed",
    }
    if report is not None:
        entry.update(
            format=report.format,
            tables=report.tables,
            rows=report.rows,
            rows_expected=report.rows_expected,
            files=report.files,
            files_expected=report.files_expected,
            integrity_checked=report.integrity_checked,
            integrity_failed=report.integrity_failed,
            seconds=round(report.seconds, 1),
            problems=report.mismatches[:20],
            notes=report.notes,
        )
    if error:
        entry["problems"] = [error]
    return entry


class Command(BaseCommand):
    help = "把备份恢复到新的数据库，逐表核对行数和校验和、检查完整性，核对上传文件，并留下演练记录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--sqlite", default="", help="恢复到的新 SQLite 文件")
        parser.add_argument("--database-url", default="", help="恢复到的新 PostgreSQL 数据库")
        parser.add_argument(
            "--media-dir", default="", help="上传文件恢复到的新目录（不给则只在临时目录核对）"
        )
        parser.add_argument("--record", default="", help="演练记录文件（默认在备份目录）")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        sqlite_path = Path(options["sqlite"]) if options["sqlite"] else None
        target = describe_target(sqlite_path, options["database_url"])
        report: RestoreReport | None = None
        error = ""
        try:
            report = restore(
                archive,
                sqlite_path=sqlite_path,
                database_url=options["database_url"] or None,
                key=backup_key(),
                media_dir=Path(options["media_dir"]) if options["media_dir"] else None,
            )
        except DomainError as failure:
            error = failure.message
        except OSError as failure:  # the archive or the target cannot be read or written
            error = f"恢复失败：{failure.filename or archive}：{failure.strerror or failure}"
        entry = _entry(archive, target, report, error)
        path = drill_record(entry, Path(options["record"]) if options["record"] else None)
        detail = {k: v for k, v in entry.items() if k not in ("problems", "notes")}
        detail.update(file=archive.name, ok=entry["result"] == "ok")
        detail["problems"] = len(entry.get("problems", []))
        if error:
            detail["error"] = error
        audit_trail().record(EventKind.RESTORE, username="system", detail=detail)
        if error:
            raise CommandError(error)
        assert report is not None
        if not report.ok:
            raise CommandError("恢复校验失败：" + "；".join(report.mismatches))
        lines = [f"恢复完成并已校验：{report.tables} 张表，{report.rows} 行，0 行缺失"]
        if report.files_expected is not None:
            where = f"，已恢复到 {report.media_dir}" if report.media_dir else ""
            lines.append(f"上传文件：{report.files} 个，0 个缺失或被改动{where}")
        if report.integrity_checked is not None:
            lines.append(f"完整性校验码：{report.integrity_checked} 条记录，0 条不符")
        lines += report.notes
        lines.append(f"用时 {report.seconds:.1f} 秒；演练记录已写入 {path}")
        self.stdout.write("\n".join(lines))
