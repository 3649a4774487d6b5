"""Every upload is bounded before a reader parses it: size, sheets, rows, columns, cells,
inflated size and compression ratio, no DTD; a refusal says in Chinese which limit was hit,
and the process survives files that made python-calamine abort."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import python_calamine
from openpyxl import Workbook

from tests.core.hostile_files import biff, lying_member, sheet_xml, xls, xlsx, zeros_member
from yanzhen.core import uploads
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column, read_table

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = (Column("name", "名称", required=True), Column("n", "数量", kind="int"))
HUGE_GRID = xlsx(sheet_xml([("A1", "名称"), ("XFD1048576", "y")]))


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(DomainError) as caught:
        read_table(data, name, COLUMNS)
    assert caught.value.fields == {"file": caught.value.message}
    return caught.value.message


@pytest.fixture
def no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any call of python-calamine fails the test: the bounds must refuse the file first."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("python-calamine was asked to read a file outside the bounds")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", forbidden)


def test_a_tiny_workbook_claiming_the_whole_grid_is_refused_before_reading(no_reader: None) -> None:
    data = xlsx(sheet_xml([("A1", "名称")], dimension="A1:XFD1048576"))
    assert len(data) < 5_000
    assert refusal(data, "a.xlsx") == (
        "工作表声明的范围 A1:XFD1048576 超出上限（最多 200000 行、256 列，第 1 个工作表）"
    )


def test_cells_far_away_are_refused_whatever_the_dimension_says(no_reader: None) -> None:
    assert len(HUGE_GRID) < 5_000
    assert (
        refusal(HUGE_GRID, "a.xlsx") == "行数过多：上限 200000 行，第 1 个工作表用到第 1048576 行"
    )
    wide = xlsx(sheet_xml([("A1", "名称"), ("JZ2", "y")], dimension="A1:B2"))
    assert refusal(wide, "a.xlsx") == "列数过多：上限 256 列，第 1 个工作表用到第 286 列"
    # 50,000 rows × 250 columns: each within its bound, the grid (12.5 million) is not.
    grid = xlsx(sheet_xml([("A1", "名称"), ("IP1", "x"), ("A50000", "y")]))
    assert refusal(grid, "a.xlsx") == "单元格过多：上限 10000000 个（第 1 个工作表）"


def test_the_process_survives_the_workbook_that_made_the_reader_abort(tmp_path: Path) -> None:
    """Before the bounds this file killed the process (calamine allocated 512 GB and aborted)."""
    path = tmp_path / "grid.xlsx"
    path.write_bytes(HUGE_GRID)
    script = textwrap.dedent(
        f"""
        import django
        django.setup()
        from yanzhen.core.errors import DomainError
        from yanzhen.core.excel import Column, read_table
        try:
            read_table(open({str(path)!r}, "rb").read(), "grid.xlsx", [Column("a", "名称")])
        except DomainError as error:
            print(error.message)
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yanzhen.test_settings",
        "YANZHEN_DATA_DIR": str(tmp_path),
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout.strip()) == (
        0,
        "行数过多：上限 200000 行，第 1 个工作表用到第 1048576 行",
    )


def test_a_zip_bomb_is_refused_by_its_ratio_and_by_its_inflated_size(no_reader: None) -> None:
    bomb = zeros_member("xl/media/image1.bin", 150)
    assert len(bomb) < 400_000
    message = refusal(bomb, "a.xlsx")
    assert message.startswith("压缩比异常：上限 100 倍，")
    assert message.endswith("疑似压缩炸弹")
    assert refusal(zeros_member("xl/media/image1.bin", 210), "a.xlsx") == (
        "解压后过大：上限 200 MB"
    )


def test_a_member_inflating_past_its_declared_size_is_refused(no_reader: None) -> None:
    message = refusal(lying_member(30, 1000), "a.xlsx")
    assert message.startswith("文件已损坏或不是有效的压缩格式")


def test_xml_with_a_dtd_or_entities_is_refused(no_reader: None) -> None:
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    in_sheet = xlsx(sheet_xml([("A1", "&b;")], prolog=laughs))
    in_strings = xlsx(
        sheet_xml([("A1", "名称")]),
        {"xl/sharedStrings.xml": f'<?xml version="1.0"?>{laughs}<sst xmlns="{uploads.__name__}"/>'
         .encode()},
    )  # fmt: skip
    for data in (in_sheet, in_strings):
        assert refusal(data, "a.xlsx") == "文件含有 DTD 或实体声明（XML），出于安全原因不予读取"


