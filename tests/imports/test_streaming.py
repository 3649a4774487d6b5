"""The 100,000-row import (issue 16, speed and memory): the workbook read row by row as the
flow asks for it gives the cells ``read_sheet`` gives (from row 1 and column A), the cells that
recur down a column are normalised once with the same values and notes, and the integrity tags
of a bulk write are each field's keyed hash as :func:`integrity.mac` defines it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from yanzhen.cooperation.models import Cooperation
from yanzhen.core import importing, integrity
from yanzhen.core.errors import DomainError
from yanzhen.engines.tabular import Choice, FieldSpec, find_header, map_columns, parse_rows

CHANNELS = (Choice("invite", "领导邀请", ("邀",)), Choice("seek", "主动寻找", ("找",)))
FIELDS = (
    FieldSpec("title", "合作名称", required=True),
    FieldSpec("channel", "对接渠道", "choice", choices=CHANNELS),
    FieldSpec("intention", "意向日期", "date", required=True),
    FieldSpec("online", "云签约", "bool"),
)


def _workbook(cells: dict[str, str | float]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    for at, value in cells.items():
        sheet[at] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "cells",
    [
        {"C3": "合作名称", "D3": "意向日期", "C4": "甲", "D4": 44260.0, "E6": "尾"},
        {"A1": "标题", "B2": "合作名称", "C2": 1.5, "B3": "乙"},
        {"D1": "右上", "A4": "左下"},
    ],
)
def test_the_streamed_rows_are_the_rows_read_at_once(cells: dict[str, str | float]) -> None:
    data = _workbook(cells)
    names, chosen, rows = importing.stream_sheet(data, "台账.xlsx")
    table = importing.read_sheet(data, "台账.xlsx")
    assert (names, chosen) == (table.names, table.name) == (("台账",), "台账")
    assert list(rows) == table.rows


def test_a_csv_is_streamed_as_it_is_read() -> None:
    data = "合作名称,意向日期\n甲,2021.3.5\n".encode("gb18030")
    names, chosen, rows = importing.stream_sheet(data, "台账.csv")
    assert (names, chosen, list(rows)) == (
        ("CSV",),
        "CSV",
        [["合作名称", "意向日期"], ["甲", "2021.3.5"]],
    )


def test_a_missing_sheet_is_refused_before_any_row_is_read() -> None:
    data = _workbook({"A1": "合作名称"})
    with pytest.raises(DomainError) as refused:
        importing.stream_sheet(data, "台账.xlsx", "2022年")
    assert refused.value.message == "没有名为“2022年”的工作表（有：台账）"


def test_recurring_cells_give_every_row_its_own_values_and_notes() -> None:
    rows: list[list[object]] = [
        ["合作名称", "对接渠道", "意向日期", "云签约"],
        ["甲", "邀", "2021.3.5", "√"],
        ["乙", "邀", "2021.3.5", "√"],
        ["丙", "电话", 44260.0, "×"],
        ["丁", "电话", 44260.0, "×"],
    ]
    header = find_header(rows, FIELDS)
    assert header is not None
    parsed = parse_rows(iter(rows), header, map_columns(header.names, FIELDS), FIELDS)
    assert [(r.row, r.values, r.notes) for r in parsed.records[:2]] == [
        (n, {"title": t, "channel": "invite", "intention": dt.date(2021, 3, 5), "online": True},
         ["对接渠道“邀”按“领导邀请”"])
        for n, t in ((2, "甲"), (3, "乙"))
    ]  # fmt: skip
    message = "“电话”不在可选值中（领导邀请、主动寻找）"
    for record in parsed.records[2:]:
        assert [(p.row, p.field, p.message) for p in record.problems] == [
            (record.row, "channel", message)
        ]
        assert record.values["intention"] == dt.date(2021, 3, 5)
        assert record.values["online"] is False


def test_the_tags_of_a_bulk_write_are_each_fields_keyed_hash() -> None:
    pm = integrity.protected(Cooperation)
    assert pm is not None
    values = [Decimal("12.5") if "investment" in f.name else None for f in pm.fields]
    expected = {
        f.name: integrity.mac(pm.label, 7, f.name, integrity.canonical(f, v))
        for f, v in zip(pm.fields, values, strict=True)
    }
    assert integrity.macs_of(pm, 7, values) == expected
    assert len(set(expected.values())) == len(expected)
