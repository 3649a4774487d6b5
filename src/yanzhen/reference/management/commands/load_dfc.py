from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_dfc
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入“双一流”建设学科（2022 年第二轮或 2017 年首轮）"

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_path(parser)
        parser.add_argument(
            "--round", type=int, choices=(2022, 2017), default=2022, help="轮次（默认 2022）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_dfc(options["path"], year=options["round"]))
