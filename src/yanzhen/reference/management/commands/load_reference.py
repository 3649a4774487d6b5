from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_reference
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = (
        "导入全部参考数据（高校、学科、双一流 2022 与 2017、学科评估、本科专业目录、国民经济行业、"
        "行政区划、本县村（社区）、高校别名、本地产业），在一个事务中完成；不填目录时导入软件包自带的"
        "全国名单，填目录时从其中更新的官方文件更新"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            type=Path,
            nargs="?",
            help="参考数据目录（如 data/reference）；不填则用软件包自带的名单",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_reference(options["directory"]).values())
