"""The 100,000-row import (issue 16): the commit of a file previewed in the same process takes
the preview's parse instead of reading the file again, and still checks every row against the
database as it is at commit time; the records are packed chunk by chunk and unpacked one chunk
at a time; a register that reads only the distinct texts of some fields is given those texts,
not every record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import Demo
from tests.imports.sheets import ledger_row, office_ledger
from yanzhen.cooperation.importers import CooperationRegister
from yanzhen.cooperation.models import Cooperation
from yanzhen.core import import_memo, importing
from yanzhen.core.importers import UnitRegister
from yanzhen.engines.tabular import ColumnMap, Header, Problem, Record

pytestmark = pytest.mark.usefixtures("demo_db")
DUPLICATE = "永济市省校合作办公室已登记过同名合作“记忆测试合作2”"


@pytest.fixture(autouse=True)
def _no_kept_parse() -> Iterator[None]:
    import_memo.memo.clear()
    yield
    import_memo.memo.clear()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the flow reads (each call of ``stream_sheet``, after the upload bounds)."""
    read: list[str] = []
    original = importing.stream_sheet

    def counted(data: bytes, filename: str, sheet: str | None = None) -> Any:
        read.append(filename)
        return original(data, filename, sheet)

    monkeypatch.setattr(importing, "stream_sheet", counted)
    return read


def ledger(count: int = 7, prefix: str = "记忆测试合作") -> bytes:
    return office_ledger([ledger_row(n, f"{prefix}{n}") for n in range(1, count + 1)])


def run(demo: Demo, data: bytes, *, commit: bool, **options: Any) -> importing.ImportResult:
    return importing.run(
        CooperationRegister(), user=demo.users["office"], data=data, filename="台账.xlsx",
        sheet="2021年台账", commit=commit, **options,
    )  # fmt: skip


def figures(result: importing.ImportResult) -> tuple[object, ...]:
    return (
        result.rows,
        result.created,
        result.committed,
        [(e.row, e.column, e.message) for e in result.errors],
        [(s.row, s.reason) for s in result.skipped],
        result.notes,
        None if result.mapping is None else result.mapping.as_dict(),
    )


def test_the_commit_of_a_previewed_file_reads_it_once(demo_db: Demo, reads: list[str]) -> None:
    data = ledger()
    preview = run(demo_db, data, commit=False)
    assert (reads, len(import_memo.memo)) == (["台账.xlsx"], 1)
    done = run(demo_db, data, commit=True)
    assert (reads, len(import_memo.memo)) == (["台账.xlsx"], 0)  # taken by the commit
    assert figures(preview)[:1] + figures(preview)[3:] == figures(done)[:1] + figures(done)[3:]
    assert (done.rows, done.created, done.committed, done.errors) == (7, 7, True, [])
    assert [s.row for s in done.skipped] == [12, 13, 14]  # a blank line, 合计, 填表人
    made = Cooperation.objects.filter(title__startswith="记忆测试合作").order_by("title")
    assert list(made.values_list("title", "planned_investment", "intention_date")) == [
        (f"记忆测试合作{n}", Decimal("1200.00"), dt.date(2021, 3, 5)) for n in range(1, 8)
    ]


def test_a_commit_without_a_kept_parse_reads_the_file_and_answers_the_same(
    demo_db: Demo, reads: list[str]
) -> None:
    data = ledger()
    preview = run(demo_db, data, commit=False)
    import_memo.memo.clear()  # another process's preview, or an expired one
    done = run(demo_db, data, commit=True)
    assert reads == ["台账.xlsx", "台账.xlsx"]
    assert (done.created, done.committed) == (7, True)
    assert figures(preview)[:1] + figures(preview)[3:] == figures(done)[:1] + figures(done)[3:]


def test_the_commit_checks_the_rows_against_the_database_as_it_is_then(
    demo_db: Demo, reads: list[str]
) -> None:
    data = ledger()
    preview = run(demo_db, data, commit=False)
    assert (preview.created, preview.errors) == (7, [])
    other = office_ledger([ledger_row(1, "记忆测试合作2", 意向时间="2021.1.1")])
    assert run(demo_db, other, commit=True).created == 1  # another user, meanwhile
    before = Cooperation.all_objects.count()
    done = run(demo_db, data, commit=True)
    assert reads == ["台账.xlsx"] * 2  # the other file; not this one again
    assert [(e.row, e.column, e.message) for e in done.errors] == [(6, "B", DUPLICATE)]
    assert (done.committed, done.created) == (False, 6)
    assert Cooperation.all_objects.count() == before  # all or nothing: nothing written


