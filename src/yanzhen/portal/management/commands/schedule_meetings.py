"""``yanzhen schedule_meetings IN.json [-o OUT.json]``: the 1:1 meetings of a 云对接会 in slots.

IN: ``{"slots": [...], "parties": {id: "enterprise" | "university" | "expert"}, "requests":
[{"id", "a", "b"}], "unavailable": {party: [slots]}}`` (``unavailable`` optional). OUT (to the
file, or to standard output): ``{"meetings": [{"request", "slot"}], "unscheduled": [ids],
"bound": n, "optimal": true | false}``. A malformed input, an ``a`` that is not an enterprise or
a ``b`` that is neither a university nor an expert is refused with the place of the problem and
exit code 2. The schedule is verified (one meeting per party and slot, availabilities, the
bound) before it is written. No database is needed. The algorithm: ``engines/meetings/``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)

from yanzhen.engines import meetings

EXIT_INPUT = 2

FORMAT = """\
输入（JSON）：
  {"slots": ["09:00", "09:20", "09:40"],
   "parties": {"E1": "enterprise", "U1": "university", "X1": "expert"},
   "requests": [{"id": "r1", "a": "E1", "b": "U1"}, {"id": "r2", "a": "E1", "b": "X1"}],
   "unavailable": {"U1": ["09:00"]}}
  slots：时段（按先后顺序，名称不重复）。
  parties：每个参会方的类型，enterprise（企业）、university（高校）或 expert（专家）。
  requests：约见请求，a 必须是企业，b 必须是高校或专家；id 不重复；同一对参会方只能有一条
    请求（双方互相提出的请求请合并为一条）。
  unavailable：可省略；参会方不能参会的时段，未列出的参会方所有时段都能参会。
输出（JSON）：
  {"meetings": [{"request": "r1", "slot": "09:20"}, ...], "unscheduled": ["r5", ...],
   "bound": 12, "optimal": true}
  每个参会方每个时段至多一场约见，且双方都能参会。所有参会方所有时段都能参会时排期最优：
  场数为时段数所能容纳的最多场数（optimal 为 true）；有不能参会的时段时，bound 是任何排期的
  场数上界，optimal 只在场数达到上界时为 true，bound 减场数即最多还差几场。
输入有误时退出码为 2，并指出出错的位置，例如“requests[3].b: 缺少字段”。"""


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's order of the options, and the format above as written."""


class Command(BaseCommand):
    help = "云对接会一对一约见排期：读取 JSON（时段、参会方、约见请求、不能参会的时段），输出排期"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("epilog", FORMAT)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", metavar="IN.json", help="时段、参会方、约见请求（格式见下）")
        parser.add_argument("-o", "--output", metavar="OUT.json", help="结果文件（默认输出到屏幕）")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["input"]
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{source}: 无法读取：{error}", returncode=EXIT_INPUT) from error
        try:
            event = meetings.parse_event(meetings.loads(text, source=source))
        except meetings.InputError as error:
            where = str(error) if str(error).startswith(source) else f"{source}: {error}"
            raise CommandError(where, returncode=EXIT_INPUT) from error
        result = meetings.schedule(event)
        problems = meetings.verify(event, result)
        if problems:  # the engine's result is checked, not trusted
            raise CommandError("排期未通过校验：" + "；".join(problems))
        output = json.dumps(result.as_json(), ensure_ascii=False, indent=2)
        target = options.get("output")
        if target:
            try:
                Path(target).write_text(output + "\n", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{target}: 无法写入：{error}", returncode=EXIT_INPUT) from error
            quality = "已证明最优" if result.optimal else f"距上界最多差 {result.gap} 场"
            self.stderr.write(
                f"已安排 {len(result.meetings)}/{len(event.requests)} 场约见"
                f"（上界 {result.bound}，{quality}），结果已写入 {target}"
            )
        else:
            sys.stdout.write(output + "\n")
