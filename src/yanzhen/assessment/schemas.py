"""API schemas of the assessment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from yanzhen.core.schemas import InputSchema


class PeriodOut(Schema):
    id: int
    name: str
    system: str
    kind: str
    start: dt.date
    end: dt.date
    state: str
    published_at: dt.datetime | None


class RankingRowOut(Schema):
    score_id: int
    subject: str  # "base-12" / "unit-5"
    name: str
    rank: int
    total: Decimal
    subtotals: dict[str, Decimal]
    flagged: bool
    best_rank: int
    worst_rank: int


class PeriodDetailOut(PeriodOut):
    dimensions: list[str]
    weights: dict[str, float]
    problems: list[str]
    ranking: list[RankingRowOut]
    # Set when a score or an indicator's points fail their integrity check.
    integrity_warnings: list[str] = []


class ItemOut(Schema):
    code: str
    name: str
    dimension: str
    status: str
    computed: Decimal | None
    value: Decimal | None
    target: Decimal | None
    normalized: float
    points: Decimal
    error: str
    records_url: str


class ScoreOut(RankingRowOut):
    period_id: int
    items: list[ItemOut]
    integrity_warnings: list[str] = []


class AppealOut(Schema):
    id: int
    item_id: int
    score_id: int
    period_id: int
    indicator: str
    subject: str
    unit_id: int
    reason: str
    has_attachment: bool
    state: Literal["pending", "upheld", "changed"]
    original: Decimal | None
    value: Decimal | None
    decision_note: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    review_id: int | None
    # The score after the decision (a changed value recalculates the total and the rank).
    total: Decimal
    rank: int


class AppealDecisionIn(InputSchema):
    decision: Literal["uphold", "change"]
    comment: Annotated[str, Field(max_length=200)]
    value: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=4)] | None = None
