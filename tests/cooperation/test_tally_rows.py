"""The fast sum of contributions (``tally.tally_rows``) equals the engine's ``Tally``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from yanzhen.cooperation.tally import tally_rows
from yanzhen.engines.ledger import CoopFacts, Tally
from yanzhen.engines.stages import Stage

DAY = dt.timedelta(days=1)


@st.composite
def cooperations(draw: st.DrawFn) -> CoopFacts:
    intention = draw(st.dates(dt.date(2019, 1, 1), dt.date(2022, 12, 31)))
    reached = draw(st.integers(1, 3))
    agreement = intention + draw(st.integers(0, 400)) * DAY if reached >= 2 else None
    landed = agreement + draw(st.integers(0, 400)) * DAY if agreement and reached == 3 else None
    dropped = None
    stage = (Stage.INTENTION, Stage.AGREEMENT, Stage.LANDED)[reached - 1]
    if reached < 3 and draw(st.booleans()):
        stage, dropped = Stage.DROPPED, (agreement or intention) + DAY
    cents = st.integers(-(10**9), 10**9).map(lambda n: Decimal(n) / 100)
    return CoopFacts(
        stage=stage,
        intention_date=intention,
        agreement_date=agreement,
        landed_date=landed,
        dropped_date=dropped,
        channel=draw(st.sampled_from(["invite", "find", "gather"])),
        kind=draw(st.sampled_from(["research", "international"])),
        industry=draw(st.sampled_from(["", "YJ-L01", "YJ-A02"])),
        base=draw(st.sampled_from(["", "1", "12"])),
        university_keys=tuple(draw(st.lists(st.sampled_from(["1", "2", "30"]), max_size=3))),
        planned_investment=draw(cents),
        landed_investment=draw(cents),
        participants=draw(st.integers(0, 60)),
    )


@given(st.lists(cooperations(), max_size=30))
def test_it_sums_exactly_like_the_engine(facts: list[CoopFacts]) -> None:
    expected = Tally.of(facts).nonzero()
    rows = tally_rows(facts)
    assert rows == expected
    assert list(rows) == list(expected)


def test_rows_that_cancel_out_are_left_out() -> None:
    one = CoopFacts(
        stage=Stage.INTENTION,
        intention_date=dt.date(2021, 3, 1),
        agreement_date=None,
        landed_date=None,
        dropped_date=None,
        channel="invite",
        kind="research",
        industry="",
        base="",
        university_keys=("1",),
    )
    assert tally_rows([]) == {}
    assert tally_rows([one])[("total", "", Stage.INTENTION, 2021)].count == 1
