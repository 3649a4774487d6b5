"""The national summary reads its figures from the stored tally through the figures catalogue:
on a small ledger of two counties the figures equal those computed from the records, exactly;
a changed tally row changes the figure (it is read, not recounted); a reader who does not see
everything gets no national summary."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import docx
import pytest

from yanzhen.cooperation import services
from yanzhen.cooperation.models import CooperationTally
from yanzhen.core.errors import DomainError
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.reference.models import University
from yanzhen.reports import figures
from yanzhen.reports.figures import Context, Period
from yanzhen.reports.national import national_docx, national_summary

# (county, intention, agreement, landed, kind, landed investment, participants, universities)
LEDGER = [
    (0, dt.date(2021, 2, 1), None, None, "research", "0", 0, (0, 1)),
    (0, dt.date(2021, 3, 1), dt.date(2021, 6, 1), None, "research", "0", 0, (1,)),
    (0, dt.date(2020, 5, 1), dt.date(2021, 1, 5), dt.date(2021, 9, 1), "research", "1200.5", 0, (2,)),
    (1, dt.date(2021, 4, 1), dt.date(2021, 5, 1), dt.date(2021, 8, 1), "research", "300", 0, (0,)),
    (1, dt.date(2021, 7, 1), None, None, "international", "0", 34, (3,)),
    (1, dt.date(2020, 7, 1), None, None, "research", "0", 0, (3,)),
]  # fmt: skip
EXPECTED = {
    "合作高校数": 3,
    "合作意向数": 4,
    "签约数": 3,
    "落地数": 2,
    "落地投资": Decimal("1500.5"),
    "国际合作数": 1,
    "国际合作学生数": 34,
    "合作意向数:上年": 2,
    "签约数:上年": 0,
    "落地数:上年": 0,
    "合作高校数:上年": 2,
    "落地投资:上年": 0,
    "国际合作数:上年": 0,
    "同比增长:合作意向数": Decimal(1),
}


@pytest.fixture
def ledger(db: None) -> None:
    universities = [University.objects.create(name=f"汇总大学{i}") for i in range(4)]
    counties = [
        unit_create(actor=None, parent=None, name=f"汇总县{i}", kind=UnitKind.COUNTY)
        for i in range(2)
    ]
    for n, (c, intention, agreement, landed, kind, money, students, unis) in enumerate(LEDGER):
        stage = "landed" if landed else "agreement" if agreement else "intention"
        enterprise = unit_create(
            actor=None, parent=counties[c], name=f"企业{n}", kind=UnitKind.ENTERPRISE
        )
        services.cooperation_create(
            actor=None,
            data=services.CooperationData(
                title=f"合作{n}",
                owner_unit=counties[c],
                parties=[enterprise],
                universities=[universities[u] for u in unis],
                channel="find",
                kind=kind,
                intention_date=intention,
                stage=stage,
                agreement_date=agreement,
                landed_date=landed,
                landed_investment=Decimal(money),
                participants=students,
            ),
        )


@pytest.fixture
def national_user(make_user: Callable[..., User]) -> User:
    return make_user(None, DataScope.ALL, ["cooperation.view_cooperation"])


@pytest.mark.usefixtures("ledger")
def test_the_national_figures_come_from_the_tally_and_equal_the_records(
    national_user: User,
) -> None:
    summary = national_summary(user=national_user, year=2021)
    assert {k: r.value for k, r in summary.results.items()} == EXPECTED
    # The same figures computed from the records (the catalogue's records path).
    for key, result in summary.results.items():
        ref = figures.parse_key(key)
        if ref.name in figures.GROWTH:
            continue
        definition = figures.BY_NAME[ref.name]
        assert definition.tallied is not None, key
        records = result.records
        assert records is not None
        from_records = definition.total(records) if definition.total else records.count()
        assert from_records == result.value, key
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(national_docx(summary))).paragraphs)
    assert (
        "全年与3所高校（院所）达成合作意向4项，同比增长100.0%，签订合作协议3项，落地项目2个，"
        "落地投资1500.5万元。"
    ) in text
    assert "开展国际合作1项，34名学生参与。" in text


@pytest.mark.usefixtures("ledger")
def test_a_changed_tally_row_changes_the_figure(national_user: User) -> None:
    CooperationTally.objects.filter(dimension="total", stage="intention", year=2021).update(
        count=999
    )
    summary = national_summary(user=national_user, year=2021)
    assert summary.value("合作意向数") == 999
    ctx = Context(user=national_user, period=Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30)))
    # A period other than a calendar year is counted from the records.
    assert figures.compute(figures.parse_key("合作意向数"), ctx).value == 3


@pytest.mark.usefixtures("ledger")
def test_a_scoped_reader_gets_no_national_summary(make_user: Callable[..., User]) -> None:
    county = Unit.objects.get(name="汇总县0")
    user = make_user(county, DataScope.UNIT_AND_BELOW, ["cooperation.view_cooperation"])
    with pytest.raises(DomainError) as refused:
        national_summary(user=user, year=2021)
    assert refused.value.message == "全国汇总只能由可查看全部数据的用户生成"
    ctx = Context(user=user, period=Period.of_year(2021))
    assert figures.compute(figures.parse_key("合作意向数"), ctx).value == 2
