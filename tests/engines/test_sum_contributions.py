"""The sum of contributions (``ledger.sum_contributions``, what the dashboards and the recount
use) equals the same figures written out plainly, one cooperation at a time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from yanzhen.engines import ledger
from yanzhen.engines.ledger import CoopFacts, Tally, TallyKey, TallyValue, sum_contributions
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
    if draw(st.integers(0, 9)) == 0:
        # records the stage rules would refuse (a stage without its date, dropped without a
        # date): the sum still counts exactly what each one contributes
        stage = draw(st.sampled_from(list(Stage)))
        dropped = draw(st.none() | st.just(intention + DAY))
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


def plain(facts: CoopFacts) -> list[tuple[TallyKey, TallyValue]]:
    """The contributions of one cooperation, written out as the module's docstring says."""
    out: list[tuple[TallyKey, TallyValue]] = []
    value = TallyValue(1, facts.planned_investment, facts.landed_investment, facts.participants)
    one = TallyValue(1)
    dates = (facts.intention_date, facts.agreement_date, facts.landed_date)
    for stage, date in zip(ledger.PIPELINE, dates, strict=True):
        if date is None:
            continue
        out += [
            (("total", "", stage, date.year), value),
            (("channel", facts.channel, stage, date.year), one),
            (("kind", facts.kind, stage, date.year), value),
            (("industry", facts.industry, stage, date.year), one),
            (("base", facts.base, stage, date.year), one),
            (("month", f"{date.year:04d}-{date.month:02d}", stage, date.year), one),
        ]
        out += [(("university", u, stage, date.year), one) for u in set(facts.university_keys)]
    if facts.agreement_date is not None:
        days = (facts.agreement_date - facts.intention_date).days
        bucket = (
            "0-30" if days <= 30 else "31-90" if days <= 90 else "91-180" if days <= 180 else "181-"
        )
        out.append((("sign_lag", bucket, Stage.AGREEMENT, facts.agreement_date.year), one))
    out.append((("current", facts.stage, facts.stage, 0), one))
    if facts.stage == Stage.DROPPED and facts.dropped_date is not None:
        out.append((("dropped", "", Stage.DROPPED, facts.dropped_date.year), one))
    since = {Stage.INTENTION: facts.intention_date, Stage.AGREEMENT: facts.agreement_date}
    if (date := since.get(facts.stage)) is not None:
        out.append((("open_since", f"{date.year:04d}-{date.month:02d}", facts.stage, 0), one))
    return out


def plain_sum(facts: list[CoopFacts]) -> dict[TallyKey, TallyValue]:
    expected: dict[TallyKey, TallyValue] = {}
    for one in facts:
        for key, value in plain(one):
            expected.setdefault(key, TallyValue()).add(value)
    return expected


@given(st.lists(cooperations(), max_size=30))
def test_it_sums_exactly_the_plain_contributions(facts: list[CoopFacts]) -> None:
    expected = plain_sum(facts)
    assert sum_contributions(facts) == expected
    assert Tally.of(facts).nonzero() == expected


@settings(max_examples=5, deadline=None)
@given(st.lists(cooperations(), min_size=1, max_size=5))
def test_more_cooperations_than_one_chunk_sum_alike(facts: list[CoopFacts]) -> None:
    """25,000 cooperations: summed in chunks of 10,000 and the chunks' rows merged."""
    many = (facts * (25_000 // len(facts) + 1))[:25_000]
    assert sum_contributions(many) == plain_sum(many)


def test_an_intention_counts_once_in_its_year() -> None:
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
    assert sum_contributions([]) == {}
    assert sum_contributions([one]) == {
        ("total", "", Stage.INTENTION, 2021): TallyValue(1),
        ("kind", "research", Stage.INTENTION, 2021): TallyValue(1),
        ("channel", "invite", Stage.INTENTION, 2021): TallyValue(1),
        ("industry", "", Stage.INTENTION, 2021): TallyValue(1),
        ("base", "", Stage.INTENTION, 2021): TallyValue(1),
        ("month", "2021-03", Stage.INTENTION, 2021): TallyValue(1),
        ("university", "1", Stage.INTENTION, 2021): TallyValue(1),
        ("current", Stage.INTENTION, Stage.INTENTION, 0): TallyValue(1),
        ("open_since", "2021-03", Stage.INTENTION, 0): TallyValue(1),
    }
