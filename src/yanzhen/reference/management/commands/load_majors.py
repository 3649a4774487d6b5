from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_majors
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入本科专业目录：undergraduate_majors_<年份>.csv（门类、专业类、专业代码、T/K 标记）"

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_path(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_majors(options["path"]))
