from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yanzhen.engines.stages import Move, Stage, StageError, StageState, apply_move, validate_state

TODAY = dt.date(2021, 12, 31)
D = dt.date


def intention() -> StageState:
    return StageState(Stage.INTENTION, D(2021, 3, 1))


def signed() -> StageState:
    return StageState(Stage.AGREEMENT, D(2021, 3, 1), D(2021, 5, 1))


def landed() -> StageState:
    return StageState(Stage.LANDED, D(2021, 3, 1), D(2021, 5, 1), D(2021, 8, 1))


def messages(state: StageState, move: Move) -> list[tuple[str, str]]:
    with pytest.raises(StageError) as caught:
        apply_move(state, move, today=TODAY)
    return [(p.field, p.message) for p in caught.value.problems]


def test_it_signs_and_lands_one_step_at_a_time() -> None:
    state = apply_move(intention(), Move(Stage.AGREEMENT, D(2021, 4, 1)), today=TODAY)
    assert state == StageState(Stage.AGREEMENT, D(2021, 3, 1), D(2021, 4, 1))
    state = apply_move(state, Move(Stage.LANDED, D(2021, 6, 1)), today=TODAY)
    assert state == StageState(Stage.LANDED, D(2021, 3, 1), D(2021, 4, 1), D(2021, 6, 1))


def test_it_refuses_landing_without_an_agreement() -> None:
    assert messages(intention(), Move(Stage.LANDED, D(2021, 6, 1))) == [
        ("target", "未签约的合作不能直接落地：请先登记签约（协议）日期")
    ]


def test_it_refuses_the_current_stage() -> None:
    assert messages(signed(), Move(Stage.AGREEMENT, D(2021, 6, 1))) == [
        ("target", "合作已处于“签约”阶段")
    ]


def test_it_needs_the_date_of_the_new_stage() -> None:
    assert messages(intention(), Move(Stage.AGREEMENT)) == [("date", "请填写签约日期")]
    assert messages(signed(), Move(Stage.LANDED)) == [("date", "请填写落地日期")]


def test_it_refuses_dates_out_of_order() -> None:
    assert messages(intention(), Move(Stage.AGREEMENT, D(2021, 2, 1))) == [
        ("date", "签约日期不能早于意向日期")
    ]
    assert messages(signed(), Move(Stage.LANDED, D(2021, 4, 30))) == [
        ("date", "落地日期不能早于签约日期")
    ]


def test_it_refuses_future_dates() -> None:
    assert messages(intention(), Move(Stage.AGREEMENT, D(2022, 1, 1))) == [
        ("date", "签约日期不能晚于今天")
    ]


def test_going_back_needs_a_reason_and_clears_later_dates() -> None:
    assert messages(landed(), Move(Stage.AGREEMENT)) == [
        ("reason", "从“落地”退回“签约”必须说明原因")
    ]
    back = apply_move(landed(), Move(Stage.INTENTION, reason="协议作废"), today=TODAY)
    assert back == StageState(Stage.INTENTION, D(2021, 3, 1))


def test_dropping_needs_a_date_and_a_reason() -> None:
    assert messages(signed(), Move(Stage.DROPPED)) == [
        ("date", "请填写终止日期"),
        ("reason", "终止合作必须说明原因"),
    ]
    assert messages(signed(), Move(Stage.DROPPED, D(2021, 4, 1), "企业转产")) == [
        ("date", "终止日期不能早于签约日期")
    ]
    dropped = apply_move(signed(), Move(Stage.DROPPED, D(2021, 6, 1), "企业转产"), today=TODAY)
    assert dropped.stage == Stage.DROPPED
    assert dropped.reached() == (Stage.INTENTION, Stage.AGREEMENT)


def test_a_dropped_cooperation_only_returns_to_its_stage_with_a_reason() -> None:
    dropped = StageState(
        Stage.DROPPED, D(2021, 3, 1), D(2021, 5, 1), dropped_date=D(2021, 6, 1), drop_reason="x"
    )
    assert messages(dropped, Move(Stage.LANDED, D(2021, 7, 1))) == [
        ("target", "终止的合作只能恢复到终止前的“签约”阶段")
    ]
    assert messages(dropped, Move(Stage.AGREEMENT)) == [("reason", "恢复终止的合作必须说明原因")]
    assert apply_move(dropped, Move(Stage.AGREEMENT, reason="重新启动"), today=TODAY) == signed()


def test_validate_state_lists_every_problem() -> None:
    state = StageState(Stage.LANDED, D(2021, 3, 1), None, D(2021, 2, 1), drop_reason="x")
    assert [(p.field, p.message) for p in validate_state(state, today=TODAY)] == [
        ("agreement_date", "阶段为“落地”时必须填写签约日期"),
        ("dropped_date", "未终止的合作不应有终止日期或原因"),
        ("landed_date", "落地日期不能早于意向日期"),
    ]
    state = StageState(Stage.INTENTION, D(2021, 3, 1), D(2021, 4, 1))
    assert [(p.field, p.message) for p in validate_state(state, today=TODAY)] == [
        ("agreement_date", "阶段为“意向”时不应有签约日期"),
    ]


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2022, 6, 30))


@given(
    start=dates,
    moves=st.lists(
        st.tuples(
            st.sampled_from(list(Stage)), st.one_of(st.none(), dates), st.sampled_from(["", "理由"])
        ),
        max_size=8,
    ),
)
def test_every_accepted_move_leaves_a_valid_state(
    start: dt.date, moves: list[tuple[Stage, dt.date | None, str]]
) -> None:
    state = StageState(Stage.INTENTION, min(start, TODAY))
    for target, date, reason in moves:
        try:
            state = apply_move(state, Move(target, date, reason), today=TODAY)
        except StageError:
            continue
        assert validate_state(state, today=TODAY) == []
