"""``yanzhen purge_uploads``: delete import previews and temporary upload files past their age.

Run it every few minutes (cron ``*/10 * * * * cd /srv/yanzhen && .venv/bin/yanzhen
purge_uploads``): previews older than ``YANZHEN_IMPORT_PREVIEW_MINUTES`` (60) and temporary
upload files older than ``YANZHEN_TEMP_FILE_HOURS`` (24) are deleted, and so are the files of
background exports past their 24 hours (and any a killed worker left half-written,
``core.export_jobs``). Smaller exports are built in memory and never written to disk.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yanzhen.core.export_jobs import purge_expired
from yanzhen.core.imports import preview_seconds, purge_uploads, temp_seconds


class Command(BaseCommand):
    help = "删除超过时限的导入预览文件（默认1小时）、临时上传文件（默认24小时）和后台导出文件（24小时）"

    def handle(self, *args: Any, **options: Any) -> None:
        report = purge_uploads()
        exports = purge_expired()
        self.stdout.write(
            f"已删除导入预览文件 {report.previews} 个（超过 {preview_seconds() // 60} 分钟），"
            f"临时上传文件 {report.temporary} 个（超过 {temp_seconds() // 3600} 小时）"
        )
        if exports:
            self.stdout.write(f"已删除后台导出文件 {exports} 个（超过 24 小时或未写完）")
