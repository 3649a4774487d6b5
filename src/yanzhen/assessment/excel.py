"""The 通报 (circular) of a period's results, in the layout offices send around: a title, the
basis of the assessment, a two-row header (dimensions over their indicators with their
points), one row per subject in rank order with the dimension subtotals, the total, the grade
and whether the rank is sensitive to the weights, then the notes on how the scores are made."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from yanzhen.assessment.models import Aggregation, Period, PeriodState, Score, Weighting
from yanzhen.core.excel import append_row, new_workbook

# 等次: the grade of a total (thresholds in points).
GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "优秀"),
    (Decimal(75), "良好"),
    (Decimal(60), "合格"),
    (Decimal(0), "需改进"),
)


def grade(total: Decimal) -> str:
    for low, label in GRADES:
        if total >= low:
            return label
    return GRADES[-1][1]


def stability(score: Score) -> str:
    if not score.flagged:
        return "稳定"
    return f"敏感（第{score.best_rank}–{score.worst_rank}名）"


def _points(text: str) -> str:
    return format(Decimal(text).normalize(), "f")


THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def bulletin(period: Period, scores: list[Score], *, watermark: str = "") -> bytes:
    """The circular as XLSX; every text goes through ``core.excel`` (names that look like
    formulas stay text), and a ``watermark`` (who, when) goes into the header and footer."""
    config = period.config
    dimensions: list[str] = config.get("dimensions", [])
    specs: list[dict[str, Any]] = config.get("indicators", [])
    base_kind = config.get("subject_kind", "base") == "base"
    book = new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "考核结果通报"[:31]
    lead = ["排名", "基地" if base_kind else "单位", "牵头部门" if base_kind else "类型"]
    if base_kind:
        lead.append("责任领导")
    groups = [[s for s in specs if s["dimension"] == d] for d in range(len(dimensions))]
    width = len(lead) + sum(len(g) + 1 for g in groups) + 3
    status = "" if period.state == PeriodState.PUBLISHED else "（未发布，仅供审核）"
    subject = f"{period.name}{config.get('system', '')}".removesuffix("考核")
    append_row(sheet, [f"关于{subject}考核结果的通报{status}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = CENTER
    published = (
        timezone.localtime(period.published_at).strftime("%Y年%m月%d日")
        if period.published_at
        else "—"
    )
    basis = (
        f"考核期：{period.start:%Y年%m月%d日}至{period.end:%Y年%m月%d日}；"
        f"考核对象{len(scores)}个；{len(dimensions)}个维度、{len(specs)}项指标；"
        f"汇总方法：{Aggregation(config.get('aggregation', 'weighted_sum')).label}；"
        f"权重：{Weighting(config.get('weighting', 'fixed')).label}；发布日期：{published}"
    )
    append_row(sheet, [basis])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.cell(2, 1).alignment = Alignment(wrap_text=True)
    sheet.row_dimensions[2].height = 32
    top: list[Any] = list(lead)
    sub: list[Any] = [""] * len(lead)
    spans: list[tuple[int, int]] = []
    for d, group in enumerate(groups):
        start = len(top) + 1
        top += [dimensions[d]] + [""] * len(group)
        sub += [f"{s['name']}（{_points(s['points'])}分）" for s in group] + ["小计"]
        spans.append((start, start + len(group)))
    top += ["总分", "等次", "排名稳定性"]
    sub += ["", "", "（权重±10%）"]
    append_row(sheet, top)
    append_row(sheet, sub)
    for column in range(1, len(lead) + 1):
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    for start, end in spans:
        sheet.merge_cells(start_row=3, start_column=start, end_row=3, end_column=end)
    total_col = len(top) - 2
    for column in (total_col, total_col + 1):
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    for row in (3, 4):
        for column in range(1, width + 1):
            cell = sheet.cell(row, column)
            cell.font = Font(bold=True)
            cell.fill = HEAD
            cell.alignment = CENTER
            cell.border = BOX
    sheet.row_dimensions[4].height = 45
    for score in scores:
        points = {i.code: i.points for i in score.items.all()}
        line: list[Any] = [score.rank, score.name]
        if base_kind and score.base is not None:
            line += [
                score.base.lead_department.name,
                score.base.leader.name if score.base.leader else "",
            ]
        else:
            line += [score.unit.get_kind_display() if score.unit else ""]
        for d, group in enumerate(groups):
            line += [float(points.get(s["code"], Decimal(0))) for s in group]
            line.append(float(Decimal(score.subtotals[d])) if d < len(score.subtotals) else 0.0)
        line += [float(score.total), grade(score.total), stability(score)]
        append_row(sheet, line)
        for column in range(1, width + 1):
            cell = sheet.cell(sheet.max_row, column)
            cell.border = BOX
            if column > len(lead) and column <= total_col:
                cell.number_format = "0.00"
    notes = [
        "说明：",
        "1. 各项指标得分 = 权重 × 100 × 标准化值；按目标完成率计分的指标，标准化值 = 完成值 ÷ 目标值，"
        f"最高按 {config.get('cap', '1.20')} 倍计；比率类指标目标为 100%。",
        "2. 维度小计为该维度各指标得分之和；总分为各维度小计之和"
        + ("。" if config.get("aggregation") != "topsis" else "（TOPSIS 汇总时为贴近度 × 100）。"),
        "3. 排名稳定性：任一指标权重上下浮动 10% 时排名发生变化的，标注为“敏感”及其可能的名次范围。",
        f"4. 等次：{'，'.join(f'{label}≥{low}分' for low, label in GRADES[:-1])}，其余为{GRADES[-1][1]}。",
        "5. 各项数值均由平台记录自动计算（或经审核的人工评分、更正），可在平台中逐项查看对应记录。",
    ]
    append_row(sheet, [])
    for note in notes:
        append_row(sheet, [note])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
    widths = [6, 28, 20, 10] if base_kind else [6, 28, 10]
    for column in range(1, width + 1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = widths[column - 1] if column <= len(widths) else 11
    sheet.freeze_panes = f"{get_column_letter(len(lead) + 1)}5"
    sheet.page_setup.orientation = "landscape"
    if watermark:
        for part in (sheet.oddHeader, sheet.oddFooter):
            if part is not None:
                part.center.text = watermark.replace("&", "&&")
        book.properties.creator = watermark
        book.properties.description = watermark
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
