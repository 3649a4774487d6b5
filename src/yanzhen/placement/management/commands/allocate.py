"""``yanzhen allocate INPUT.json [-o OUTPUT.json] [--optimal applicant|unit]``.

INPUT: ``{"applicants": {"<id>": ["<unit id>", ...]}, "units": {"<id>": {"capacity": <int>,
"ranking": ["<applicant id>", ...]}}}`` (preferences best first). OUTPUT (to the file, or to
standard output): ``{"assignments": {"<applicant id>": "<unit id>" or null}, "stats": {...}}``.
Unknown ids, duplicate entries or keys, negative capacities and malformed JSON are refused with
the place of the problem and exit code 2. The result is verified (no blocking pair, capacities,
acceptability) before it is written. No database is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.engines import allocation

EXIT_INPUT = 2


class Command(BaseCommand):
    help = "稳定分配（延迟接受算法）：读取 JSON 输入，输出分配结果与统计"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", metavar="INPUT.json", help="申请人志愿与单位名额、排序")
        parser.add_argument(
            "-o", "--output", metavar="OUTPUT.json", help="结果文件（默认输出到屏幕）"
        )
        parser.add_argument(
            "--optimal",
            choices=allocation.OPTIMAL_CHOICES,
            default="applicant",
            help="申请人最优（默认）或单位最优",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["input"]
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{source}: 无法读取：{error}", returncode=EXIT_INPUT) from error
        try:
            instance = allocation.parse_instance(allocation.loads(text, source=source))
        except allocation.InputError as error:
            where = str(error) if str(error).startswith(source) else f"{source}: {error}"
            raise CommandError(where, returncode=EXIT_INPUT) from error
        optimal = options["optimal"]
        result = allocation.solve(instance, optimal)
        problems = allocation.verify(instance, result)
        if problems:  # the engine's result is checked, not trusted
            raise CommandError("分配结果未通过校验：" + "；".join(p.message for p in problems))
        output = json.dumps(
            {
                "assignments": result,
                "stats": allocation.stats(instance, result, optimal=optimal),
            },
            ensure_ascii=False,
            indent=2,
        )
        target = options.get("output")
        if target:
            try:
                Path(target).write_text(output + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{target}: 无法写入：{error}", returncode=EXIT_INPUT) from error
            matched = sum(1 for u in result.values() if u is not None)
            self.stderr.write(f"已分配 {matched}/{len(result)} 人，结果已写入 {target}")
        else:
            sys.stdout.write(output + "\n")
