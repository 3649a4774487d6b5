from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_disciplines
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入学科门类和一级学科（disciplines_2022_first_level.csv）"

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_path(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_disciplines(options["path"]))
