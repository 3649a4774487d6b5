"""The assessment's 通报 as a 公文 (GB/T 9704-2012), written by the same renderer as the
briefings (:mod:`yanzhen.reports.gongwen`), beside the assessment's own XLSX: the title, the
发文字号, the basis of the assessment, the ranking table (rank, subject, the dimension subtotals,
the total, the grade) and the notes on how the scores are made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from yanzhen.assessment.excel import grade
from yanzhen.assessment.models import Aggregation, Period, PeriodState, Score
from yanzhen.engines.briefing_template import Heading, Paragraph, Table
from yanzhen.reports.gongwen import Document, Kind, chinese_date, render_docx


@dataclass(frozen=True)
class Header:
    """What the office fills in for the 公文: its 版头, 发文字号, 主送, 抄送 and 署名."""

    masthead: str
    number: str
    recipients: tuple[str, ...]
    copy_to: tuple[str, ...]
    signature: str
    signed_on: dt.date


def points(value: Decimal | str) -> str:
    """Two decimals, as the ranking shows them (``92.5`` → ``92.50``)."""
    return f"{Decimal(value):.2f}"


def title_of(period: Period) -> str:
    status = "" if period.state == PeriodState.PUBLISHED else "（未发布，仅供审核）"
    return f"关于{period.name}{period.config.get('system', '')}考核结果的通报{status}"


def ranking_table(period: Period, scores: list[Score]) -> Table:
    dimensions: list[str] = period.config.get("dimensions", [])
    header = ["排名", "考核对象", *dimensions, "总分", "等次"]
    rows = []
    for score in sorted(scores, key=lambda s: (s.rank, s.sort_order)):
        subtotals = [
            points(score.subtotals[d]) if d < len(score.subtotals) else "0.00"
            for d in range(len(dimensions))
        ]
        rows.append(
            [str(score.rank), score.name, *subtotals, points(score.total), grade(score.total)]
        )
    return Table.of(header, rows, caption="考核结果排名")


def circular_document(period: Period, scores: list[Score], header: Header) -> Document:
    config = period.config
    dimensions: list[str] = config.get("dimensions", [])
    indicators: list[dict[str, object]] = config.get("indicators", [])
    aggregation = Aggregation(config.get("aggregation", "weighted_sum")).label
    best = [s.name for s in sorted(scores, key=lambda s: (s.rank, s.sort_order)) if s.rank == 1]
    body = (
        Paragraph.of(
            f"根据{config.get('system', '考核指标体系')}，对{len(scores)}个考核对象"
            f"{chinese_date(period.start)}至{chinese_date(period.end)}的工作进行了考核，"
            f"考核设{len(dimensions)}个维度、{len(indicators)}项指标，按{aggregation}汇总。"
            "现将考核结果通报如下："
        ),
        Heading.of(1, "考核结果"),
        Paragraph.of(
            f"{'、'.join(best)}总分位列第一。各考核对象的维度得分、总分和等次见下表。"
            if best
            else "本考核期尚无考核结果。"
        ),
        ranking_table(period, scores),
        Heading.of(1, "有关说明"),
        Paragraph.of(
            "各项指标得分由平台根据各单位报送并经审核的记录计算，维度小计为该维度各指标得分之和，"
            "总分为各维度小计之和。等次：90分及以上为优秀，75分及以上为良好，60分及以上为合格，"
            "60分以下为需改进。"
        ),
        Paragraph.of("希望各单位对照考核结果，查找差距，补齐短板，推动省校合作工作再上新台阶。"),
    )
    return Document(
        Kind.OFFICIAL,
        title_of(period),
        body,
        masthead=header.masthead,
        number=header.number,
        recipients=header.recipients,
        signature=header.signature,
        signed_on=header.signed_on,
        copy_to=header.copy_to,
        printed_by=header.signature,
        printed_on=header.signed_on,
    )


def circular_docx(
    period: Period, scores: list[Score], header: Header, *, for_libreoffice: bool = False
) -> bytes:
    return render_docx(circular_document(period, scores, header), for_libreoffice=for_libreoffice)


def circular_pdf(period: Period, scores: list[Score], header: Header) -> bytes:
    from yanzhen.reports.pdf import docx_to_pdf  # the LibreOffice runner, when a PDF is asked

    return docx_to_pdf(circular_docx(period, scores, header, for_libreoffice=True))
