"""API schemas of bases and cooperations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from yanzhen.core.schemas import InputSchema

StageName = Literal["intention", "agreement", "landed", "dropped"]
ChannelName = Literal["invite", "find", "attract", "gather", "other"]
KindName = Literal[
    "research", "transfer", "expert_team", "internship", "training", "talent", "secondment",
    "international",
]  # fmt: skip


class NamedRef(Schema):
    id: int
    name: str


class BaseOut(Schema):
    id: int
    code: str
    name: str
    county: NamedRef
    leader: NamedRef | None
    lead_department: NamedRef
    members: list[NamedRef]
    intentions: int
    agreements: int
    landed: int


class CooperationOut(Schema):
    id: int
    code: str
    title: str
    owner_unit: NamedRef
    parties: list[NamedRef]
    universities: list[NamedRef]
    base: NamedRef | None
    channel: ChannelName
    kind: KindName
    local_industry: str | None
    industry: str | None
    stage: StageName
    intention_date: dt.date
    agreement_date: dt.date | None
    landed_date: dt.date | None
    dropped_date: dt.date | None
    drop_reason: str
    planned_investment: Decimal
    landed_investment: Decimal
    participants: int
    online: bool
    description: str
    version: int
    # Set when the record's stage, dates or investments fail their integrity check.
    integrity_warnings: list[str] = Field(default_factory=list)


class CooperationIn(InputSchema):
    title: str = Field(min_length=1, max_length=200)
    owner_unit_id: int
    party_ids: list[int] = Field(min_length=1)
    university_ids: list[int] = Field(min_length=1)
    channel: ChannelName
    kind: KindName
    base_id: int | None = None
    local_industry: str | None = None
    industry: str | None = None
    stage: StageName = "intention"
    intention_date: dt.date
    agreement_date: dt.date | None = None
    landed_date: dt.date | None = None
    dropped_date: dt.date | None = None
    drop_reason: str = Field(default="", max_length=200)
    planned_investment: Decimal = Field(default=Decimal(0), max_digits=14, decimal_places=2)
    landed_investment: Decimal = Field(default=Decimal(0), max_digits=14, decimal_places=2)
    participants: int = Field(default=0, ge=0, le=1_000_000)
    online: bool = False
    description: str = Field(default="", max_length=5000)
    code: str = Field(default="", max_length=30)


class CooperationUpdateIn(CooperationIn):
    """An update names the version it was made on; an older one gets 409 Conflict."""

    version: int = Field(ge=1)


class MoveIn(InputSchema):
    target: StageName
    date: dt.date | None = None
    reason: str = Field(default="", max_length=200)
