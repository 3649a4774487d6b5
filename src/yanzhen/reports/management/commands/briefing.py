"""``yanzhen briefing --year 2021 [--unit CODE] [--template NAME] -o FILE.docx [--pdf FILE.pdf]``:
write a unit's annual summary from a briefing template of the office, with live figures.

The unit is named by its code; by default the only county, else the unit whose code
``YANZHEN_DEFAULT_UNIT`` names; without either the command exits with status 2 asking for
``--unit``. The template is named by its name; by default the only 工作总结 template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, User
from yanzhen.core.scope import Scope
from yanzhen.reports import briefings
from yanzhen.reports.models import Briefing, BriefingKind, BriefingTemplate
from yanzhen.reports.selectors import default_unit


def everything() -> User:
    """An unsaved account whose data scope is everything: the command runs as the operator of
    the deployment, who reads all records (the scope is cached on the account object)."""
    user = User(username="yanzhen-briefing")
    user._yanzhen_scope = Scope(  # type: ignore[attr-defined]
        user_id=None, everything=True, unit_q=None, self_only=False
    )
    return user


class Command(BaseCommand):
    help = "按简报模板以实时数据生成某单位的年度工作总结（.docx，可同时生成 PDF）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度，如 2021")
        parser.add_argument(
            "--unit", default="", help="单位代码（默认：唯一的县，或 YANZHEN_DEFAULT_UNIT）"
        )
        parser.add_argument("--template", default="", help="模板名称（默认：唯一的工作总结模板）")
        parser.add_argument("-o", "--output", required=True, help="输出的 .docx 文件")
        parser.add_argument("--pdf", default="", help="同时输出的 PDF 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 1990 <= year <= 2100:
            raise CommandError("年度须在1990至2100之间", returncode=2)
        unit = self._unit(options["unit"])
        template = self._template(options["template"])
        name = unit.name
        briefing = Briefing(
            kind=template.kind,
            title=template.title.replace("{年度}", str(year)).replace("{单位}", name),
            unit=unit,
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            text=template.text,
            masthead=f"{name}省校合作工作领导小组办公室文件",
            signature=f"{name}省校合作工作领导小组办公室",
            issue=1 if template.kind == BriefingKind.BULLETIN else None,
        )
        user = everything()
        try:
            data = briefings.briefing_docx(briefing, user)
            Path(options["output"]).write_bytes(data)
            if options["pdf"]:
                Path(options["pdf"]).write_bytes(briefings.briefing_pdf(briefing, user))
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"已生成：{options['output']}" + (f"、{options['pdf']}" if options["pdf"] else "")
        )

    def _unit(self, code: str) -> Unit:
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(f"没有代码为“{code}”的单位", returncode=2)
            return unit
        unit = default_unit(user=None)
        if unit is None:
            raise CommandError(
                "请用 --unit 指定单位代码（没有唯一的县，也未设置 YANZHEN_DEFAULT_UNIT）",
                returncode=2,
            )
        return unit

    def _template(self, name: str) -> BriefingTemplate:
        if name:
            template = BriefingTemplate.objects.filter(name=name).first()
            if template is None:
                raise CommandError(f"没有名为“{name}”的简报模板", returncode=2)
            return template
        summaries = list(BriefingTemplate.objects.filter(kind=BriefingKind.SUMMARY)[:2])
        if len(summaries) != 1:
            raise CommandError("请用 --template 指定模板名称", returncode=2)
        return summaries[0]
