"""The briefing template language: exact renderings, every error with its line and column, and
properties (plain text renders as itself; arbitrary input raises nothing but TemplateError)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yanzhen.engines.briefing_template import (
    MAX_DEPTH,
    Catalogue,
    Cell,
    Figure,
    FigureRef,
    Heading,
    Kind,
    Paragraph,
    Param,
    Run,
    Table,
    TemplateError,
    Value,
    format_value,
    parse,
)

CATALOGUE = Catalogue(
    [
        Figure("合作意向数", Kind.COUNT, (Param("时期", ("本年", "上年")),)),
        Figure("签约数", Kind.COUNT, (Param("时期", ("本年", "上年")),)),
        Figure("博士数", Kind.COUNT),
        Figure("硕士数", Kind.COUNT),
        Figure("985高校数", Kind.COUNT),
        Figure("同比增长", Kind.PERCENT, (Param("指标", figures=True, required=True),)),
        Figure("完成率", Kind.PERCENT),
        Figure("投资额", Kind.AMOUNT),
        Figure("单位名称", Kind.TEXT),
    ]
)

VALUES: dict[str, Value] = {
    "合作意向数": 120,
    "合作意向数:上年": 98,
    "签约数": 81,
    "签约数:上年": 90,
    "博士数": 1,
    "硕士数": 106,
    "985高校数": 4,
    "同比增长:合作意向数": Decimal("0.2245"),
    "同比增长:签约数": Decimal(-9) / Decimal(90),
    "完成率": Decimal("1.05"),
    "投资额": Decimal("1200.50"),
    "单位名称": "永济市",
}


def render(source: str, values: dict[str, Value] | None = None) -> tuple[object, ...]:
    return parse(source, CATALOGUE).render(VALUES if values is None else values)


def texts(source: str, values: dict[str, Value] | None = None) -> list[str]:
    return [b.text for b in render(source, values) if isinstance(b, Paragraph | Heading)]


# Exact renderings ------------------------------------------------------------------------------


def test_it_renders_a_briefing_with_headings_figures_conditions_and_a_table() -> None:
    source = (
        "# 强化工作主动\n"
        "　　{单位名称}全年新增合作意向{合作意向数}个，上年{合作意向数:上年}个，"
        "[若 同比增长:合作意向数>=0]增长{同比增长:合作意向数}[否则]下降[/若]。\n"
        "\n"
        "## 人才引进\n"
        "引进人才{硕士数}名，[若 博士数>0]其中博士研究生{博士数}名[/若]。\n"
        "[表 表1 合作项目情况]\n"
        "指标|2020年|2021年\n"
        "合作意向|{合作意向数:上年}|{合作意向数}\n"
        "[若 签约数>0]签约|{签约数:上年}|{签约数}\n"
        "[/若]\n"
        "[/表]\n"
        "### 投资\n"
        "协议投资{投资额}万元。\n"
    )
    assert render(source) == (
        Heading(1, (Run("强化工作主动"),)),
        Paragraph(
            (
                Run("永济市", "单位名称"),
                Run("全年新增合作意向"),
                Run("120", "合作意向数"),
                Run("个，上年"),
                Run("98", "合作意向数:上年"),
                Run("个，增长"),
                Run("22.5%", "同比增长:合作意向数"),
                Run("。"),
            )
        ),
        Heading(2, (Run("人才引进"),)),
        Paragraph(
            (
                Run("引进人才"),
                Run("106", "硕士数"),
                Run("名，其中博士研究生"),
                Run("1", "博士数"),
                Run("名。"),
            )
        ),
        Table(
            "表1 合作项目情况",
            (Cell((Run("指标"),)), Cell((Run("2020年"),)), Cell((Run("2021年"),))),
            (
                (
                    Cell((Run("合作意向"),)),
                    Cell((Run("98", "合作意向数:上年"),)),
                    Cell((Run("120", "合作意向数"),)),
                ),
                (
                    Cell((Run("签约"),)),
                    Cell((Run("90", "签约数:上年"),)),
                    Cell((Run("81", "签约数"),)),
                ),
            ),
        ),
        Heading(3, (Run("投资"),)),
        Paragraph((Run("协议投资"), Run("1200.50", "投资额"), Run("万元。"))),
    )


def test_a_false_condition_drops_its_sentence_and_a_whole_row() -> None:
    source = (
        "引进人才{硕士数}名[若 博士数>0]，其中博士研究生{博士数}名[/若]。\n"
        "[表]\n学历|人数\n[若 博士数>0]博士|{博士数}\n[/若]硕士|{硕士数}\n[/表]"
    )
    values = {**VALUES, "博士数": 0}
    assert texts(source, values) == ["引进人才106名。"]
    table = render(source, values)[1]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [["硕士", "106"]]


def test_the_else_if_and_else_branches() -> None:
    source = (
        "签约[若 同比增长:签约数>=10%]大幅增长[否则若 同比增长:签约数>0]增长"
        "[否则若 同比增长:签约数=0]持平[否则]下降[/若]。"
    )
    cases: dict[Value, str] = {
        Decimal("0.1"): "大幅增长",
        Decimal("0.05"): "增长",
        0: "持平",
        Decimal("-0.1"): "下降",
    }
    for growth, word in cases.items():
        assert texts(source, {"同比增长:签约数": growth}) == [f"签约{word}。"]


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ("博士数>0 且 硕士数>100", True),
        ("博士数>1 或 硕士数>100", True),
        ("博士数>1 或 硕士数>200", False),
        ("非 博士数>1", True),
        ("非 (博士数>0 且 硕士数>0)", False),
        ("博士数>0 且 (硕士数<0 或 合作意向数>=120)", True),
        ("博士数>0 且 硕士数<0 或 合作意向数>=120", True),
        ("非 博士数>0 或 硕士数=106", True),
        ("（博士数≥1）并且 硕士数≠0", True),
        ("博士数＞0 或者 博士数＜0", True),
        ("签约数<合作意向数", True),
        ("合作意向数:上年 < 合作意向数", True),
        ("合作意向数=120", True),
        ("合作意向数==120.0", True),
        ("合作意向数!=120", False),
        ("合作意向数<=119", False),
        ("0<博士数", True),
        ("-1%<同比增长:签约数", False),
        ("同比增长:签约数<0", True),
        ("同比增长:签约数>-10.5%", True),
        ("完成率>=100%", True),
        ("完成率>同比增长:合作意向数", True),
        ("985高校数>3", True),
    ],
)
def test_conditions(condition: str, holds: bool) -> None:
    assert texts(f"[若 {condition}]是[否则]否[/若]") == ["是" if holds else "否"]


def test_a_condition_on_a_missing_value_is_false() -> None:
    source = "[若 同比增长:签约数>=0]增长{同比增长:签约数}[/若][若 同比增长:签约数<0]下降[/若]"
    assert texts(source, {"同比增长:签约数": None}) == []
    assert texts("同比{同比增长:签约数}", {"同比增长:签约数": None}) == ["同比—"]


def test_conditions_nest() -> None:
    source = "[若 博士数>0]博士{博士数}名[若 硕士数>100]，硕士逾百[否则]，硕士不足百[/若][/若]"
    assert texts(source) == ["博士1名，硕士逾百"]
    assert texts(source, {**VALUES, "硕士数": 9}) == ["博士1名，硕士不足百"]
    assert texts(source, {**VALUES, "博士数": 0}) == []


def test_a_conditional_may_span_paragraphs() -> None:
    source = "甲\n[若 博士数>0]\n乙{博士数}\n\n丙\n[/若]\n丁"
    assert texts(source) == ["甲", "乙1", "丙", "丁"]
    assert texts(source, {**VALUES, "博士数": 0}) == ["甲", "丁"]


def escape(text: str) -> str:
    """The template that writes ``text`` literally: every bracket doubled (how an author
    writes a literal bracket)."""
    return re.sub(r"([{}\[\]])", r"\1\1", text)


def test_escapes_write_the_brackets() -> None:
    assert texts("{{注}} [[1]] a|b ## c") == ["{注} [1] a|b ## c"]
    assert texts(escape("[若 x>0]{y}")) == ["[若 x>0]{y}"]


def test_headings_after_spaces_or_condition_tags_only() -> None:
    assert render("  ## 二级\n[若 博士数>0]# 一级[/若]\n文字 # 不是标题\n#没有空格\n#### 四级") == (
        Heading.of(2, "二级"),
        Heading.of(1, "一级"),
        Paragraph.of("文字 # 不是标题"),
        Paragraph.of("#没有空格"),
        Heading.of(4, "四级"),
    )


def test_parameters_accept_full_width_punctuation_and_spaces() -> None:
    template = parse("{ 合作意向数：上年 }{同比增长 : 合作意向数}", CATALOGUE)
    assert [r.key for r in template.figures()] == ["合作意向数:上年", "同比增长:合作意向数"]


def test_it_lists_the_figures_it_needs_once_in_order() -> None:
    template = parse(
        "[若 博士数>0 且 同比增长:签约数<0]{硕士数}[否则若 985高校数>0]{博士数}[否则]{投资额}[/若]"
        "\n[表]\na|b\n{单位名称}|{硕士数}\n[/表]",
        CATALOGUE,
    )
    assert template.figures() == (
        FigureRef("博士数"),
        FigureRef("同比增长", ("签约数",)),
        FigureRef("硕士数"),
        FigureRef("985高校数"),
        FigureRef("投资额"),
        FigureRef("单位名称"),
    )


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        (Kind.COUNT, 120, "120"),
        (Kind.COUNT, 1234567, "1234567"),
        (Kind.COUNT, Decimal("34.00"), "34"),
        (Kind.COUNT, -3, "-3"),
        (Kind.PERCENT, Decimal("0.2245"), "22.5%"),
        (Kind.PERCENT, Decimal("0.22449"), "22.4%"),
        (Kind.PERCENT, Decimal("-0.1"), "-10.0%"),
        (Kind.PERCENT, Decimal("-0.0001"), "0.0%"),
        (Kind.PERCENT, 1, "100.0%"),
        (Kind.AMOUNT, Decimal("1200.50"), "1200.50"),
        (Kind.AMOUNT, Decimal("1E+3"), "1000"),
        (Kind.AMOUNT, 35000, "35000"),
        (Kind.TEXT, "永济市", "永济市"),
        (Kind.COUNT, None, "—"),
        (Kind.TEXT, None, "—"),
    ],
)
def test_values_are_written_in_the_official_style(kind: Kind, value: Value, text: str) -> None:
    assert format_value(kind, value) == text


# Errors, each with its line and column ---------------------------------------------------------

ERRORS = [
    ("新增{合作意向}个", 1, 4, "未知的指标“合作意向”，是否要写“合作意向数”？"),
    ("{人才数}", 1, 2, "未知的指标“人才数”"),
    ("第一行\n第二行{博士数", 2, 4, "“{”没有对应的“}”（文字“{”请写“{{”）"),
    ("a}b", 1, 2, "多余的“}”（文字“}”请写“}}”）"),
    ("a]b", 1, 2, "多余的“]”（文字“]”请写“]]”）"),
    ("[若 博士数>0", 1, 1, "“[”没有对应的“]”（文字“[”请写“[[”）"),
    ("{博{士数}", 1, 3, "占位符中不能有“{”"),
    ("[若 {博士数}>0]", 1, 4, "标记中不能有“{”"),
    ("{}", 1, 1, "占位符“{}”中缺少指标名称"),
    ("{12}", 1, 2, "此处应为指标名称，而不是“12”"),
    ("{博士数 硕士数}", 1, 6, "占位符中有多余的内容“硕士数”"),
    ("{博士数:上年}", 1, 6, "指标“博士数”没有参数"),
    ("{合作意向数:上年,本年}", 1, 11, "指标“合作意向数”最多有1个参数"),
    ("{合作意向数:前年}", 1, 8, "“前年”不是“合作意向数”的时期（可写：本年、上年）"),
    ("{合作意向数:}", 1, 8, "此处应为“合作意向数”的参数，而不是结尾"),
    ("{同比增长}", 1, 2, "指标“同比增长”需要参数：指标"),
    ("{同比增长:单位名称}", 1, 7, "“单位名称”是文字，不能作为“同比增长”的参数"),
    ("{同比增长:同比增长}", 1, 7, "“同比增长”需要参数，不能作为“同比增长”的参数"),
    ("{同比增长:签约}", 1, 7, "未知的指标“签约”，是否要写“签约数”？"),
    ("[文字]", 1, 1, "未知的标记“[文字]”（文字“[”请写“[[”）"),
    ("[若]是[/若]", 1, 3, "缺少条件，例如“博士数>0”"),
    ("[若 博士数]是[/若]", 1, 7, "“博士数”之后缺少比较，例如“博士数>0”"),
    ("[若 博士数>]是[/若]", 1, 8, "此处应为指标或数字，而不是结尾"),
    ("[若 博士数>>0]是[/若]", 1, 8, "此处应为指标或数字，而不是“>”"),
    (
        "[若 博士数 > 0 硕士数>0]是[/若]",
        1,
        12,
        "条件后有多余的内容“硕士数”（多个比较用“且”“或”连接）",
    ),
    ("[若 0<博士数<5]是[/若]", 1, 9, "比较不能连写，请用“且”连接两个比较"),
    ("[若 博士数>0且硕士数>0]是[/若]", 1, 8, "未知的指标“0且硕士数”（“且”“或”“非”前后须留空格）"),
    ("[若 (博士数>0]是[/若]", 1, 4, "“(”没有对应的右括号"),
    ("[若 博士数>0)]是[/若]", 1, 9, "多余的“)”"),
    ("[若 1>0]是[/若]", 1, 4, "比较中至少要有一个指标"),
    ("[若 单位名称>0]是[/若]", 1, 4, "“单位名称”是文字，不能比较大小"),
    ("[若 完成率>1]是[/若]", 1, 4, "“完成率”是百分比，请与百分数比较，例如“1%”"),
    ("[若 博士数>10%]是[/若]", 1, 4, "“博士数”不是百分比，不能与“10%”比较"),
    ("[若 完成率>博士数]是[/若]", 1, 4, "“完成率”与“博士数”一个是百分比、一个不是，不能比较"),
    ("[若 博士数>-x]是[/若]", 1, 8, "无法识别的字符“-”"),
    ("[若 博士数!0]是[/若]", 1, 7, "无法识别的字符“!”"),
    ("[若 非]是[/若]", 1, 5, "此处应为指标或数字，而不是结尾"),
    ("[若 博士数>0]是", 1, 1, "“[若 …]”没有对应的“[/若]”"),
    ("甲\n　[若 博士数>0]是\n[若 硕士数>0]\n[/若]", 2, 2, "“[若 …]”没有对应的“[/若]”"),
    ("是[/若]", 1, 2, "“[/若]”前没有对应的“[若 …]”"),
    ("是[否则]", 1, 2, "“[否则]”前没有对应的“[若 …]”"),
    ("是[否则若 博士数>0]", 1, 2, "“[否则若 …]”前没有对应的“[若 …]”"),
    ("[若 博士数>0]甲[否则]乙[否则]丙[/若]", 1, 16, "“[否则]”之后不能再有“[否则]”"),
    ("[若 博士数>0]甲[否则]乙[否则若 硕士数>0]丙[/若]", 1, 16, "“[否则]”之后不能再有“[否则若 …]”"),
    ("[若 博士数>0]甲[否则若 博士数]乙[/若]", 1, 19, "“博士数”之后缺少比较，例如“博士数>0”"),
    (
        "[表]\n甲|乙\n[若 博士数>0]丙|丁\n[/表]",
        3,
        1,
        "“[若 …]”没有对应的“[/若]”（在第4行的“[/表]”之前）",
    ),
    ("[表]\n甲|乙", 1, 1, "“[表]”没有对应的“[/表]”"),
    ("[/表]", 1, 1, "“[/表]”前没有对应的“[表]”"),
    ("文字[表]\n甲\n[/表]", 1, 3, "“[表]”须单独占一行"),
    ("[表]\n甲\n[/表]文字", 3, 1, "“[/表]”须单独占一行"),
    ("[表]\n[表]\n[/表]\n[/表]", 2, 1, "表格中不能再有表格"),
    (
        "[若 博士数>0]\n[表]\n甲\n[/表]\n[/若]",
        2,
        1,
        "表格不能写在“[若 …]”之中（条件可写在表格的行里）",
    ),
    ("[表]\n# 标题\n[/表]", 2, 1, "表格中不能有标题"),
    ("# \n正文", 1, 1, "标题为空"),
    ("正文\n##  ", 2, 1, "标题为空"),
    ("[表]\n\n[/表]", 1, 1, "表格没有内容"),
    ("[表 表1]\n甲|乙|丙\n1|2\n[/表]", 3, 1, "表格的这一行有2格，表头有3格"),
    ("[若 博士数>0]" * (MAX_DEPTH + 1), 1, 1 + 9 * MAX_DEPTH, f"嵌套过深（最多{MAX_DEPTH}层）"),
    (
        "[若 " + "(" * (MAX_DEPTH + 1) + "博士数>0]",
        1,
        4 + MAX_DEPTH,
        f"条件嵌套过深（最多{MAX_DEPTH}层）",
    ),
]


@pytest.mark.parametrize(("source", "line", "column", "message"), ERRORS)
def test_every_error_names_its_line_and_column(
    source: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        render(source)
    assert (caught.value.line, caught.value.column, caught.value.message) == (line, column, message)
    assert str(caught.value) == f"第{line}行第{column}列：{message}"


@pytest.mark.parametrize(
    ("source", "values", "line", "column", "message"),
    [
        ("甲\n新增{合作意向数}个", {}, 2, 3, "缺少指标“合作意向数”的数值"),
        ("[若 同比增长:签约数>0]是[/若]", {}, 1, 4, "缺少指标“同比增长:签约数”的数值"),
        ("{博士数}", {"博士数": Decimal("1.5")}, 1, 1, "指标“博士数”的数值应为整数：1.5"),
        ("{博士数}", {"博士数": "一"}, 1, 1, "指标“博士数”的数值应为数值：一"),
        ("{单位名称}", {"单位名称": 1}, 1, 1, "指标“单位名称”的数值应为文字：1"),
        ("[若 博士数>0]是[/若]", {"博士数": "一"}, 1, 4, "指标“博士数”的数值应为数值：一"),
    ],
)
def test_render_errors_name_the_figure_and_its_position(
    source: str, values: dict[str, Value], line: int, column: int, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        render(source, values)
    assert (caught.value.line, caught.value.column, caught.value.message) == (line, column, message)


def test_a_line_ending_of_windows_counts_as_one() -> None:
    with pytest.raises(TemplateError) as caught:
        render("甲\r\n乙\r丙{无}")
    assert (caught.value.line, caught.value.column) == (3, 3)


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        (
            [Figure("博士 数", Kind.COUNT)],
            "指标名称“博士 数”不可用（不能含空格和符号，不能是数字）",
        ),
        ([Figure("12", Kind.COUNT)], "指标名称“12”不可用（不能含空格和符号，不能是数字）"),
        ([Figure("且", Kind.COUNT)], "指标名称“且”不可用（不能含空格和符号，不能是数字）"),
        ([Figure("a", Kind.COUNT), Figure("a", Kind.TEXT)], "指标“a”重复"),
        (
            [Figure("a", Kind.COUNT, (Param("甲", ("x",)), Param("乙", ("y",), required=True)))],
            "指标“a”的必填参数须在可选参数之前",
        ),
        ([Figure("a", Kind.COUNT, (Param("甲"),))], "指标“a”的参数“甲”须列出可选词或取指标"),
        ([Figure("a", Kind.COUNT, (Param("甲", ("上:年",)),))], "指标“a”的参数词“上:年”不可用"),
    ],
)
def test_a_bad_catalogue_is_refused(figures: list[Figure], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        Catalogue(figures)


# Properties ------------------------------------------------------------------------------------

PLAIN = st.text(st.characters(exclude_characters="{}[]\r\n", exclude_categories=["Cs"]))


def _plain_line(line: str) -> bool:
    return not line.lstrip().startswith("#")


@given(st.lists(PLAIN.filter(_plain_line), max_size=6))
def test_text_without_markup_renders_as_itself(lines: list[str]) -> None:
    blocks = parse("\n".join(lines), CATALOGUE).render({})
    assert blocks == tuple(Paragraph.of(line.strip()) for line in lines if line.strip())


@given(st.text(st.characters(exclude_characters="\r\n", exclude_categories=["Cs"])))
def test_escaped_text_renders_as_itself(text: str) -> None:
    blocks = parse(escape(text), CATALOGUE).render({})
    heading = len(text.lstrip()) - len(text.lstrip().lstrip("#"))
    if text.strip() and not (
        1 <= heading <= 4 and text.lstrip()[heading : heading + 1] in " \u3000"
    ):
        assert blocks == (Paragraph.of(text.strip()),)


MARKUP = st.lists(
    st.sampled_from(
        [
            *"{}[]|#:：,，()（）<>=!≥≤≠%-. \n\u3000若否则表/且或非0125甲",
            *("博士数", "同比增长", "合作意向数", "单位名称", "上年", "完成率", "10%", ">0]"),
            *("[若 ", "[/若]", "[表]\n", "[否则]", "[否则若 ", "[/表]", "# ", "{博士数}"),
        ]
    ),
    max_size=60,
).map("".join)

SOME_VALUES = st.fixed_dictionaries(
    {
        key: st.one_of(
            st.none(),
            st.integers(-(10**6), 10**6),
            st.decimals(-(10**6), 10**6, allow_nan=False, places=3),
            st.text(max_size=3),
        )
        for key in VALUES
    }
)


@settings(max_examples=400)
@given(st.one_of(MARKUP, st.text()), st.one_of(st.just(VALUES), SOME_VALUES))
def test_arbitrary_input_raises_nothing_but_template_errors(
    source: str, values: dict[str, Value]
) -> None:
    error: TemplateError | None = None
    try:
        template = parse(source, CATALOGUE)
        assert {r.name for r in template.figures()} <= set(CATALOGUE.names())
        blocks = template.render(values)
        assert all(isinstance(b, Paragraph | Heading | Table) for b in blocks)
    except TemplateError as caught:
        error = caught
    if error is not None:  # the position lies within the text
        lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert 1 <= error.line <= len(lines)
        assert 1 <= error.column <= len(lines[error.line - 1]) + 1
        assert error.message
