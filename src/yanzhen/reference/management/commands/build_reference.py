from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from yanzhen.core.errors import DomainError
from yanzhen.reference.loaders import NATIONAL_DIR, build_national
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = (
        "由官方名单文件生成随软件分发的参考名单（gzip 压缩的 CSV 与说明出处的 README.md）："
        "先用导入程序逐行检查（随后回滚），再写入软件包的 reference/data/national"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory", type=Path, help="官方文件目录（如 ../shared/data/reference）"
        )
        parser.add_argument(
            "--out", type=Path, default=None, help=f"输出目录（不填则为 {NATIONAL_DIR}）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lines = build_national(options["directory"], options["out"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in lines:
            if line.startswith("| ") and "`" in line:
                self.stdout.write(line)
        self.stdout.write(f"已写入 {options['out'] or NATIONAL_DIR}")
