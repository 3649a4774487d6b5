"""API schemas of closed-loop supervision."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from yanzhen.core.schemas import InputSchema


class Ref(Schema):
    id: int
    name: str


class RoundOut(Schema):
    id: int
    title: str
    kind: str
    opened_on: dt.date
    deadline: dt.date
    state: str
    bases: int
    reported: int
    late: int
    missing: int


class ReportRowOut(Schema):
    base: Ref
    status: str  # on_time / late / missing
    submitted_at: dt.datetime | None
    progress: dict[str, int]  # milestone title → percent
    problems: list[Ref]


class RoundSummaryOut(RoundOut):
    rows: list[ReportRowOut]


class ProblemEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    note: str
    actor: str | None
    at: dt.datetime


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    source: str
    state: str
    state_label: str
    base: Ref | None
    raised_by_unit: Ref
    responsible_unit: Ref | None
    deadline: dt.date | None
    resolved_on: dt.date | None
    closed_on: dt.date | None
    overdue: bool
    escalation_level: int


class ProblemDetailOut(ProblemOut):
    events: list[ProblemEventOut]
    actions: list[str]


class ProblemIn(InputSchema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    base_id: int | None = None
    raised_by_unit_id: int
    responsible_unit_id: int | None = None
    deadline: dt.date | None = None


class ProblemMoveIn(InputSchema):
    """A move of a problem; the rules (and what is missing) are checked by the service."""

    action: str = Field(default="", max_length=20)
    note: str = Field(default="", max_length=5000)
    responsible_unit_id: int | None = None
    deadline: dt.date | None = None
