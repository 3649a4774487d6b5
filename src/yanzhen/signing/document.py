"""An agreement's text: the templates per kind, and the PDF (a plain 文稿 of
``reports.gongwen``, by LibreOffice, with Chinese fonts) with the signature page appended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from yanzhen.engines.briefing_template import Block, Heading, Paragraph
from yanzhen.reports.gongwen import Document, Kind, render_pdf
from yanzhen.signing.pades import with_signature_page

TEMPLATES: dict[str, str] = {
    "framework": (
        "# 合作目标\n"
        "各方本着优势互补、互利共赢的原则，就“{cooperation}”开展全面合作，"
        "共同推动科技成果在永济转化落地。\n"
        "# 合作内容\n"
        "（一）共建研发与成果转化平台；（二）联合培养人才、开展挂职交流；"
        "（三）定期会商，协调解决合作中的问题。\n"
        "# 各方义务\n"
        "各方指定联络人，按年度工作计划推进，每季度向省校合作办报送进展。\n"
        "# 协议期限\n"
        "本协议自{starts_on}起至{expires_on}止。期满前三个月，各方协商续签事宜。\n"
        "# 其他\n"
        "本协议以电子形式签署，各方电子签名与纸质签章具有同等法律效力。"
    ),
    "project": (
        "# 项目内容\n"
        "各方共同实施“{cooperation}”项目，明确研发任务、投入和成果归属。\n"
        "# 进度安排与节点\n"
        "项目按各方商定的节点推进，节点计划纳入永济市省校合作督办。\n"
        "# 知识产权\n"
        "项目产生的知识产权归属及收益分配，由各方另行书面约定。\n"
        "# 协议期限\n"
        "本协议自{starts_on}起至{expires_on}止。\n"
        "# 其他\n"
        "本协议以电子形式签署，各方电子签名与纸质签章具有同等法律效力。"
    ),
    "personnel": (
        "# 合作事项\n"
        "各方就“{cooperation}”中的人才引进、柔性用才和挂职服务开展合作。\n"
        "# 服务与保障\n"
        "用人单位提供工作条件和生活保障，派出单位支持人员按约定开展服务。\n"
        "# 协议期限\n"
        "本协议自{starts_on}起至{expires_on}止。\n"
        "# 其他\n"
        "本协议以电子形式签署，各方电子签名与纸质签章具有同等法律效力。"
    ),
}


def chinese_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def from_template(kind: str, *, cooperation: str, starts_on: dt.date, expires_on: dt.date) -> str:
    """The first version's text of an agreement of ``kind``."""
    return TEMPLATES[kind].format(
        cooperation=cooperation,
        starts_on=chinese_day(starts_on),
        expires_on=chinese_day(expires_on),
    )


@dataclass(frozen=True)
class PartyLine:
    label: str  # 甲方
    organisation: str
    signer: str


def blocks(content: str, parties: Sequence[PartyLine]) -> tuple[Block, ...]:
    """The text as blocks: ``# `` starts a heading (numbered 一、二、 by the renderer)."""
    out: list[Block] = [Paragraph.of(f"{p.label}：{p.organisation}") for p in parties]
    for line in content.splitlines():
        text = line.strip()
        if not text:
            continue
        if text.startswith("# "):
            out.append(Heading.of(1, text[2:].strip()))
        else:
            out.append(Paragraph.of(text))
    out.append(Paragraph.of("（以下无正文。各方电子签章见签署页。）"))
    return tuple(out)


def render(*, title: str, code: str, content: str, parties: Sequence[PartyLine]) -> bytes:
    """The PDF to be signed: the text, then the signature page."""
    document = Document(kind=Kind.PLAIN, title=title, number=code, body=blocks(content, parties))
    return with_signature_page(render_pdf(document))
