"""Bounds on every uploaded file, checked before anything parses it.

A 5 KB workbook can claim a grid of 17 billion cells, a 20 KB zip can inflate to gigabytes,
and an XML file can define entities that expand without end. Every upload is therefore
bounded, and every bound is checked on the raw bytes before python-calamine (or openpyxl)
reads a sheet:

* size of each uploaded file (:class:`BoundedUploadHandler` stops storing a file past the
  limit, :class:`BoundedFileField` refuses it);
* for zip containers (``.xlsx`` and the other Office formats): number of members, sum of the
  uncompressed sizes as declared **and as actually inflated** (a member inflating past its
  declared size is refused), compression ratio, encryption;
* for every XML member: no DTD and no entity declaration (expat, streamed);
* for worksheets: the declared dimension, and the cells actually present (their row and
  column numbers, streamed), so that the grid a reader would allocate stays within the rows,
  columns and cells allowed — the declared dimension is never trusted;
* for ``.xls`` (BIFF in an OLE2 container): the size, the number of records, and the rows and
  columns of the cell records actually present;
* for ``.csv``: size, rows, columns and cells while reading (:func:`csv_rows`).

Each refusal is a :class:`~yanzhen.core.errors.DomainError` whose message says in Chinese
which limit was hit (``文件过大：上限 20 MB``). The limits are settings (``YANZHEN_UPLOAD_*``,
``YANZHEN_IMPORT_*``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest

from yanzhen.core.errors import DomainError

MB = 1024 * 1024
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
# Office formats and archives that are zip files: their members are bounded too.
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".ods", ".odt", ".odp", ".zip")
# A member is small enough to skip the ratio check below this (headers compress well).
RATIO_GRACE_BYTES = 1 * MB
XLS_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6}
XLS_MULTI_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column … last column
XLS_DIMENSIONS = 0x0200
XLS_BOF = 0x0809


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    rows: int
    columns: int
    cells: int
    uncompressed_bytes: int
    ratio: int
    sheets: int
    members: int


def limits() -> Limits:
    """The limits in force (settings, with the defaults of ``settings.py``)."""
    return Limits(
        file_bytes=int(getattr(settings, "YANZHEN_UPLOAD_MAX_BYTES", 20 * MB)),
        rows=int(getattr(settings, "YANZHEN_IMPORT_MAX_ROWS", 200_000)),
        columns=int(getattr(settings, "YANZHEN_IMPORT_MAX_COLUMNS", 256)),
        cells=int(getattr(settings, "YANZHEN_IMPORT_MAX_CELLS", 10_000_000)),
        uncompressed_bytes=int(getattr(settings, "YANZHEN_UPLOAD_MAX_UNCOMPRESSED", 200 * MB)),
        ratio=int(getattr(settings, "YANZHEN_UPLOAD_MAX_RATIO", 100)),
        sheets=int(getattr(settings, "YANZHEN_IMPORT_MAX_SHEETS", 50)),
        members=int(getattr(settings, "YANZHEN_UPLOAD_MAX_MEMBERS", 2000)),
    )


def _mb(size: int) -> str:
    return f"{size / MB:g} MB"


def refused(message: str, field: str = "file") -> DomainError:
    return DomainError("upload_refused", message, {field: message})


def too_large_message() -> str:
    return f"文件过大：上限 {_mb(limits().file_bytes)}"


# The size of an upload, while it arrives --------------------------------------------------------


if TYPE_CHECKING:
    _UploadedFile = UploadedFile[bytes]
else:  # Django's UploadedFile is generic for the type checker only
    _UploadedFile = UploadedFile


class RefusedUpload(_UploadedFile):
    """What is left of a file that passed the size limit while being uploaded: no content,
    the number of bytes received, and the reason (checked by :func:`check_upload`)."""

    def __init__(self, name: str, content_type: str | None, size: int, reason: str) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size, None)
        self.reason = reason


class BoundedUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: counts each file's bytes and, past the limit, keeps
    none of the rest (neither in memory nor in a temporary file); the field then gets a
    :class:`RefusedUpload` that every form and import refuses with the limit in Chinese."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = limits().file_bytes
        self.received = 0
        self.over = False
        temp = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
        if temp:
            Path(temp).mkdir(mode=0o700, parents=True, exist_ok=True)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.over = True
        # Past the limit the chunk goes no further: the handlers after this one store nothing.
        return None if self.over else raw_data

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        if not self.over:
            return None
        # Ends the chain for this file: what the later handlers kept is dropped.
        return RefusedUpload(
            self.file_name or "file", self.content_type, self.received, too_large_message()
        )


def check_upload(upload: UploadedFile[bytes], *, field: str = "file") -> None:
    """The size of any uploaded file, and the members of a zip container (Office files)."""
    if isinstance(upload, RefusedUpload):
        raise refused(upload.reason, field)
    bounds = limits()
    if upload.size is not None and upload.size > bounds.file_bytes:
        raise refused(too_large_message(), field)
    name = (upload.name or "").lower()
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if name.endswith(ZIP_SUFFIXES) or head == b"PK\x03\x04":
        data = upload.read()
        upload.seek(0)
        check_zip(data, field=field)


class BoundedFileField(forms.FileField):
    """A file field whose uploads are bounded (size, zip members): evidence, attachments,
    work plans. Imports check their spreadsheets further (:func:`check_spreadsheet`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", f"单个文件不超过 {_mb(limits().file_bytes)}")
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            try:
                check_upload(value)
            except DomainError as error:
                raise forms.ValidationError(error.message, code="upload_refused") from None
        return value


# Spreadsheets ----------------------------------------------------------------------------------


class _StopError(Exception):
    """Raised inside an expat handler to stop parsing with a refusal."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error = error


_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,9})$")


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + (ord(char) - 64)
    return number


def _ref(text: str) -> tuple[int, int] | None:
    match = _CELL_REF.match(text.strip())
    if match is None:
        return None
    return int(match.group(2)), _column_number(match.group(1))


@dataclass
class _Extent:
    """The cells of one sheet seen so far: how many, and the last row and column used."""

    cells: int = 0
    max_row: int = 0
    max_col: int = 0

    def add(self, row: int, col: int, bounds: Limits, where: str) -> None:
        self.cells += 1
        self.max_row = max(self.max_row, row)
        self.max_col = max(self.max_col, col)
        self.check(bounds, where)

    def check(self, bounds: Limits, where: str) -> None:
        # The grid a reader fills is counted from A1 (empty cells too), not the cells present.
        if self.max_row > bounds.rows:
            raise refused(f"行数过多：上限 {bounds.rows} 行，{where}用到第 {self.max_row} 行")
        if self.max_col > bounds.columns:
            raise refused(f"列数过多：上限 {bounds.columns} 列，{where}用到第 {self.max_col} 列")
        if self.cells > bounds.cells or self.max_row * self.max_col > bounds.cells:
            raise refused(f"单元格过多：上限 {bounds.cells} 个（{where}）")


def _no_dtd_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()

    def doctype(*_: Any) -> None:
        raise _StopError(refused("文件含有 DTD 或实体声明（XML），出于安全原因不予读取"))

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ExternalEntityRefHandler = doctype  # type: ignore[assignment]
    return parser


def _sheet_parser(extent: _Extent, bounds: Limits, where: str) -> expat.XMLParserType:
    parser = _no_dtd_parser()
    position = {"row": 0, "col": 0}
    columns: dict[str, int] = {}  # a reference's letters → its column (a sheet has a few)
    match = _CELL_REF.match
    rows, cols, cells = bounds.rows, bounds.columns, bounds.cells

    def start(tag: str, attributes: dict[str, str]) -> None:
        # Called for every element of a sheet (a cell, its value, …): the cell first, with
        # what ``_ref`` and ``_Extent.add`` do inline (their refusals through them).
        local = tag.rpartition(":")[2]
        if local == "c":
            found = match(attributes.get("r", "").strip())
            if found is not None:
                letters, digits = found.groups()
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _column_number(letters)
                row = position["row"] = int(digits)
                position["col"] = column
            else:
                row, column = position["row"], position["col"] + 1
                position["col"] = column
            extent.cells += 1
            if row > extent.max_row:
                extent.max_row = row
            if column > extent.max_col:
                extent.max_col = column
            if (
                extent.max_row > rows
                or extent.max_col > cols
                or extent.cells > cells
                or extent.max_row * extent.max_col > cells
            ):
                try:
                    extent.check(bounds, where)
                except DomainError as error:
                    raise _StopError(error) from None
        elif local == "row":
            text = attributes.get("r", "")
            position["row"] = int(text) if text.isdigit() else position["row"] + 1
            position["col"] = 0
            if position["row"] > bounds.rows:
                raise _StopError(
                    refused(f"行数过多：上限 {bounds.rows} 行，{where}用到第 {position['row']} 行")
                )
        elif local == "dimension":
            _check_dimension(attributes.get("ref", ""), bounds, where)

    parser.StartElementHandler = start
    return parser


def _check_dimension(ref: str, bounds: Limits, where: str) -> None:
    corners = [_ref(part) for part in ref.split(":")]
    if not ref or any(c is None for c in corners):
        return
    rows = max(c[0] for c in corners if c is not None)
    cols = max(c[1] for c in corners if c is not None)
    if rows > bounds.rows or cols > bounds.columns:
        raise _StopError(
            refused(
                f"工作表声明的范围 {ref} 超出上限（最多 {bounds.rows} 行、{bounds.columns} 列，"
                f"{where}）"
            )
        )


def _feed(zf: zipfile.ZipFile, info: zipfile.ZipInfo, parser: expat.XMLParserType | None,
          budget: list[int], bounds: Limits) -> None:  # fmt: skip
    """Inflate one member in chunks, counting the bytes actually produced."""
    produced = 0
    with zf.open(info) as stream:
        while chunk := stream.read(1 * MB):
            produced += len(chunk)
            budget[0] += len(chunk)
            if produced > info.file_size:
                raise refused(f"压缩包成员 {info.filename} 解压后大于其声明的大小，疑似压缩炸弹")
            if budget[0] > bounds.uncompressed_bytes:
                raise refused(f"解压后过大：上限 {_mb(bounds.uncompressed_bytes)}")
            if parser is not None:
                parser.Parse(chunk, False)
        if parser is not None:
            parser.Parse(b"", True)


def check_zip(data: bytes, *, field: str = "file", spreadsheet: bool = False) -> None:
    """The members of a zip container: count, declared and actual uncompressed size, ratio,
    no encryption; with ``spreadsheet`` also every XML member (no DTD) and every worksheet's
    cells (:func:`check_spreadsheet`)."""
    bounds = limits()
    if len(data) > bounds.file_bytes:
        raise refused(too_large_message(), field)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise refused(f"文件已损坏或不是有效的压缩格式：{error}", field) from None
    if len(members) > bounds.members:
        raise refused(
            f"压缩包成员过多：上限 {bounds.members} 个，本文件有 {len(members)} 个", field
        )
    declared = sum(m.file_size for m in members)
    if declared > bounds.uncompressed_bytes:
        raise refused(f"解压后过大：上限 {_mb(bounds.uncompressed_bytes)}", field)
    if declared > RATIO_GRACE_BYTES and declared > bounds.ratio * max(len(data), 1):
        ratio = declared // max(len(data), 1)
        raise refused(
            f"压缩比异常：上限 {bounds.ratio} 倍，本文件为 {ratio} 倍，疑似压缩炸弹", field
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise refused("文件已加密，请取消密码后再上传", field)
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refused(f"不支持的压缩方式（成员 {member.filename}）", field)
        if member.file_size > RATIO_GRACE_BYTES and member.file_size > bounds.ratio * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise refused(
                f"压缩比异常：上限 {bounds.ratio} 倍，成员 {member.filename} 为 {ratio} 倍，"
                "疑似压缩炸弹",
                field,
            )
    sheets = [m for m in members if _is_sheet(m.filename)]
    if spreadsheet and len(sheets) > bounds.sheets:
        raise refused(f"工作表过多：上限 {bounds.sheets} 个，本文件有 {len(sheets)} 个", field)
    budget = [0]
    try:
        for member in members:
            parser: expat.XMLParserType | None = None
            name = member.filename.lower()
            if spreadsheet and _is_sheet(member.filename):
                where = f"第 {sheets.index(member) + 1} 个工作表"
                parser = _sheet_parser(_Extent(), bounds, where)
            elif spreadsheet and name.endswith((".xml", ".rels", ".vml")):
                parser = _no_dtd_parser()
            _feed(zf, member, parser, budget, bounds)
    except _StopError as stop:
        raise refused(stop.error.message, field) from None
    except expat.ExpatError as error:
        raise refused(
            f"文件已损坏（XML 格式错误：{expat.errors.messages[error.code]}）", field
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise refused(f"文件已损坏或不是有效的压缩格式：{error}", field) from None
    except DomainError as error:
        raise refused(error.message, field) from None


def _is_sheet(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(("xl/worksheets/", "xl/chartsheets/")) and lower.endswith(".xml")


def check_xls(data: bytes, *, field: str = "file") -> None:
    """An ``.xls`` (BIFF8 in an OLE2 container): size, record count, and the rows, columns and
    cells of the cell records actually present in each worksheet."""
    import olefile  # only .xls needs it

    bounds = limits()
    if len(data) > bounds.file_bytes:
        raise refused(too_large_message(), field)
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        stream_name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if stream_name is None:
            raise refused("文件已损坏或不是有效的 Excel 97-2003 (.xls) 文件", field)
        if ole.get_size(stream_name) > bounds.uncompressed_bytes:
            raise refused(f"解压后过大：上限 {_mb(bounds.uncompressed_bytes)}", field)
        stream = ole.openstream(stream_name).read()
    except DomainError:
        raise
    except Exception as error:  # olefile raises OSError and its own types on bad containers
        raise refused(f"文件已损坏或不是有效的 Excel 97-2003 (.xls) 文件：{error}", field) from None
    max_records = bounds.cells + 1_000_000
    records = 0
    sheets = 0
    extent = _Extent()
    offset = 0
    size = len(stream)
    try:
        while offset + 4 <= size:
            kind, length = struct.unpack_from("<HH", stream, offset)
            body = stream[offset + 4 : offset + 4 + length]
            offset += 4 + length
            records += 1
            if records > max_records:
                raise refused(f"记录过多：上限 {max_records} 条", field)
            if kind == XLS_BOF and len(body) >= 4:
                if struct.unpack_from("<H", body, 2)[0] == 0x0010:  # a worksheet begins
                    sheets += 1
                    if sheets > bounds.sheets:
                        raise refused(f"工作表过多：上限 {bounds.sheets} 个", field)
                    extent = _Extent()
            elif kind == XLS_DIMENSIONS and len(body) >= 12:
                _rw_first, rw_last, _col_first, col_last = struct.unpack_from("<IIHH", body)
                if rw_last > bounds.rows + 1 or col_last > bounds.columns + 1:
                    raise refused(
                        f"工作表声明的范围超出上限（最多 {bounds.rows} 行、{bounds.columns} 列）",
                        field,
                    )
            elif kind in XLS_CELL_RECORDS and len(body) >= 4:
                row, col = struct.unpack_from("<HH", body)
                extent.add(row + 1, col + 1, bounds, f"第 {max(sheets, 1)} 个工作表")
            elif kind in XLS_MULTI_RECORDS and len(body) >= 6:
                row, first = struct.unpack_from("<HH", body)
                (last,) = struct.unpack_from("<H", body, len(body) - 2)
                where = f"第 {max(sheets, 1)} 个工作表"
                extent.add(row + 1, first + 1, bounds, where)
                extent.add(row + 1, last + 1, bounds, where)
    except DomainError as error:
        raise refused(error.message, field) from None


def check_spreadsheet(data: bytes, filename: str, *, field: str = "file") -> None:
    """Every bound of an uploaded table, before any reader parses it. ``.csv`` is bounded
    while it is read (:func:`csv_rows`)."""
    name = filename.lower()
    bounds = limits()
    if len(data) > bounds.file_bytes:
        raise refused(too_large_message(), field)
    digest = hashlib.sha256(data).hexdigest()
    if digest in _CHECKED:
        return
    if name.endswith((".xlsx", ".xlsm")):
        check_zip(data, field=field, spreadsheet=True)
    elif name.endswith(".xls"):
        check_xls(data, field=field)
    elif not name.endswith(".csv"):
        raise refused("只支持 .xlsx、.xls 和 .csv 文件", field)
    _CHECKED[digest] = None
    while len(_CHECKED) > 16:
        _CHECKED.pop(next(iter(_CHECKED)))


# Files already found within bounds (by SHA-256): an import reads its file twice (the rows,
# then the column letters), and a preview is confirmed with the same bytes.
_CHECKED: dict[str, None] = {}


def csv_rows(text: str) -> Iterator[list[str]]:
    """The rows of a CSV text, refused as soon as a bound is passed."""
    bounds = limits()
    cells = 0
    reader = csv.reader(io.StringIO(text))
    try:
        for number, row in enumerate(reader, start=1):
            if number > bounds.rows:
                raise refused(f"行数过多：上限 {bounds.rows} 行")
            if len(row) > bounds.columns:
                raise refused(f"列数过多：上限 {bounds.columns} 列，第 {number} 行有 {len(row)} 列")
            cells += len(row)
            if cells > bounds.cells:
                raise refused(f"单元格过多：上限 {bounds.cells} 个")
            yield row
    except csv.Error as error:
        raise refused(f"CSV 文件格式错误（第 {reader.line_num} 行）：{error}") from None