def test_too_many_sheets_are_refused(no_reader: None) -> None:
    extra = {f"xl/worksheets/sheet{n}.xml": sheet_xml([("A1", "x")]).encode() for n in range(2, 52)}
    assert refusal(xlsx(sheet_xml([("A1", "名称")]), extra), "a.xlsx") == (
        "工作表过多：上限 50 个，本文件有 51 个"
    )


def test_an_xls_with_far_cells_is_refused_before_reading(no_reader: None) -> None:
    """Before the bounds a 4 KB .xls with a cell at row 65536, column 65536 aborted the process."""
    assert refusal(xls(biff([(0, 0), (3, 300)])), "a.xls") == (
        "列数过多：上限 256 列，第 1 个工作表用到第 301 列"
    )
    assert refusal(xls(biff([(0, 0), (0, 249), (59_999, 0)])), "a.xls") == (
        "单元格过多：上限 10000000 个（第 1 个工作表）"
    )
    assert refusal(b"\xd0\xcf\x11\xe0 not a compound file", "a.xls").startswith(
        "文件已损坏或不是有效的 Excel 97-2003 (.xls) 文件"
    )


def test_an_xls_within_bounds_is_read() -> None:
    rows, errors = read_table(
        xls(biff([(0, 0), (1, 0), (2, 0)])), "a.xls", [Column("a", "1", kind="int")]
    )
    assert ([(r.number, r.values) for r in rows], errors) == ([(2, {"a": 1}), (3, {"a": 1})], [])


def test_csv_rows_and_columns_are_bounded_while_read() -> None:
    many_rows = ("名称\n" + "a\n" * 200_000).encode()
    assert refusal(many_rows, "a.csv") == "行数过多：上限 200000 行"
    wide = ("名称," + ",".join(["x"] * 300) + "\n").encode()
    assert refusal(wide, "a.csv") == "列数过多：上限 256 列，第 1 行有 301 列"
    huge_field = ("名称\n" + "x" * 200_000 + "\n").encode()
    assert refusal(huge_field, "a.csv").startswith("CSV 文件格式错误（第 2 行）")


def test_a_file_over_twenty_megabytes_is_refused(no_reader: None) -> None:
    assert refusal(b"0" * (21 * 1024 * 1024), "a.csv") == "文件过大：上限 20 MB"


def test_other_formats_are_refused() -> None:
    assert refusal(b"PK\x03\x04", "a.ods") == "只支持 .xlsx、.xls 和 .csv 文件"


def test_a_hundred_thousand_row_file_still_imports() -> None:
    """The bounds leave room for a large legitimate file: 100,000 rows of an XLSX and a CSV."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(["名称", "数量"])
    for n in range(1, 100_001):
        sheet.append([f"名称{n}", n])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, errors = read_table(buffer.getvalue(), "big.xlsx", COLUMNS)
    assert (len(rows), errors) == (100_000, [])
    assert (rows[0].values, rows[-1].number, rows[-1].values) == (
        {"name": "名称1", "n": 1}, 100_001, {"name": "名称100000", "n": 100_000},
    )  # fmt: skip
    text = "名称,数量\n" + "".join(f"名称{n},{n}\n" for n in range(1, 100_001))
    rows, errors = read_table(text.encode(), "big.csv", COLUMNS)
    assert (len(rows), errors, rows[-1].values) == (
        100_000,
        [],
        {"name": "名称100000", "n": 100_000},
    )


def test_the_upload_handler_keeps_nothing_past_the_limit() -> None:
    handler = uploads.BoundedUploadHandler()
    handler.new_file("file", "a.csv", "text/csv", None)
    assert handler.receive_data_chunk(b"x" * 1024, 0) == b"x" * 1024
    assert handler.receive_data_chunk(b"y" * (20 * 1024 * 1024), 1024) is None
    refused = handler.file_complete(0)
    assert isinstance(refused, uploads.RefusedUpload)
    assert (refused.size, refused.read(), refused.reason) == (
        1024 + 20 * 1024 * 1024, b"", "文件过大：上限 20 MB",
    )  # fmt: skip


def test_a_workbook_within_bounds_passes() -> None:
    uploads.check_zip(xlsx(sheet_xml([("A1", "名称"), ("IV2", "x")])), spreadsheet=True)
    rows, errors = read_table(xlsx(sheet_xml([("A1", "名称"), ("A2", "x")])), "a.xlsx", COLUMNS)
    assert ([(r.number, r.values) for r in rows], errors) == ([(2, {"name": "x", "n": None})], [])
