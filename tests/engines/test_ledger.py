from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from yanzhen.engines import ledger
from yanzhen.engines.ledger import CoopFacts, Tally, funnel, lag_bucket, months_between, waiting
from yanzhen.engines.stages import Stage

D = dt.date


def facts(
    stage: Stage, *dates: dt.date | None, unis: tuple[str, ...] = ("1",), **kw: object
) -> CoopFacts:
    padded = [*dates, None, None, None][:3]
    values: dict[str, object] = {
        "channel": "invite",
        "kind": "research",
        "industry": "YJ-L01",
        "base": "7",
        "university_keys": unis,
        "dropped_date": None,
    }
    values.update(kw)
    return CoopFacts(stage, padded[0], padded[1], padded[2], **values)  # type: ignore[arg-type]


def test_a_landed_cooperation_counts_in_every_reached_stage() -> None:
    rows = Tally.of(
        [
            facts(
                Stage.LANDED,
                D(2021, 3, 1),
                D(2021, 5, 1),
                D(2021, 8, 1),
                planned_investment=Decimal("120.50"),
                landed_investment=Decimal("100"),
            ),
            facts(Stage.INTENTION, D(2021, 4, 1), unis=("1", "2")),
            facts(Stage.DROPPED, D(2020, 11, 1), D(2021, 1, 5), dropped_date=D(2021, 2, 1)),
        ]
    ).nonzero()
    assert funnel(rows, year=2021) == ledger.Funnel(
        intentions=2,
        agreements=2,
        landed=1,
        universities=2,
        dropped=1,
        planned_investment=Decimal(0) + Decimal("120.50"),
        landed_investment=Decimal(100),
    )
    assert funnel(rows, year=2020).intentions == 1
    assert funnel(rows, year=None).intentions == 3
    assert ledger.breakdown(rows, ledger.MONTH, year=2021) == {
        "2021-03": {"intention": 1},
        "2021-05": {"agreement": 1},
        "2021-08": {"landed": 1},
        "2021-04": {"intention": 1},
        "2021-01": {"agreement": 1},
    }
    assert ledger.breakdown(rows, ledger.SIGN_LAG, year=None) == {"31-90": {"agreement": 2}}
    assert ledger.breakdown(rows, ledger.CURRENT, year=None) == {
        "landed": {"landed": 1},
        "intention": {"intention": 1},
        "dropped": {"dropped": 1},
    }

    parts = ledger.by_dimension(rows)
    assert sorted(parts) == sorted({k[0] for k in rows})
    assert {k: v for part in parts.values() for k, v in part.items()} == rows
    assert all(k[0] == dimension for dimension, part in parts.items() for k in part)
    assert ledger.breakdown(parts[ledger.MONTH], ledger.MONTH, year=2021) == ledger.breakdown(
        rows, ledger.MONTH, year=2021
    )
    assert funnel(parts[ledger.UNIVERSITY], year=2021).universities == 2
    assert funnel(parts[ledger.TOTAL] | parts[ledger.DROPPED], year=2021) == replace(
        funnel(rows, year=2021), universities=0
    )


def test_open_stages_are_bucketed_by_whole_months_waited() -> None:
    rows = Tally.of(
        [
            facts(Stage.INTENTION, D(2021, 11, 30)),
            facts(Stage.INTENTION, D(2021, 9, 1)),
            facts(Stage.AGREEMENT, D(2020, 1, 1), D(2021, 1, 15)),
        ]
    ).nonzero()
    assert waiting(rows, today=D(2021, 12, 1)) == {
        "intention": {"0-1": 1, "2-3": 1, "4-6": 0, "7-": 0},
        "agreement": {"0-1": 0, "2-3": 0, "4-6": 0, "7-": 1},
    }
    assert months_between("2021-01", D(2021, 12, 31)) == 11


def test_lag_buckets_cover_every_day() -> None:
    assert [lag_bucket(d) for d in (0, 30, 31, 90, 91, 180, 181, 900)] == [
        "0-30",
        "0-30",
        "31-90",
        "31-90",
        "91-180",
        "91-180",
        "181-",
        "181-",
    ]


stages = st.sampled_from(list(Stage))
days = st.integers(min_value=0, max_value=400)


@st.composite
def any_facts(draw: st.DrawFn) -> CoopFacts:
    stage = draw(stages)
    start = D(2020, 1, 1) + dt.timedelta(days=draw(days))
    agreement = (
        start + dt.timedelta(days=draw(days)) if stage in (Stage.AGREEMENT, Stage.LANDED) else None
    )
    landed = (
        agreement + dt.timedelta(days=draw(days)) if stage == Stage.LANDED and agreement else None
    )
    return facts(
        stage,
        start,
        agreement,
        landed,
        unis=tuple(draw(st.lists(st.sampled_from("1234"), min_size=1, max_size=3))),
        channel=draw(st.sampled_from(["invite", "find"])),
        dropped_date=start + dt.timedelta(days=1) if stage == Stage.DROPPED else None,
        planned_investment=Decimal(draw(st.integers(0, 10_000))) / 100,
    )


@given(
    st.lists(
        st.tuples(st.one_of(st.none(), any_facts()), st.one_of(st.none(), any_facts())), max_size=12
    )
)
def test_deltas_keep_a_running_tally_equal_to_a_recount(
    changes: list[tuple[CoopFacts | None, CoopFacts | None]],
) -> None:
    """Applying each write's delta to a running tally gives the recount of the final rows."""
    current: dict[int, CoopFacts] = {}
    running = Tally()
    for index, (first, second) in enumerate(changes):
        for new in (first, second):
            old = current.get(index)
            for key, value in ledger.ledger_delta(old, new).items():
                running.rows[key].add(value)
            if new is None:
                current.pop(index, None)
            else:
                current[index] = new
    assert running.nonzero() == Tally.of(current.values()).nonzero()
