from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_reference
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = (
        "导入目录中的全部参考数据（高校、学科、双一流 2022 与 2017、学科评估、国民经济行业、"
        "行政区划、高校别名、本地产业），在一个事务中完成"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="参考数据目录（如 data/reference）")

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_reference(options["directory"]).values())
