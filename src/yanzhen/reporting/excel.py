"""A unit's own submission as an Excel workbook, pre-filled, and read back.

The workbook (written through ``core.excel``, so a text that would be a formula stays text):

* "填报": one row per field — code, item, the value (the only cells open for input), unit,
  requirements; a choice has a drop-down, a number its bounds as data validation;
* one sheet per table field: the columns' labels, then rows (open for input), drop-downs for
  the choice columns;
* "说明": the task, the unit, the deadline, and the keys that tie the file to its submission.

Sheets are protected (the structure cannot be changed, only the input cells). Reading it
back checks the upload's bounds (``core.uploads``) first, then every cell; all errors are
returned together, by sheet, row, column and the field's label, and nothing is saved unless
the whole file is right.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from yanzhen.core.errors import DomainError
from yanzhen.core.excel import LIST_SEPARATORS, CellError, new_workbook, put
from yanzhen.core.uploads import check_spreadsheet
from yanzhen.reporting.fields import FieldSpec, ValueProblemError, clean_value
from yanzhen.reporting.models import Submission

MAIN = "填报"
INFO = "说明"
CHOICES = "选项"
TABLE_ROWS = 200
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_OPEN = Protection(locked=False)


def table_titles(specs: Sequence[FieldSpec]) -> dict[str, str]:
    """The sheet title of each table field: its label, made a valid and unique title."""
    titles: dict[str, str] = {}
    for index, spec in enumerate(s for s in specs if s.type == "table"):
        title = _BAD_TITLE.sub("", spec.label)[:25] or f"表格{index + 1}"
        if title in titles.values() or title in (MAIN, INFO, CHOICES):
            title = f"{title[:22]}{index + 1}"
        titles[spec.key] = title
    return titles


def _requirements(spec: FieldSpec) -> str:
    parts = ["必填" if spec.required else "选填", spec.type_label]
    if spec.bounds_text():
        parts.append(f"取值{spec.bounds_text()}")
    if spec.type == "multichoice":
        parts.append(f"可多选（以“、”分隔）：{'、'.join(spec.choices)}")
    if spec.type == "date":
        parts.append("格式 2022-01-10")
    if spec.help:
        parts.append(spec.help)
    return "；".join(parts)


def _cell_value(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.type == "date":
        return dt.date.fromisoformat(value)
    if spec.type == "decimal":
        return float(value)
    if spec.type == "multichoice":
        return "、".join(value)
    return value


class _Choices:
    """The hidden sheet of drop-down options, one column per list."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.column = 0

    def validation(self, options: Sequence[str], label: str) -> DataValidation:
        self.column += 1
        letter = get_column_letter(self.column)
        for row, option in enumerate(options, start=1):
            put(self.sheet, row, self.column, option)
        return DataValidation(
            type="list",
            formula1=f"={CHOICES}!${letter}$1:${letter}${len(options)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="取值不正确",
            error=f"请从下拉列表中选择{label}",
        )


def _bounds(spec: FieldSpec) -> DataValidation | None:
    if spec.min is None and spec.max is None:
        return None
    low = spec.min if spec.min is not None else -(10**12)
    high = spec.max if spec.max is not None else 10**12
    return DataValidation(
        type="whole" if spec.type == "integer" else "decimal",
        operator="between",
        formula1=str(low),
        formula2=str(high),
        showErrorMessage=True,
        errorTitle="超出范围",
        error=f"{spec.label}应在 {spec.bounds_text()}",
    )


