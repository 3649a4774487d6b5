"""The catalogue of named figures on the Yongji demo: the case's figures for 2021 exactly, each
with the records behind it, in the user's scope and for a scope unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import Demo
from yanzhen.core.models import Unit
from yanzhen.engines.briefing_template import FigureRef, parse
from yanzhen.reports import figures
from yanzhen.reports.figures import Context, FigureError, Period

pytestmark = pytest.mark.usefixtures("demo_db")

CASE_2021 = {
    "基地数": 12,
    "合作高校数": 38,
    "合作意向数": 120,
    "签约数": 81,
    "落地数": 63,
    "国际合作数": 1,
    "国际合作学生数": 34,
    "常委会研究次数": 3,
    "带队对接次数": 5,
    "推介会次数": 3,
    "人才数": 131,
    "博士数": 1,
    "硕士数": 106,
    "选调生数": 8,
    "医学毕业生数": 7,
    "实习生数": 69,
    "实习单位数": 19,
    "专业数": 9,
    "类别数": 20,
    "课程数": 52,
    "门店数": 106,
}


def _office_ctx(demo_db: Demo, year: int = 2021, unit: Unit | None = None) -> Context:
    return Context(user=demo_db.users["office"], period=Period.of_year(year), unit=unit)


def test_the_case_figures_of_2021(demo_db: Demo) -> None:
    ctx = _office_ctx(demo_db)
    got = {name: figures.compute(FigureRef(name), ctx).value for name in CASE_2021}
    assert got == CASE_2021


def test_each_figure_counts_exactly_its_records(demo_db: Demo) -> None:
    ctx = _office_ctx(demo_db)
    for definition in figures.FIGURES:
        result = figures.compute(FigureRef(definition.name), ctx)
        assert result.records is not None
        if definition.total is None:
            assert len(result.record_versions()) == result.value, definition.name
    landed = figures.compute(FigureRef("落地数"), ctx)
    assert landed.model_label == "cooperation.cooperation"
    assert all(v == "1" or v.isdigit() for _, v in landed.record_versions())


def test_the_year_before_and_the_growth(demo_db: Demo) -> None:
    ctx = _office_ctx(demo_db)
    assert figures.compute(FigureRef("合作意向数", ("上年",)), ctx).value == 0
    assert figures.compute(FigureRef("同比增长", ("合作意向数",)), ctx).value is None
    ctx_2022 = _office_ctx(demo_db, 2022)
    assert figures.compute(FigureRef("合作意向数", ("上年",)), ctx_2022).value == 120
    growth = figures.compute(FigureRef("同比增长", ("合作意向数",)), ctx_2022).value
    now = figures.compute(FigureRef("合作意向数"), ctx_2022).value
    assert isinstance(now, int)
    assert growth == (Decimal(now) - 120) / 120


def test_a_scope_unit_narrows_every_figure(demo_db: Demo) -> None:
    town = Unit.objects.get(name="开张镇")
    ctx = _office_ctx(demo_db, unit=town)
    assert figures.compute(FigureRef("合作意向数"), ctx).value == 9
    assert figures.compute(FigureRef("人才数"), ctx).value == 5


def test_a_scoped_user_reads_only_their_records(demo_db: Demo) -> None:
    ctx = Context(user=demo_db.users["town"], period=Period.of_year(2021))
    assert figures.compute(FigureRef("合作意向数"), ctx).value == 9


def test_unknown_names_and_parameters_are_refused(demo_db: Demo) -> None:
    ctx = _office_ctx(demo_db)
    with pytest.raises(FigureError, match="未知的指标“合作意向”"):
        figures.compute(FigureRef("合作意向"), ctx)
    with pytest.raises(FigureError, match="不接受参数"):
        figures.compute(FigureRef("基地数", ("上年",)), ctx)


def test_the_template_language_names_the_catalogue() -> None:
    catalogue = figures.template_catalogue()
    template = parse("[若 博士数>0]其中博士{博士数}名[/若]，{同比增长:签约数}", catalogue)
    assert [r.key for r in template.figures()] == ["博士数", "同比增长:签约数"]


def test_periods() -> None:
    year = Period.of_year(2021)
    assert (year.year, year.label, year.year_before(), year.previous()) == (
        2021,
        "2021年",
        Period.of_year(2020),
        Period.of_year(2020),
    )
    half = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    assert half.previous() == Period(dt.date(2020, 7, 1), dt.date(2020, 12, 31))
    assert half.label == "2021年1月1日至2021年6月30日"
