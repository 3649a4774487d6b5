"""The period list and the indicator-system list: filtered through the data scope, and
exported (XLSX and CSV) with exactly the filtered rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.assessment.conftest import County, FakeData
from tests.assessment.test_periods import annual, feed, make_system
from tests.lists import exported, midnight, queries
from yanzhen.assessment import services
from yanzhen.assessment.models import IndicatorSystem, ScoreItem
from yanzhen.audit.models import ExportLog

pytestmark = pytest.mark.django_db
D = dt.date
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def systems(place: County, fake: FakeData) -> dict[str, IndicatorSystem]:
    """Three systems; the county's has a published year, a quarter in review and a draft
    quarter of the next year, the office's unit system a draft year."""
    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    tested = make_system(place)
    with time_machine.travel(dt.datetime(2022, 1, 10, 9, 0, tzinfo=CST), tick=False):
        year = services.period_compute(actor=None, period=annual(tested))
        rows = [(item, Decimal(5)) for item in ScoreItem.objects.filter(score__period=year, code="review")]  # fmt: skip
        for item, value in rows:
            services.entry_create(actor=None, item=item, value=value, reason="考核组评分表")
        services.entries_review_all(actor=place.office_user, period=year)
        services.period_publish(actor=place.office_user, period=year)
    quarter = services.period_create(
        actor=None, system=tested, name="2021年第四季度", kind="quarter", start=D(2021, 10, 1), end=D(2021, 12, 31)
    )  # fmt: skip
    services.period_compute(actor=None, period=quarter)
    services.period_create(
        actor=None, system=tested, name="2022年第一季度", kind="quarter", start=D(2022, 1, 1), end=D(2022, 3, 31)
    )  # fmt: skip
    units = services.system_create(
        actor=None, owner_unit=place.office, name="部门考核", subject_kind="unit",
        unit_kinds=["department"], weighting="entropy",
    )  # fmt: skip
    annual(units)
    topsis = services.system_create(
        actor=None, owner_unit=place.county, name="基地综合评价", aggregation="topsis"
    )
    return {"tested": tested, "units": units, "topsis": topsis}


PERIOD_HEADER = ["考核期", "指标体系", "周期", "开始日期", "结束日期", "状态", "发布时间"]
P_2022Q1 = ["2022年第一季度", "测试体系", "季度", midnight(2022, 1, 1), midnight(2022, 3, 31), "待计算", None]  # fmt: skip
P_UNITS = ["2021年度", "部门考核", "年度", midnight(2021, 1, 1), midnight(2021, 12, 31), "待计算", None]  # fmt: skip
P_2021Q4 = ["2021年第四季度", "测试体系", "季度", midnight(2021, 10, 1), midnight(2021, 12, 31), "审核中", None]  # fmt: skip
P_2021 = ["2021年度", "测试体系", "年度", midnight(2021, 1, 1), midnight(2021, 12, 31), "已发布", "2022-01-10 09:00"]  # fmt: skip


def test_the_period_list_filters_and_exports_exactly_the_filtered_rows(
    place: County, systems: dict[str, IndicatorSystem]
) -> None:
    office = place.client(place.office_user)
    url = reverse("assessment:period_list")
    assert exported(office, url, {}) == [PERIOD_HEADER, P_2022Q1, P_UNITS, P_2021Q4, P_2021]
    tested = systems["tested"].pk
    assert exported(office, url, {"system": tested, "year": 2021}) == [PERIOD_HEADER, P_2021Q4, P_2021]  # fmt: skip
    assert exported(office, url, {"state": "published"}) == [PERIOD_HEADER, P_2021]
    assert exported(office, url, {"kind": "quarter"}) == [PERIOD_HEADER, P_2022Q1, P_2021Q4]
    assert exported(office, url, {"year": 2022}) == [PERIOD_HEADER, P_2022Q1]
    assert queries(office, url, {"year": 2022}) == queries(office, url, {})  # none per row
    html = office.get(url, {"kind": "quarter"}, headers={"HX-Request": "true"}).content.decode()
    assert html.strip().startswith('<div id="rows"')
    assert html.count("<tr><td>") == 2
    assert "共 2 条" in html
    assert "?kind=quarter&amp;export=xlsx" in html  # the export links keep the filter
    text = office.get(url, {"state": "review", "export": "csv"}).content.decode("utf-8-sig")
    assert text.strip().splitlines()[1:] == [
        ",".join(PERIOD_HEADER),
        "2021年第四季度,测试体系,季度,2021-10-01,2021-12-31,审核中,",
    ]
    log = ExportLog.objects.order_by("id").last()
    assert log is not None
    assert (log.title, log.filters, log.fmt, log.rows) == ("考核期", {"state": "review"}, "csv", 1)
    # A base's lead department sees the periods that score its bases, and exports only them.
    lead = place.client(place.lead_user)
    assert exported(lead, url, {}) == [PERIOD_HEADER, P_2021Q4, P_2021]
    assert exported(lead, url, {"system": systems["units"].pk}) == [PERIOD_HEADER, P_2021Q4, P_2021]  # fmt: skip


SYSTEM_HEADER = ["指标体系", "考核单位", "考核对象", "汇总方法", "权重方法", "维度数", "指标数", "考核期数"]  # fmt: skip
S_TOPSIS = ["基地综合评价", "测试县", "合作基地", "TOPSIS（逼近理想解排序）", "固定权重（按分值）", 0, 0, 0]  # fmt: skip
S_UNITS = ["部门考核", "合作办", "单位（部门、镇街等）", "加权求和", "熵权法", 0, 0, 1]
S_TESTED = ["测试体系", "测试县", "合作基地", "加权求和", "固定权重（按分值）", 2, 3, 3]


def test_the_system_list_filters_and_exports_exactly_the_filtered_rows(
    place: County, systems: dict[str, IndicatorSystem]
) -> None:
    office = place.client(place.office_user)
    url = reverse("assessment:system_list")
    assert exported(office, url, {}) == [SYSTEM_HEADER, S_TOPSIS, S_UNITS, S_TESTED]
    assert exported(office, url, {"subject_kind": "unit"}) == [SYSTEM_HEADER, S_UNITS]
    assert exported(office, url, {"q": "综合"}) == [SYSTEM_HEADER, S_TOPSIS]
    assert queries(office, url, {"q": "综合"}) == queries(office, url, {})  # none per row
    assert exported(office, url, {"aggregation": "weighted_sum", "weighting": "fixed"}) == [
        SYSTEM_HEADER,
        S_TESTED,
    ]
    html = office.get(url, {"subject_kind": "base"}).content.decode()
    rows = html.split('<div id="rows"')[1]
    assert "共 2 条" in rows
    assert ("基地综合评价" in rows, "测试体系" in rows, "部门考核" in rows) == (True, True, False)
    periods = reverse("assessment:period_list") + f"?system={systems['tested'].pk}"
    assert f'<a href="{periods}">3</a>' in rows  # the figure links to its periods
    assert "?subject_kind=base&amp;export=csv" in html  # the export links keep the filter
    text = office.get(url, {"q": "部门", "export": "csv"}).content.decode("utf-8-sig")
    assert text.strip().splitlines()[1:] == [
        ",".join(SYSTEM_HEADER),
        "部门考核,合作办,单位（部门、镇街等）,加权求和,熵权法,0,0,1",
    ]
    # The lead department sees the system that scores its bases, with the periods it sees.
    lead = place.client(place.lead_user)
    assert exported(lead, url, {}) == [SYSTEM_HEADER, [*S_TESTED[:-1], 2]]
    assert exported(lead, url, {"subject_kind": "unit"}) == [SYSTEM_HEADER]
