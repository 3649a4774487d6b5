from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_evaluation
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入第四轮学科评估结果（discipline_evaluation_round4_2017.csv）"

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_path(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_evaluation(options["path"]))
