"""The export path as it was before plain values and openpyxl's write-only mode, kept as the
peer of the new one: ``bench/exports.py`` times both in the same run and
``tests/core/test_export_fast.py`` checks that both write the same file cell for cell
(:func:`describe`).

* :func:`old_write_xlsx` — ``core.excel.write_xlsx`` as it was: an ordinary openpyxl workbook
  filled cell by cell with ``core.excel.put``.
* :func:`old_ledger_rows` — the ledger's rows as they were made: ``cooperation.excel.export_row``
  over the model instances of the list's query (with its ``select_related`` and prefetches).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yanzhen.cooperation.excel import export_row
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.excel import Column, _header_footer_text, put
from yanzhen.core.models import User


def old_ledger_rows(user: User, cooperations: QuerySet[Cooperation]) -> Iterator[Sequence[Any]]:
    return map(export_row(user), cooperations.iterator(chunk_size=2000))


def old_write_xlsx(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    notes: Sequence[str] = (),
    mark_required: bool = False,
    watermark: str = "",
) -> bytes:
    """An XLSX with one sheet of ``rows``; choice and yes/no columns get drop-downs.

    A ``watermark`` (who exported, when) goes into the page header and footer, the document
    properties and a sheet of its own; the first sheet stays importable."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    headers = [
        f"{c.header}*" if mark_required and c.required and not c.readonly else c.header
        for c in columns
    ]
    for index, header in enumerate(headers, start=1):
        put(sheet, 1, index, header)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    for row in rows:
        count += 1
        for index, value in enumerate(row, start=1):
            cell = put(sheet, count + 1, index, value)
            if index <= len(columns) and columns[index - 1].kind == "date":
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    last_row = max(count + 1, 1000)
    choices_sheet = None
    for index, column in enumerate(columns, start=1):
        options = ("是", "否") if column.kind == "bool" else column.choices
        if not options or column.readonly:
            continue
        if choices_sheet is None:
            choices_sheet = book.create_sheet("选项")
            choices_sheet.sheet_state = "hidden"
        col_letter = get_column_letter(index)
        for r, option in enumerate(options, start=1):
            put(choices_sheet, r, index, option)
        validation = DataValidation(
            type="list",
            formula1=f"=选项!${col_letter}$1:${col_letter}${len(options)}",
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle="取值不正确",
            error=f"请从下拉列表中选择{column.header}",
        )
        validation.add(f"{col_letter}2:{col_letter}{last_row}")
        sheet.add_data_validation(validation)
    if watermark:
        for part in (sheet.oddHeader, sheet.oddFooter):
            if part is not None:
                part.center.text = _header_footer_text(watermark)
        book.properties.creator = watermark
        book.properties.description = watermark
        info = book.create_sheet("导出信息")
        put(info, 1, 1, watermark)
        info.column_dimensions["A"].width = 80
    if notes:
        help_sheet = book.create_sheet("填写说明")
        help_sheet.column_dimensions["A"].width = 100
        for number, line in enumerate(notes, start=1):
            put(help_sheet, number, 1, line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _validation(v: Any) -> tuple[Any, ...]:
    return (
        str(v.sqref), v.type, v.formula1, v.allow_blank, v.showErrorMessage, v.errorTitle, v.error
    )  # fmt: skip


def describe(content: bytes) -> dict[str, Any]:
    """Everything of an XLSX a reader sees, sheet by sheet: each written cell's value, type,
    number format, quote prefix, font, fill and alignment; the column widths, frozen panes,
    drop-downs, page header and footer, visibility; the document's creator and description."""
    book = load_workbook(io.BytesIO(content))
    sheets = {}
    for sheet in book.worksheets:
        cells = {
            cell.coordinate: (
                cell.value,
                cell.data_type,
                cell.number_format,
                cell.quotePrefix,
                cell.font.b,
                cell.fill.fill_type,
                cell.fill.fgColor.rgb,
                cell.alignment.horizontal,
            )
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None or cell.has_style
        }
        sheets[sheet.title] = {
            "state": sheet.sheet_state,
            "cells": cells,
            "widths": {k: d.width for k, d in sheet.column_dimensions.items() if d.width},
            "freeze": sheet.freeze_panes,
            "validations": [_validation(v) for v in sheet.data_validations.dataValidation],
            "header": [
                part.center.text if part else None for part in (sheet.oddHeader, sheet.oddFooter)
            ],
        }
    return {
        "sheets": list(sheets.items()),
        "creator": book.properties.creator,
        "description": book.properties.description,
    }
