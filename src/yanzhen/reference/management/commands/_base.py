"""What the reference loading commands share: running a loader and printing its result."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.core.errors import DomainError
from yanzhen.reference.loaders import LoadResult

PROBLEMS_SHOWN = 20


class LoaderCommand(BaseCommand):
    """A command that runs one or more loaders; bad input ends it with a non-zero exit."""

    def add_path(self, parser: CommandParser, *, optional: bool = False, default: str = "") -> None:
        help_text = "文件路径" + (f"（不填则用{default}）" if default else "")
        if optional:
            parser.add_argument("path", nargs="?", type=Path, help=help_text)
        else:
            parser.add_argument("path", type=Path, help=help_text)

    def run(self, loader: Callable[[], LoadResult | Iterable[LoadResult]]) -> None:
        try:
            outcome = loader()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        results = [outcome] if isinstance(outcome, LoadResult) else list(outcome)
        for result in results:
            self.stdout.write(result.summary())
            for problem in result.problems[:PROBLEMS_SHOWN]:
                self.stdout.write(f"  · {problem}")
            hidden = len(result.problems) - PROBLEMS_SHOWN
            if hidden > 0:
                self.stdout.write(f"  · ……另有 {hidden} 条提示")
