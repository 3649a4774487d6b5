"""Excel and CSV, shared by every list and import of the platform.

* :func:`write_table` — an XLSX (or CSV) of rows under a header; choice columns carry a
  drop-down (data validation) so that an export can be edited and imported back.
* :func:`read_table` — the rows of an uploaded XLSX / XLS / CSV, each cell parsed by its
  column's kind; every bad cell is reported by row, column letter, header and reason.
* :func:`run_import` — all-or-nothing: every row is handled in a savepoint so that all the
  errors of the file are collected, and nothing is kept unless the whole file is clean.

Every spreadsheet the platform writes goes through this module (:func:`write_xlsx`,
:func:`write_csv`, :func:`new_workbook` + :func:`append_row`), which neutralises formula
injection: a text starting with ``= + - @``, TAB or CR (a name such as ``=HYPERLINK(…)``) is
written to XLSX as a string cell with ``quotePrefix`` (the value unchanged), and to CSV with
one ``'`` before it, which :func:`read_table` strips again. Numbers stay numbers. Every upload
is bounded (``core.uploads``) before a reader parses it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.db import transaction
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from yanzhen.core.errors import DomainError
from yanzhen.core.uploads import check_spreadsheet, csv_rows

Kind = Literal["text", "int", "decimal", "date", "bool", "choice", "list"]
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", ""}


@dataclass(frozen=True)
class Column:
    """One column of a list, an export and an import template."""

    key: str
    header: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 16
    help: str = ""
    readonly: bool = False  # exported for reading, ignored on import
    pii: Literal["id", "mobile"] | None = None  # masked in exports without the permission


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行"
        if self.column:
            where += f" {self.column}列"
        if self.header:
            where += f"（{self.header}）"
        return f"{where}：{self.message}"


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]


def _header_key(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().rstrip("*").strip()


# Writing -------------------------------------------------------------------------------------

# A spreadsheet takes a cell starting with one of these for a formula (TAB and CR before one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (a plain number such as ``-5``
    is a number to it, not a formula)."""
    return text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text)


def csv_escape(text: str) -> str:
    """One ``'`` before a text a spreadsheet would take for a formula (and before a text that
    already starts with quotes before one, so that :func:`csv_unescape` restores any text)."""
    return "'" + text if formula_like(text.lstrip("'")) else text


def csv_unescape(text: str) -> str:
    """The text :func:`csv_escape` was given: its one added ``'`` removed."""
    if text.startswith("'") and formula_like(text.lstrip("'")):
        return text[1:]
    return text


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(str(v) for v in value)
    return value


def _assign(cell: Cell | MergedCell, value: Any) -> None:
    value = _cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make a text starting with "=" a formula
        if formula_like(value):
            cell.quotePrefix = True


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell | MergedCell:
    """Write one cell; a text a spreadsheet would take for a formula stays a text cell,
    marked ``quotePrefix`` (as Excel does for a value typed after ``'``), its value unchanged."""
    cell = sheet.cell(row=row, column=column)
    _assign(cell, value)
    return cell


