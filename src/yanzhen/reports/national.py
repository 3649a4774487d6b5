"""The national summary: the year's cooperation figures of the whole ledger (every county), read
from the stored tally through the figures catalogue (``figures.Definition.tallied``) — a handful
of small queries whatever the size of the ledger — and written as a .docx by the briefings'
renderer. Only a reader who sees everything gets it (the tally is the whole ledger's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from yanzhen.core.errors import DomainError
from yanzhen.engines.briefing_template import Block, parse
from yanzhen.reports import figures
from yanzhen.reports.figures import Context, Period, Result
from yanzhen.reports.gongwen import Document, Kind, render_docx

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

NATIONAL_TEXT = """\
# 合作总体情况
全年与{合作高校数}所高校（院所）达成合作意向{合作意向数}项[若 同比增长:合作意向数>0]，同比增长{同比增长:合作意向数}[/若]，签订合作协议{签约数}项，落地项目{落地数}个[若 落地投资>0]，落地投资{落地投资}万元[/若]。
[若 国际合作数>0]开展国际合作{国际合作数}项，{国际合作学生数}名学生参与。[/若]
# 主要指标
[表 主要合作指标]
指标|本年|上年
合作高校（院所）|{合作高校数}所|{合作高校数:上年}所
合作意向|{合作意向数}项|{合作意向数:上年}项
签约协议|{签约数}项|{签约数:上年}项
落地项目|{落地数}个|{落地数:上年}个
落地投资（万元）|{落地投资}|{落地投资:上年}
国际合作|{国际合作数}项|{国际合作数:上年}项
[/表]
"""


@dataclass(frozen=True)
class Summary:
    year: int
    results: dict[str, Result]
    blocks: tuple[Block, ...]

    def value(self, key: str) -> object:
        return self.results[key].value


def national_summary(*, user: AnyUser, year: int, text: str = NATIONAL_TEXT) -> Summary:
    """The figures of ``text`` for the whole ledger in ``year`` (from the stored tally)."""
    ctx = Context(user=user, period=Period.of_year(year))
    if not figures.national(ctx):
        message = "全国汇总只能由可查看全部数据的用户生成"
        raise DomainError("scope", message, status=403)
    template = parse(text, figures.template_catalogue())
    results = figures.compute_all(template.figures(), ctx)
    blocks = template.render({key: r.value for key, r in results.items()})
    return Summary(year, results, blocks)


def national_docx(summary: Summary, *, signature: str = "省校合作工作平台") -> bytes:
    document = Document(
        Kind.PLAIN,
        f"{summary.year}年全国省校合作工作汇总",
        summary.blocks,
        signature=signature,
        signed_on=timezone.localdate(),
    )
    return render_docx(document)
