"""Spreadsheets as a county office keeps them, written by the tests with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook

LEDGER_TOP = ["序号", "项目名称", "填报单位", "合作企业", "合作院校", "对接方式", "合作类型",
              "合作时间", None, None, "计划投资", "备注"]  # fmt: skip
LEDGER_SUB = [None, None, None, None, None, None, None, "意向时间", "签约时间", "落地时间", None,
              None]  # fmt: skip


def ledger_row(number: int, title: str | None, **values: object) -> list[object]:
    row: dict[str, object] = {
        "项目名称": title,
        "填报单位": "永济市省校合作办公室",
        "合作企业": "山西长荣农业科技股份有限公司",
        "合作院校": "西北农林科技大学",
        "对接方式": "找",
        "合作类型": "联合研发",
        "意向时间": "2021.3.5",
        "签约时间": None,
        "落地时间": None,
        "计划投资": "1,200",
        "备注": "",
    }
    row.update(values)
    keys = ["项目名称", "填报单位", "合作企业", "合作院校", "对接方式", "合作类型", "意向时间",
            "签约时间", "落地时间", "计划投资", "备注"]  # fmt: skip
    return [number, *(row[k] for k in keys)]


def office_ledger(rows: Sequence[Sequence[object]], *, sheet: str = "2021年台账") -> bytes:
    """Two title rows, a merged two-row header, 序号, the rows, a 合计 row and a 填表人 line."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "说明"
    first.append(["本表为县合作办内部台账"])
    ws = book.create_sheet(sheet)
    ws.append(["永济市2021年省校合作项目台账"])
    ws.merge_cells("A1:L1")
    ws.append(["填报单位（盖章）：永济市人才办", None, None, None, None, None, None, None, None,
               None, "单位：万元"])  # fmt: skip
    ws.append(LEDGER_TOP)
    ws.append(LEDGER_SUB)
    for column in "ABCDEFGKL":
        ws.merge_cells(f"{column}3:{column}4")
    ws.merge_cells("H3:J3")
    for row in rows:
        ws.append(list(row))
    ws.append([])
    ws.append(["合计", None, None, None, None, None, None, None, None, None, len(rows)])
    ws.append(
        [
            "填表人：张三",
            None,
            None,
            None,
            "审核人：李四",
            None,
            None,
            None,
            "填表日期：2021年12月31日",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "gbk") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def serial(day: dt.date) -> float:
    """The day as Excel stores it."""
    return float((day - dt.date(1899, 12, 30)).days)
