from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_universities
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入高校名单：universities_moe_*.csv 或教育部公布的 .xls 名单（按扩展名识别，可多个）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="CSV 或 .xls 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_universities(options["paths"]))
