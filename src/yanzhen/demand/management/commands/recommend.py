"""``yanzhen recommend "<need text>" [--discipline CODE] [--degree 硕士] [--top 10] [--json]``:
the universities (with discipline) and experts recommended for a need, with their scores and
reasons. Reads the whole database (no data scope: an operator's tool)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yanzhen.demand import recommendations
from yanzhen.engines.retrieval import DEGREE_LABELS, Need, Recommendation

DEGREE_WORDS = {
    "博士": "doctor", "硕士": "master", "本科": "bachelor", "学士": "bachelor",
    "大专": "associate", "专科": "associate", "doctor": "doctor", "master": "master",
    "bachelor": "bachelor", "associate": "associate",
}  # fmt: skip


class Command(BaseCommand):
    help = "为一条人才需求推荐高校（按学科）和专家，列出得分和推荐理由"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("text", help="需求描述，如“牵引电机控制算法工程师”")
        parser.add_argument(
            "--discipline",
            action="append",
            default=[],
            metavar="CODE",
            help="一级学科代码，如 0808（可多次给出）",
        )
        parser.add_argument("--degree", default="", help="学历要求：博士、硕士、本科、大专")
        parser.add_argument("--top", type=int, default=10, help="每类列出前几名（默认 10）")
        parser.add_argument("--json", action="store_true", help="输出 JSON 列表")

    def handle(self, *args: Any, **options: Any) -> None:
        text: str = options["text"].strip()
        codes = tuple(c.strip() for c in options["discipline"] if c.strip())
        degree_text: str = options["degree"].strip()
        degree = DEGREE_WORDS.get(degree_text.lower()) if degree_text else ""
        if degree is None:
            raise CommandError(f"无法识别的学历“{degree_text}”，可选：博士、硕士、本科、大专")
        if options["top"] < 1:
            raise CommandError("--top 至少为 1")
        if not text and not codes:
            raise CommandError("请给出需求描述，或用 --discipline 给出学科代码")
        built = recommendations.engine()
        unknown = [c for c in codes if c not in built.discipline_names]
        if unknown:
            raise CommandError(f"未知的学科代码：{'、'.join(unknown)}（应为一级学科代码，如 0808）")
        need = Need(text=text, discipline_codes=codes, degree=degree)
        found = recommendations.recommend(user=None, need=need, top=options["top"], built=built)
        items = [*found.universities.items, *found.experts.items]
        message = found.universities.message or found.experts.message
        if options["json"]:
            if message and not items:
                self.stderr.write(message)
            self.stdout.write(
                json.dumps(
                    [recommendations.as_dict(r) for r in items], ensure_ascii=False, indent=2
                )
            )
            return
        label = "；".join(
            bit
            for bit in (
                f"学科 {'、'.join(codes)}" if codes else "",
                f"学历 {DEGREE_LABELS[degree]}" if degree else "",
            )
            if bit
        )
        self.stdout.write(f"需求：{text or '（无描述）'}" + (f"（{label}）" if label else ""))
        if found.universities.terms:
            self.stdout.write(f"检索词：{'、'.join(found.universities.terms)}")
        if not items:
            self.stdout.write(message or "没有找到相关的高校或专家")
            return
        self._section("推荐高校（按学科）", found.universities.items, found.universities.message)
        self._section("推荐专家", found.experts.items, found.experts.message)

    def _section(self, title: str, items: tuple[Recommendation, ...], message: str) -> None:
        self.stdout.write("")
        self.stdout.write(title)
        if not items:
            self.stdout.write(f"  {message or '无'}")
            return
        for item in items:
            profile = item.profile
            who = (
                f"{profile.expert}（{profile.university}{'，' + profile.title if profile.title else ''}）"
                if profile.kind == "expert"
                else profile.university
            )
            discipline = f"{profile.discipline_code} {profile.discipline}".strip()
            self.stdout.write(f"{item.rank:>3}. {who}  {discipline}  {item.score:.3f}")
            parts = "  ".join(f"{p.label} {p.points:.3f}" for p in item.parts)
            self.stdout.write(f"     {parts}")
            self.stdout.write(f"     理由：{'；'.join(item.reasons)}")