def test_another_file_sheet_or_mapping_is_read_anew(demo_db: Demo, reads: list[str]) -> None:
    first, second = ledger(), ledger(prefix="另一文件合作")
    run(demo_db, first, commit=False)
    mapping = {"项目名称": "title"}
    assert run(demo_db, first, commit=False, mapping=mapping).rows == 7
    done = run(demo_db, second, commit=True)
    assert (done.created, done.committed) == (7, True)
    assert reads == ["台账.xlsx"] * 3
    assert len(import_memo.memo) == 2  # the two previews of the first file, not committed


def test_the_records_are_unpacked_and_their_items_built_chunk_by_chunk(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "PROGRESS_STEP", 3)
    events: list[str] = []
    unpack, build = import_memo.unpack, CooperationRegister.build

    def unpacked(blob: bytes) -> list[Record]:
        records = unpack(blob)
        events.append("unpack " + ",".join(str(r.row) for r in records))
        return records

    def built(self: CooperationRegister, context: Any, values: Any, notes: list[str]) -> Any:
        events.append(f"build {values['title']}")
        return build(self, context, values, notes)

    monkeypatch.setattr(import_memo, "unpack", unpacked)
    monkeypatch.setattr(CooperationRegister, "build", built)
    done = run(demo_db, ledger(), commit=True)
    assert (done.created, done.committed) == (7, True)
    assert events == [
        "unpack 5,6,7", "build 记忆测试合作1", "build 记忆测试合作2", "build 记忆测试合作3",
        "unpack 8,9,10", "build 记忆测试合作4", "build 记忆测试合作5", "build 记忆测试合作6",
        "unpack 11", "build 记忆测试合作7",
    ]  # fmt: skip


def test_a_register_reading_distinct_texts_is_given_each_text_once(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[list[tuple[int, dict[str, object]]]] = []
    original = CooperationRegister.prepare

    def prepare(self: CooperationRegister, *, user: Any, records: Sequence[Record]) -> Any:
        given.append([(r.row, dict(r.values)) for r in records])
        return original(self, user=user, records=records)

    monkeypatch.setattr(CooperationRegister, "prepare", prepare)
    rows = [ledger_row(n, f"记忆测试合作{n}") for n in range(1, 5)]
    rows[1] = ledger_row(2, "记忆测试合作2", 合作院校="西安交通大学、西北农林科技大学")
    done = importing.run(
        CooperationRegister(), user=demo_db.users["office"], data=office_ledger(rows),
        filename="台账.xlsx", sheet="2021年台账",
    )  # fmt: skip
    assert (done.rows, done.created, done.errors) == (4, 4, [])
    assert given == [
        [
            (0, {"owner_unit": "永济市省校合作办公室", "parties": ["山西长荣农业科技股份有限公司"],
                 "universities": ["西北农林科技大学"], "industry": ""}),
            (0, {"owner_unit": "", "parties": [], "universities": ["西安交通大学"],
                 "industry": ""}),
        ]
    ]  # fmt: skip


def test_a_register_reading_more_is_given_every_record(demo_db: Demo) -> None:
    assert UnitRegister().prepare_fields() is None
    assert CooperationRegister().prepare_fields() == (
        "owner_unit", "parties", "universities", "industry"
    )  # fmt: skip


def test_packed_records_are_unpacked_as_they_were() -> None:
    records = [
        Record(6, {"title": "甲", "parties": ["乙", "丙"], "date": dt.date(2021, 3, 5),
                   "amount": Decimal("1200.00"), "online": True, "count": 3}),
        Record(7, {"title": "", "date": None}, [Problem(7, 1, "title", "合作名称不能为空")],
               ["对接渠道“找”按“企业自主找”"]),
    ]  # fmt: skip
    assert import_memo.unpack(import_memo.pack(records)) == records


def test_the_memo_keeps_a_few_small_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    memo = import_memo.Memo()
    parse = import_memo.FileParse((), "", Header(0, 0, ()), ColumnMap((), (), ()), chunks=[b"ab"])
    for n in range(import_memo.KEEP + 1):
        memo.put(n, parse)
    assert len(memo) == import_memo.KEEP
    assert memo.take(0) is None  # the oldest went first
    assert memo.take(import_memo.KEEP) is parse
    monkeypatch.setattr(import_memo, "KEEP_BYTES", 1)
    memo.put("large", parse)
    assert memo.take("large") is None
    monkeypatch.setattr(import_memo, "KEEP_SECONDS", -1)
    assert memo.take(1) is None  # expired
