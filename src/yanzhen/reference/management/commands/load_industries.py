from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from yanzhen.reference.loaders import load_industries
from yanzhen.reference.management.commands._base import LoaderCommand


class Command(LoaderCommand):
    help = "导入国民经济行业分类 GB/T 4754-2017（industry_gbt4754_2017.csv）"

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_path(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(lambda: load_industries(options["path"]))
