from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_aliases
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入高校别名（name,alias 两列的 CSV；不填路径时用内置的常用简称表）"

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_path(parser, optional=True, default="内置的常用简称表")

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_aliases(options["path"]))
