"""The stage of a cooperation: intention → agreement → landed, or dropped with a reason.

Pure Python. ``validate_state`` checks a whole state (on create, edit and import);
``apply_move`` checks one move and returns the new state. Errors carry the field they are
about and a message in Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum


class Stage(StrEnum):
    INTENTION = "intention"
    AGREEMENT = "agreement"
    LANDED = "landed"
    DROPPED = "dropped"


STAGE_LABELS: dict[Stage, str] = {
    Stage.INTENTION: "意向",
    Stage.AGREEMENT: "签约",
    Stage.LANDED: "落地",
    Stage.DROPPED: "终止",
}
_ORDER = (Stage.INTENTION, Stage.AGREEMENT, Stage.LANDED)
_DATE_FIELD = {
    Stage.INTENTION: "intention_date",
    Stage.AGREEMENT: "agreement_date",
    Stage.LANDED: "landed_date",
    Stage.DROPPED: "dropped_date",
}


@dataclass(frozen=True)
class StageState:
    stage: Stage
    intention_date: dt.date | None
    agreement_date: dt.date | None = None
    landed_date: dt.date | None = None
    dropped_date: dt.date | None = None
    drop_reason: str = ""

    def reached(self) -> tuple[Stage, ...]:
        """The stages of the pipeline this cooperation has reached (dates set)."""
        dates = (self.intention_date, self.agreement_date, self.landed_date)
        return tuple(s for s, d in zip(_ORDER, dates, strict=True) if d is not None)

    def last_pipeline_stage(self) -> Stage:
        return self.reached()[-1] if self.reached() else Stage.INTENTION


@dataclass(frozen=True)
class StageProblem:
    field: str
    message: str


class StageError(Exception):
    def __init__(self, problems: list[StageProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def validate_state(state: StageState, *, today: dt.date) -> list[StageProblem]:
    """Everything wrong with ``state`` as a whole (empty when it is consistent)."""
    problems: list[StageProblem] = []
    if state.intention_date is None:
        problems.append(StageProblem("intention_date", "缺少意向日期"))
    pipeline = state.last_pipeline_stage() if state.stage == Stage.DROPPED else state.stage
    needs = _ORDER[: _ORDER.index(pipeline) + 1]
    for stage in _ORDER:
        value = getattr(state, _DATE_FIELD[stage])
        if stage in needs and value is None:
            problems.append(
                StageProblem(
                    _DATE_FIELD[stage],
                    f"阶段为“{STAGE_LABELS[state.stage]}”时必须填写{STAGE_LABELS[stage]}日期",
                )
            )
        if stage not in needs and value is not None:
            problems.append(
                StageProblem(
                    _DATE_FIELD[stage],
                    f"阶段为“{STAGE_LABELS[state.stage]}”时不应有{STAGE_LABELS[stage]}日期",
                )
            )
    if state.stage == Stage.DROPPED:
        if state.dropped_date is None:
            problems.append(StageProblem("dropped_date", "终止的合作必须填写终止日期"))
        if not state.drop_reason.strip():
            problems.append(StageProblem("drop_reason", "终止的合作必须填写终止原因"))
    elif state.dropped_date is not None or state.drop_reason.strip():
        problems.append(StageProblem("dropped_date", "未终止的合作不应有终止日期或原因"))
    problems.extend(_date_order(state, today=today))
    return problems


def _date_order(state: StageState, *, today: dt.date) -> list[StageProblem]:
    problems: list[StageProblem] = []
    previous: tuple[Stage, dt.date] | None = None
    for stage in (*_ORDER, Stage.DROPPED):
        value = getattr(state, _DATE_FIELD[stage])
        if value is None:
            continue
        if value > today:
            problems.append(
                StageProblem(_DATE_FIELD[stage], f"{STAGE_LABELS[stage]}日期不能晚于今天")
            )
        if previous is not None and value < previous[1]:
            problems.append(
                StageProblem(
                    _DATE_FIELD[stage],
                    f"{STAGE_LABELS[stage]}日期不能早于{STAGE_LABELS[previous[0]]}日期",
                )
            )
        previous = (stage, value)
    return problems


@dataclass(frozen=True)
class Move:
    target: Stage
    date: dt.date | None = None
    reason: str = ""


def is_backward(current: Stage, target: Stage) -> bool:
    return current in _ORDER and target in _ORDER and _ORDER.index(target) < _ORDER.index(current)


def apply_move(state: StageState, move: Move, *, today: dt.date) -> StageState:
    """The state after ``move``, or ``StageError`` naming why the move is refused.

    Forward moves go one step at a time and need the date of the new stage; going back
    needs a reason and clears the later dates; dropping needs a date and a reason;
    a dropped cooperation can only be restored to the stage it was dropped from.
    """
    current, target = state.stage, move.target
    reason = move.reason.strip()
    if target == current:
        raise StageError([StageProblem("target", f"合作已处于“{STAGE_LABELS[current]}”阶段")])

    if current == Stage.DROPPED:
        previous = state.last_pipeline_stage()
        if target != previous:
            raise StageError(
                [
                    StageProblem(
                        "target",
                        f"终止的合作只能恢复到终止前的“{STAGE_LABELS[previous]}”阶段",
                    )
                ]
            )
        if not reason:
            raise StageError([StageProblem("reason", "恢复终止的合作必须说明原因")])
        new = replace(state, stage=previous, dropped_date=None, drop_reason="")
    elif target == Stage.DROPPED:
        problems = []
        if move.date is None:
            problems.append(StageProblem("date", "请填写终止日期"))
        if not reason:
            problems.append(StageProblem("reason", "终止合作必须说明原因"))
        if problems:
            raise StageError(problems)
        new = replace(state, stage=Stage.DROPPED, dropped_date=move.date, drop_reason=reason)
    elif is_backward(current, target):
        if not reason:
            raise StageError(
                [
                    StageProblem(
                        "reason",
                        f"从“{STAGE_LABELS[current]}”退回“{STAGE_LABELS[target]}”必须说明原因",
                    )
                ]
            )
        cleared = {
            _DATE_FIELD[s]: None
            for s in _ORDER[_ORDER.index(target) + 1 : _ORDER.index(current) + 1]
        }
        new = replace(state, stage=target, **cleared)  # type: ignore[arg-type]
    else:
        if _ORDER.index(target) - _ORDER.index(current) > 1:
            raise StageError(
                [
                    StageProblem(
                        "target",
                        "未签约的合作不能直接落地：请先登记签约（协议）日期",
                    )
                ]
            )
        if move.date is None:
            raise StageError([StageProblem("date", f"请填写{STAGE_LABELS[target]}日期")])
        new = replace(state, stage=target, **{_DATE_FIELD[target]: move.date})  # type: ignore[arg-type]

    problems = validate_state(new, today=today)
    if problems:
        # Report the problems against the move's own date field where that is what is wrong.
        raise StageError(
            [
                StageProblem("date" if p.field == _DATE_FIELD[target] else p.field, p.message)
                for p in problems
            ]
        )
    return new


def derive_stage(
    *,
    agreement_date: dt.date | None,
    landed_date: dt.date | None,
    dropped_date: dt.date | None = None,
) -> Stage:
    """The stage of a ledger row that has no stage column, from the dates it has: 终止 with a
    drop date, else 落地 with a landing date, 签约 with an agreement date, else 意向."""
    if dropped_date is not None:
        return Stage.DROPPED
    if landed_date is not None:
        return Stage.LANDED
    if agreement_date is not None:
        return Stage.AGREEMENT
    return Stage.INTENTION
