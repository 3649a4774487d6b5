"""The pure part of the import: header, mapping, values, skipped rows (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yanzhen.engines.stages import Stage, derive_stage
from yanzhen.engines.tabular import (
    Choice,
    FieldSpec,
    Header,
    column_letter,
    find_header,
    flatten,
    map_columns,
    normalise,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_rows,
    skip_reason,
)

CHANNELS = (
    Choice("invite", "领导邀请", ("邀",)),
    Choice("seek", "主动寻找", ("找",)),
    Choice("introduce", "校友引荐", ("引",)),
    Choice("gather", "活动聚合", ("聚",)),
)
FIELDS = (
    FieldSpec("title", "合作名称", required=True, synonyms=("项目名称",)),
    FieldSpec("owner", "登记单位", required=True, synonyms=("填报单位",)),
    FieldSpec("channel", "对接渠道", "choice", synonyms=("对接方式",), choices=CHANNELS),
    FieldSpec("intention", "意向日期", "date", required=True, synonyms=("意向时间",)),
    FieldSpec("agreement", "签约日期", "date", synonyms=("签约时间",)),
    FieldSpec("landed", "落地日期", "date", synonyms=("落地时间",)),
    FieldSpec("money", "计划投资（万元）", "decimal", synonyms=("计划投资",), scale=Decimal(10000)),
    FieldSpec("online", "云签约", "bool"),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021.3.5", dt.date(2021, 3, 5)),
        ("2021/03/05", dt.date(2021, 3, 5)),
        ("2021年3月5日", dt.date(2021, 3, 5)),
        ("20210305", dt.date(2021, 3, 5)),
        (20210305.0, dt.date(2021, 3, 5)),
        (44260.0, dt.date(2021, 3, 5)),
        ("44260", dt.date(2021, 3, 5)),
        ("２０２１．３．５", dt.date(2021, 3, 5)),
        ("2021-03-05 00:00:00", dt.date(2021, 3, 5)),
        (dt.datetime(2021, 3, 5, 0, 0), dt.date(2021, 3, 5)),  # noqa: DTZ001
    ],
)
def test_it_reads_the_office_date_forms(text: object, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2021.2.30", "明年春天", "2021.13.1", True])
def test_it_refuses_a_date_that_is_none_in_chinese(text: object) -> None:
    with pytest.raises(ValueError, match="日期"):
        parse_date(text)


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_reads_back_from_each_form(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    forms = [
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}{day.month:02d}{day.day:02d}",
        float(serial),
        day.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
    ]
    assert {parse_date(form) for form in forms} == {day}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("1.2亿", Decimal(12000)),
        ("500万", Decimal(500)),
        ("500万元", Decimal(500)),
        ("3000000元", Decimal(300)),
        ("３００", Decimal(300)),
        (12.5, Decimal("12.5")),
    ],
)
def test_it_reads_amounts_in_the_fields_unit(text: object, expected: Decimal) -> None:
    assert parse_decimal(text, scale=Decimal(10000)) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_never_change_a_number(number: int) -> None:
    assert parse_decimal(f"{number:,}") == Decimal(number)


def test_it_reads_yes_and_no() -> None:
    assert [parse_bool(v) for v in ("是", "否", "√", "×", "Y", "0")] == [
        True,
        False,
        True,
        False,
        True,
        False,
    ]
    with pytest.raises(ValueError, match="应为“是”或“否”"):
        parse_bool("也许")


def test_it_reads_choices_by_label_code_and_short_word() -> None:
    assert parse_choice("领导邀请", CHANNELS).value == "invite"
    assert parse_choice("seek", CHANNELS).value == "seek"
    found = [parse_choice(w, CHANNELS) for w in ("邀", "找", "引", "聚")]
    assert [(v.value, v.confidence) for v in found] == [
        ("invite", 0.9),
        ("seek", 0.9),
        ("introduce", 0.9),
        ("gather", 0.9),
    ]
    kinds = (Choice("intern", "实习实训基地"), Choice("job", "就业创业基地"))
    assert (parse_choice("实习实训", kinds).value, parse_choice("实习实训", kinds).confidence) == (
        "intern",
        0.8,
    )
    with pytest.raises(ValueError, match="不在可选值中（领导邀请、主动寻找、校友引荐、活动聚合）"):
        parse_choice("电话", CHANNELS)


def test_it_flattens_a_merged_two_row_header() -> None:
    top = ["序号", "项目名称", "合作时间", None, None, "备注"]
    bottom = [None, None, "意向时间", "签约时间", "落地时间", None]
    assert flatten(top, bottom) == (
        "序号",
        "项目名称",
        "合作时间/意向时间",
        "合作时间/签约时间",
        "合作时间/落地时间",
        "备注",
    )


def _sheet() -> list[list[object]]:
    return [
        ["永济市2021年省校合作台账", None, None, None, None, None, None, None],
        ["填报单位：永济市人才办", None, None, None, None, None, None, None],
        ["序号", "项目名称", "填报单位", "对接方式", "合作时间", None, None, "备注"],
        [None, None, None, None, "意向时间", "签约时间", "落地时间", None],
        [1, "光伏合作", "开张镇", "邀", "2021.3.5", "2021年4月1日", None, "好"],
        [2, None, "开张镇", "电话", "明天", None, None, None],
        [None, None, None, None, None, None, None, None],
        [3, None, None, None, None, None, None, None],
        ["合计", None, None, None, None, None, None, None],
        ["注：本表由各单位填报", None, None, None, None, None, None, None],
        ["填表人：张三", None, None, "审核人：李四", None, None, None, None],
    ]


def test_it_finds_the_header_under_title_rows_and_maps_by_synonym() -> None:
    rows = _sheet()
    header = find_header(rows, FIELDS)
    assert header == Header(
        2,
        3,
        (
            "序号",
            "项目名称",
            "填报单位",
            "对接方式",
            "合作时间/意向时间",
            "合作时间/签约时间",
            "合作时间/落地时间",
            "备注",
        ),
    )
    mapping = map_columns(header.names, FIELDS)
    assert mapping.as_dict() == {
        "项目名称": "title",
        "填报单位": "owner",
        "对接方式": "channel",
        "合作时间/意向时间": "intention",
        "合作时间/签约时间": "agreement",
        "合作时间/落地时间": "landed",
    }
    assert mapping.unused == ((0, "序号"), (7, "备注"))
    assert mapping.missing == ()


def test_a_saved_mapping_wins_and_can_ignore_a_column() -> None:
    names = ("项目名称", "填报单位", "对接方式", "意向时间")
    mapping = map_columns(names, FIELDS, saved={"对接方式": "", "填报单位": "title"})
    assert mapping.as_dict() == {"填报单位": "title", "意向时间": "intention"}
    assert mapping.missing == ("owner",)
    assert map_columns(names[:3], FIELDS, derivable=("intention",)).missing == ()


def test_it_lists_every_problem_and_every_skipped_row() -> None:
    rows = _sheet()
    header = find_header(rows, FIELDS)
    assert header is not None
    mapping = map_columns(header.names, FIELDS)
    parsed = parse_rows(rows, header, mapping, FIELDS, ignore=(0,))
    assert [r.row for r in parsed.records] == [5, 6]
    assert parsed.records[0].values["intention"] == dt.date(2021, 3, 5)
    assert parsed.records[0].values["channel"] == "invite"
    assert parsed.records[0].notes == ["对接渠道“邀”按“领导邀请”"]
    assert [(p.row, column_letter(p.column), p.message) for p in parsed.records[1].problems] == [
        (6, "B", "合作名称不能为空"),
        (6, "D", "“电话”不在可选值中（领导邀请、主动寻找、校友引荐、活动聚合）"),
        (6, "E", "“明天”不是日期（可写成 2021-03-05、2021.3.5、2021/03/05 或 2021年3月5日）"),
    ]
    assert [(s.row, s.reason) for s in parsed.skipped] == [
        (7, "空行"),
        (8, "空行"),
        (9, "合计行"),
        (10, "注释说明"),
        (11, "填表人、审核人等落款"),
    ]


def test_a_row_is_a_record_unless_a_reason_says_otherwise() -> None:
    assert skip_reason(["小计", 3], [1]) == "合计行"
    assert skip_reason([None, "", "  "], [1]) == "空行"
    assert skip_reason([1, "合作名称"], [1]) == ""


@given(st.lists(st.one_of(st.none(), st.text(max_size=8), st.integers()), max_size=8))
def test_skip_reason_never_fails(cells: list[object]) -> None:
    assert isinstance(skip_reason(cells, range(len(cells))), str)


def test_normalise_keeps_blanks_as_the_fields_empty_value() -> None:
    assert [normalise(f, None).value for f in FIELDS] == ["", "", "", None, None, None, None, False]


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_a_ledger_without_a_stage_takes_it_from_its_dates() -> None:
    day = dt.date(2021, 3, 5)
    assert derive_stage(agreement_date=None, landed_date=None) == Stage.INTENTION
    assert derive_stage(agreement_date=day, landed_date=None) == Stage.AGREEMENT
    assert derive_stage(agreement_date=day, landed_date=day) == Stage.LANDED
    assert derive_stage(agreement_date=day, landed_date=None, dropped_date=day) == Stage.DROPPED
