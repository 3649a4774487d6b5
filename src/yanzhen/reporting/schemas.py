"""API schemas of the reporting tasks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from yanzhen.core.schemas import Id, InputSchema

Key = Annotated[str, Field(min_length=1, max_length=40)]
Number = (
    Annotated[float, Field(ge=-1e12, le=1e12, allow_inf_nan=False)]
    | Annotated[str, Field(max_length=20)]
)


class ColumnIn(InputSchema):
    key: Key
    label: Annotated[str, Field(min_length=1, max_length=50)]
    type: Literal["integer", "decimal", "text", "date", "choice"]
    required: bool = False
    min: Number | None = None
    max: Number | None = None
    unit: Annotated[str, Field(max_length=10)] = ""
    help: Annotated[str, Field(max_length=200)] = ""
    choices: Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=50)] = []


class FieldIn(ColumnIn):
    type: Literal[  # type: ignore[assignment]
        "integer", "decimal", "text", "date", "choice", "multichoice", "file", "table"
    ]
    prefill: Literal[
        "", "cooperation.intentions", "cooperation.agreements", "cooperation.landed"
    ] = ""
    columns: Annotated[list[ColumnIn], Field(max_length=20)] = []


class TargetsIn(InputSchema):
    unit_kinds: list[Literal["town", "street", "department", "zone", "village"]] = []
    unit_ids: Annotated[list[Id], Field(max_length=1000)] = []


class TaskIn(InputSchema):
    title: Annotated[str, Field(min_length=1, max_length=100)]
    description: Annotated[str, Field(max_length=2000)] = ""
    deadline: dt.date
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    recurrence: Literal["none", "monthly", "quarterly"] = "none"
    fields: Annotated[list[FieldIn], Field(min_length=1, max_length=100)]
    targets: TargetsIn


class TaskCreatedOut(Schema):
    id: int
    state: str
    submissions: int


class UnitRef(Schema):
    id: int
    name: str


class SubmissionOut(Schema):
    id: int
    unit: UnitRef
    state: str
    state_label: str
    values: dict[str, Any]
    comment: str
    field_comments: dict[str, str]
    submitted_at: dt.datetime | None
    late: bool


class ValuesIn(InputSchema):
    values: dict[Annotated[str, Field(max_length=40)], Any]


class ReviewIn(InputSchema):
    decision: Literal["approve", "return"]
    comment: Annotated[str, Field(max_length=500)] = ""
    fields: dict[Annotated[str, Field(max_length=40)], Annotated[str, Field(max_length=200)]] = {}


class RollupRowOut(Schema):
    unit: UnitRef
    state: str
    late: bool
    values: dict[str, Any]


class RollupOut(Schema):
    totals: dict[str, Any]
    subtotals: dict[str, dict[str, Any]]
    rows: list[RollupRowOut]
    missing: list[UnitRef]
