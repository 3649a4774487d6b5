from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_local_industries
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入本地产业分类及其国民经济行业代码（不填路径时用内置的永济市分类）"

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_path(parser, optional=True, default="内置的永济市分类")

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_local_industries(options["path"]))