def _header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    for index, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(sheet, 1, index, text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _protect(sheet: Worksheet) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False


def write_submission(submission: Submission, specs: Sequence[FieldSpec]) -> bytes:
    """The unit's own workbook, pre-filled with its values."""
    task = submission.task
    book = new_workbook()
    main = book.active
    assert main is not None
    main.title = MAIN
    choices = _Choices(book.create_sheet(CHOICES))
    choices.sheet.sheet_state = "hidden"
    _header(main, ["代码", "填报项目", "填报值", "计量单位", "填写要求"], [14, 30, 24, 10, 60])
    row = 1
    for spec in specs:
        if spec.type in ("table", "file"):
            continue
        row += 1
        put(main, row, 1, spec.key)
        put(main, row, 2, f"{spec.label}*" if spec.required else spec.label)
        cell = put(main, row, 3, _cell_value(spec, submission.values.get(spec.key)))
        cell.protection = _OPEN
        cell.fill = _INPUT_FILL
        if spec.type == "date":
            cell.number_format = "yyyy-mm-dd"
        put(main, row, 4, spec.unit)
        put(main, row, 5, _requirements(spec))
        validation = (
            choices.validation(spec.choices, spec.label)
            if spec.type == "choice"
            else _bounds(spec)
            if spec.type in ("integer", "decimal")
            else None
        )
        if validation is not None:
            validation.add(cell.coordinate)
            main.add_data_validation(validation)
    _protect(main)
    titles = table_titles(specs)
    for spec in specs:
        if spec.type != "table":
            continue
        sheet = book.create_sheet(titles[spec.key])
        _header(
            sheet,
            [c.label for c in spec.columns],
            [max(12, len(c.label) * 3) for c in spec.columns],
        )
        rows = submission.values.get(spec.key) or []
        for r in range(2, TABLE_ROWS + 2):
            for index, column in enumerate(spec.columns, start=1):
                value = rows[r - 2].get(column.key) if r - 2 < len(rows) else None
                cell = put(sheet, r, index, _cell_value(column, value))
                cell.protection = _OPEN
                if column.type == "date":
                    cell.number_format = "yyyy-mm-dd"
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            validation = (
                choices.validation(column.choices, column.label)
                if column.type == "choice"
                else _bounds(column)
                if column.type in ("integer", "decimal")
                else None
            )
            if validation is not None:
                validation.add(f"{letter}2:{letter}{TABLE_ROWS + 1}")
                sheet.add_data_validation(validation)
        _protect(sheet)
    info = book.create_sheet(INFO)
    lines = [
        ("任务编号", task.pk),
        ("填报编号", submission.pk),
        ("填报任务", task.title),
        ("填报单位", submission.unit.name),
        ("统计期", f"{task.period_start:%Y-%m-%d} 至 {task.period_end:%Y-%m-%d}"),
        ("截止日期", f"{task.deadline:%Y-%m-%d}"),
        ("填报说明", task.description),
        ("如何填写", "只在黄色格子中填写“填报值”，表格字段在各自的工作表中逐行填写；带*的为必填。"),
        ("文件字段", "附件请在填报页面上传，本文件不含附件。"),
    ]
    for r, (label, value) in enumerate(lines, start=1):
        put(info, r, 1, label)
        put(info, r, 2, value)
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 80
    _protect(info)
    book.security.lockStructure = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Reading ------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_input(spec: FieldSpec, value: Any) -> Any:
    """A cell's value as the field's checks take it."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer() and spec.type != "text":
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if spec.type == "multichoice":
        return [p.strip() for p in LIST_SEPARATORS.split(str(value)) if p.strip()]
    if spec.type == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if spec.type in ("text", "choice"):
        return str(value).strip()
    return value


def _refuse(message: str) -> DomainError:
    return DomainError("bad_file", message, {"file": message}, status=422)


def read_submission(
    data: bytes, filename: str, submission: Submission, specs: Sequence[FieldSpec]
) -> dict[str, Any]:
    """The values of an uploaded workbook (every field but files), or a ``DomainError``
    listing every bad cell (sheet, row, column, label, reason)."""
    if not filename.lower().endswith((".xlsx", ".xlsm")):
        raise _refuse("请上传从本页下载的 .xlsx 文件")
    check_spreadsheet(data, filename)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {
            name: [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            for name in book.sheet_names
        }
    except Exception as error:  # calamine raises its own exception types
        raise _refuse(f"无法读取Excel文件：{error}") from error
    if MAIN not in sheets or INFO not in sheets:
        raise _refuse(f"不是本系统下载的填报表：缺少“{MAIN}”或“{INFO}”工作表")
    info = {str(r[0]): r[1] for r in sheets[INFO] if len(r) >= 2 and r[0]}
    keys = (_as_int(info.get("任务编号")), _as_int(info.get("填报编号")))
    if keys != (submission.task_id, submission.pk):
        raise _refuse("该文件是其他任务或其他单位的填报表，请下载本单位的填报表后填写")
    by_key = {s.key: s for s in specs}
    values: dict[str, Any] = {}
    errors: list[str] = []
    for number, cells in enumerate(sheets[MAIN][1:], start=2):
        if not cells or _blank(cells[0]):
            continue
        spec = by_key.get(str(cells[0]).strip())
        if spec is None or spec.type in ("table", "file"):
            errors.append(f"{MAIN}：{CellError(number, 'A', '代码', '无法识别的填报项目')}")
            continue
        value = cells[2] if len(cells) > 2 else None
        try:
            values[spec.key] = clean_value(spec, _as_input(spec, value))
        except ValueProblemError as problem:
            errors.append(f"{MAIN}：{CellError(number, 'C', spec.label, str(problem))}")
    for key, title in table_titles(specs).items():
        spec = by_key[key]
        rows = sheets.get(title)
        if rows is None:
            errors.append(f"缺少“{title}”工作表（{spec.label}）")
            continue
        values[key] = _read_table(spec, title, rows, errors)
    if errors:
        shown = "；".join(errors[:50]) + ("；……" if len(errors) > 50 else "")
        message = f"文件中有{len(errors)}处错误，未保存：{shown}"
        raise DomainError("invalid", message, {"file": message}, status=422)
    return values


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _read_table(
    spec: FieldSpec, title: str, rows: list[list[Any]], errors: list[str]
) -> list[dict[str, Any]] | None:
    header = [str(v).strip() if v is not None else "" for v in (rows[0] if rows else [])]
    labels = [c.label for c in spec.columns]
    if header[: len(labels)] != labels:
        errors.append(f"{title}：第1行应为表头 {'、'.join(labels)}")
        return None
    out: list[dict[str, Any]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in cells[: len(labels)]):
            continue
        row: dict[str, Any] = {}
        for index, column in enumerate(spec.columns):
            value = cells[index] if index < len(cells) else None
            letter = get_column_letter(index + 1)
            try:
                row[column.key] = clean_value(column, _as_input(column, value))
            except ValueProblemError as problem:
                errors.append(f"{title}：{CellError(number, letter, column.label, str(problem))}")
                continue
            if row[column.key] is None and column.required:
                errors.append(
                    f"{title}：{CellError(number, letter, column.label, '必填项不能为空')}"
                )
        out.append(row)
    return out or None