def append_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row below the last one, each value written as :func:`put` writes it."""
    cells = []
    for value in values:
        cell = Cell(sheet, row=1, column=1)  # moved to its place by append
        _assign(cell, value)
        cells.append(cell)
    sheet.append(cells)


def new_workbook() -> Workbook:
    """A workbook for a spreadsheet of its own layout: fill it with :func:`append_row` and
    :func:`put`, never with ``sheet.append`` or ``cell.value`` (which would write formulas)."""
    return Workbook()


def _header_footer_text(text: str) -> str:
    return text.replace("&", "&&")  # "&" starts a code in a page header or footer


def _plain(sheet: Any, value: Any) -> Any:
    """A value as a write-only sheet takes it: a text a spreadsheet would take for a formula
    (or that openpyxl would read as a formula or an error code) as a text cell of its own,
    marked as :func:`put` marks it; anything else as it is."""
    value = _cell_value(value)
    if isinstance(value, str) and (
        value.startswith("=") or value in ERROR_CODES or formula_like(value)
    ):
        return _styled(sheet, value)
    return value


def _styled(sheet: Any, value: Any, **style: Any) -> Cell:
    """A cell of a write-only sheet written as :func:`put` writes it, with ``style``."""
    cell = WriteOnlyCell(sheet)
    _assign(cell, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def write_xlsx(
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
    properties and a sheet of its own; the first sheet stays importable.

    Written in openpyxl's write-only mode (each row streamed out as it comes, cells built only
    where a value needs a style: a date, a text taken for a formula), the same file cell for
    cell as a workbook filled with :func:`put` (``tests/core/test_export_fast.py``) at a
    fraction of the CPU (``bench/exports.py``)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    headers = [
        f"{c.header}*" if mark_required and c.required and not c.readonly else c.header
        for c in columns
    ]
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    center = Alignment(horizontal="center")
    sheet.append([_styled(sheet, h, font=bold, fill=fill, alignment=center) for h in headers])
    dates = [i for i, c in enumerate(columns) if c.kind == "date"]
    count = 0
    for row in rows:
        count += 1
        values = [_plain(sheet, v) for v in row]
        for i in dates:
            if i < len(values):
                values[i] = _styled(sheet, row[i], number_format="yyyy-mm-dd")
        sheet.append(values)
    last_row = max(count + 1, 1000)
    options_of = {
        index: ("是", "否") if column.kind == "bool" else column.choices
        for index, column in enumerate(columns, start=1)
        if not column.readonly and (column.kind == "bool" or column.choices)
    }
    for index, options in options_of.items():
        column = columns[index - 1]
        col_letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=f"=选项!${col_letter}$1:${col_letter}${len(options)}",
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle="取值不正确",
            error=f"请从下拉列表中选择{column.header}",
        )
        validation.add(f"{col_letter}2:{col_letter}{last_row}")
        sheet.data_validations.append(validation)
    if watermark:
        for part in (sheet.HeaderFooter.oddHeader, sheet.HeaderFooter.oddFooter):
            part.center.text = _header_footer_text(watermark)
        book.properties.creator = watermark
        book.properties.description = watermark
    if options_of:
        choices_sheet = book.create_sheet("选项")
        choices_sheet.sheet_state = "hidden"
        width = max(options_of)
        for r in range(max(len(o) for o in options_of.values())):
            line: list[Any] = [None] * width
            for index, options in options_of.items():
                if r < len(options):
                    line[index - 1] = _styled(choices_sheet, options[r])
            choices_sheet.append(line)
    if watermark:
        info = book.create_sheet("导出信息")
        info.column_dimensions["A"].width = 80
        info.append([_styled(info, watermark)])
    if notes:
        help_sheet = book.create_sheet("填写说明")
        help_sheet.column_dimensions["A"].width = 100
        for line_text in notes:
            help_sheet.append([_styled(help_sheet, line_text)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, watermark: str = ""
) -> bytes:
    """CSV in UTF-8 with a BOM (so that Excel opens it in Chinese); a watermark is a first
    line starting with ``#``, which the import skips. A text a spreadsheet would take for a
    formula gets one ``'`` before it (:func:`csv_escape`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if watermark:
        writer.writerow([f"# {watermark}"])
    writer.writerow([csv_escape(c.header) for c in columns])
    for row in rows:
        out = []
        for value in row:
            v = _cell_value(value)
            if isinstance(v, dt.date):
                v = v.isoformat()
            elif isinstance(v, str):
                v = csv_escape(v)
            out.append(v)
        writer.writerow(out)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_table(
    fmt: str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    watermark: str = "",
) -> tuple[bytes, str]:
    """``(content, content_type)`` of an export in ``fmt`` (``xlsx`` or ``csv``)."""
    if fmt == "csv":
        return write_csv(columns, rows, watermark=watermark), "text/csv; charset=utf-8"
    return (
        write_xlsx(title, columns, rows, watermark=watermark),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# Reading -------------------------------------------------------------------------------------


def _raw_rows(data: bytes, filename: str) -> list[list[Any]]:
    """The cells of the first sheet, after the file passed every bound (``core.uploads``)."""
    name = filename.lower()
    if not name.endswith((".xlsx", ".xlsm", ".xls", ".csv")):
        message = "只支持 .xlsx、.xls 和 .csv 文件"
        raise DomainError("bad_file", message, {"file": message})
    check_spreadsheet(data, filename)
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            message = "无法识别CSV文件的编码，请另存为UTF-8编码"
            raise DomainError("bad_file", message, {"file": message})
        return [[csv_unescape(v) for v in r] for r in csv_rows(text)]
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        return [list(r) for r in sheet.to_python(skip_empty_area=False)]
    except Exception as error:  # calamine raises its own exception types
        message = f"无法读取Excel文件：{error}"
        raise DomainError("bad_file", message, {"file": message}) from error


def _is_note(row: Sequence[Any]) -> bool:
    """A leading line such as an export's watermark: ``# 导出人 …``."""
    return bool(row) and isinstance(row[0], str) and row[0].startswith("#")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip() if value is not None else ""


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_cell(column: Column, value: Any) -> Any:
    """The parsed value of one cell, or ``ValueError`` with the reason in Chinese."""
    if _is_blank(value):
        if column.required:
            raise ValueError("必填项不能为空")
        return {"list": [], "bool": False, "int": None, "decimal": None, "date": None}.get(
            column.kind, ""
        )
    if column.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", text):
            text = text[:10]
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
            except ValueError:
                continue
        raise ValueError(f"“{text}”不是有效日期，请写成 2021-03-15 的格式")
    if column.kind == "int":
        text = _text(value)
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"“{text}”不是整数")
        return int(number)
    if column.kind == "decimal":
        text = _text(value).replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{text}”不是数字") from None
        if not number.is_finite():
            raise ValueError(f"“{text}”不是数字")
        return number.quantize(Decimal("0.01"))
    if column.kind == "bool":
        text = _text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(f"“{_text(value)}”应为“是”或“否”")
    if column.kind == "choice":
        text = unicodedata.normalize("NFKC", _text(value))
        by_key = {unicodedata.normalize("NFKC", c).strip(): c for c in column.choices}
        if text not in by_key:
            raise ValueError(f"“{text}”不在可选值中（{'、'.join(column.choices)}）")
        return by_key[text]
    if column.kind == "list":
        return [p.strip() for p in LIST_SEPARATORS.split(_text(value)) if p.strip()]
    return _text(value)


def read_table(
    data: bytes, filename: str, columns: Sequence[Column]
) -> tuple[list[ParsedRow], list[CellError]]:
    """Parse an uploaded table: rows keyed by column key, and every bad cell."""
    raw = _raw_rows(data, filename)
    skipped = 0
    while raw and (all(_is_blank(v) for v in raw[0]) or _is_note(raw[0])):
        raw.pop(0)
        skipped += 1
    if not raw:
        raise DomainError("empty_file", "文件是空的：第1行应为表头")
    by_header = {_header_key(c.header): c for c in columns}
    positions: dict[int, Column] = {}
    errors: list[CellError] = []
    for index, header in enumerate(raw[0]):
        key = _header_key(_text(header))
        if not key:
            continue
        column = by_header.get(key)
        letter = get_column_letter(index + 1)
        if column is None:
            errors.append(CellError(1 + skipped, letter, key, "无法识别的列名"))
        elif column in positions.values():
            errors.append(CellError(1 + skipped, letter, key, "列名重复"))
        elif not column.readonly:
            positions[index] = column
    present = set(positions.values())
    errors.extend(
        CellError(1 + skipped, "", column.header, "缺少必填列")
        for column in columns
        if column.required and not column.readonly and column not in present
    )
    if errors:
        return [], errors
    rows: list[ParsedRow] = []
    body = raw[1:]
    for offset, cells in enumerate(body, start=2 + skipped):
        if all(_is_blank(v) for v in cells):
            continue
        values: dict[str, Any] = {}
        for index, column in positions.items():
            value = cells[index] if index < len(cells) else None
            try:
                values[column.key] = parse_cell(column, value)
            except ValueError as error:
                errors.append(
                    CellError(offset, get_column_letter(index + 1), column.header, str(error))
                )
        for column in columns:
            if column not in present and not column.readonly:
                blank = Column(column.key, column.header, column.kind)
                values.setdefault(column.key, parse_cell(blank, None))
        rows.append(ParsedRow(offset, values))
    return rows, errors


# Importing -----------------------------------------------------------------------------------

Outcome = Literal["created", "updated", "unchanged"]


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def column_letters(columns: Sequence[Column], data: bytes, filename: str) -> dict[str, str]:
    """Column key → letter in the uploaded file (for errors found after parsing)."""
    raw = _raw_rows(data, filename)
    while raw and (all(_is_blank(v) for v in raw[0]) or _is_note(raw[0])):
        raw.pop(0)
    by_header = {_header_key(c.header): c.key for c in columns}
    out: dict[str, str] = {}
    for index, header in enumerate(raw[0] if raw else []):
        key = by_header.get(_header_key(_text(header)))
        if key:
            out[key] = get_column_letter(index + 1)
    return out


def run_import(
    rows: Sequence[ParsedRow],
    handle: Callable[[ParsedRow], Outcome],
    *,
    columns: Sequence[Column],
    letters: Mapping[str, str],
    field_columns: Mapping[str, str],
    commit: bool,
    parse_errors: Sequence[CellError] = (),
) -> ImportReport:
    """Handle every row in one transaction; keep it only if ``commit`` and no row failed.

    ``field_columns`` maps the fields a service names in a ``DomainError`` to column keys,
    so that a rule broken deep in a service is still reported at its cell.
    """
    headers = {c.key: c.header for c in columns}
    report = ImportReport(rows=len(rows), errors=list(parse_errors))
    bad_rows = {e.row for e in parse_errors}
    with transaction.atomic():
        for row in rows:
            if row.number in bad_rows:
                continue
            savepoint = transaction.savepoint()
            try:
                outcome = handle(row)
            except DomainError as error:
                transaction.savepoint_rollback(savepoint)
                items = error.fields.items() or [("__all__", error.message)]
                for name, message in items:
                    key = field_columns.get(name, name)
                    report.errors.append(
                        CellError(row.number, letters.get(key, ""), headers.get(key, ""), message)
                    )
                continue
            transaction.savepoint_commit(savepoint)
            setattr(report, outcome, getattr(report, outcome) + 1)
        report.errors.sort(key=lambda e: (e.row, e.column))
        report.committed = commit and not report.errors
        if not report.committed:
            transaction.set_rollback(True)
    return report
