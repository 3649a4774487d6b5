"""API schemas of bases and cooperations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from yanzhen.core.schemas import Id, InputSchema

StageName = Literal["intention", "agreement", "landed", "dropped"]
ChannelName = Literal["invite", "find", "attract", "gather", "other"]
KindName = Literal[
    "research", "transfer", "expert_team", "internship", "training", "talent", "secondment",
    "international",
]  # fmt: skip


class NamedRef(Schema):
    id: int
    name: str


class BaseTypeRef(Schema):
    """A kind of base of the province's catalogue."""

    code: str
    name: str


class BaseOut(Schema):
    id: int
    code: str
    name: str
    county: NamedRef
    leader: NamedRef | None
    lead_department: NamedRef
    base_type: BaseTypeRef | None
    members: list[NamedRef]
    intentions: int
    agreements: int
    landed: int


class PendingOut(Schema):
    stage: StageName
    date: dt.date | None
    review_id: int


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
    # The approved stage (None while a lower unit's new entry waits for review).
    stage: StageName | None
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
    # What waits for review (a reported move, or the new entry's stage), else None.
    pending: PendingOut | None = None
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


ActivityKindName = Literal[
    "standing_committee", "delegation", "promotion", "visit", "online", "other"
]
ActivityStatusName = Literal["planned", "held", "cancelled"]
ActivityTimingName = Literal["upcoming", "overdue", "held", "cancelled"]


class ParticipantOut(Schema):
    name: str
    unit: NamedRef | None
    organization: str
    title: str


class ActivityOut(Schema):
    id: int
    kind: ActivityKindName
    title: str
    status: ActivityStatusName
    timing: ActivityTimingName
    date: dt.date
    planned_date: dt.date | None
    organizer_unit: NamedRef
    leader: NamedRef | None
    location: str
    summary: str
    minutes: str
    universities: list[NamedRef]
    cooperations: list[NamedRef]
    participants: list[ParticipantOut]
    attachments: list[NamedRef]
    version: int


class ParticipantIn(InputSchema):
    name: str = Field(min_length=1, max_length=50)
    unit_id: Id | None = None
    organization: str = Field(default="", max_length=100)
    title: str = Field(default="", max_length=100)


class ActivityIn(InputSchema):
    kind: ActivityKindName
    title: str = Field(min_length=1, max_length=200)
    status: ActivityStatusName = "held"
    date: dt.date
    organizer_unit_id: Id
    leader_id: Id | None = None
    location: str = Field(default="", max_length=100)
    summary: str = Field(default="", max_length=5000)
    minutes: str = Field(default="", max_length=50_000)
    university_ids: list[Id] = Field(default_factory=list, max_length=500)
    cooperation_ids: list[Id] = Field(default_factory=list, max_length=500)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=500)


class ActivityUpdateIn(ActivityIn):
    """An update names the version it was made on; an older one gets 409 Conflict."""

    version: int = Field(ge=1)


class SecondmentOut(Schema):
    id: int
    person: NamedRef
    university: NamedRef
    host_unit: NamedRef
    post: str
    start_date: dt.date
    end_date: dt.date | None
    cooperation: NamedRef | None
    note: str
    version: int


class SecondmentIn(InputSchema):
    person_id: Id
    university_id: Id
    host_unit_id: Id
    post: str = Field(min_length=1, max_length=100)
    start_date: dt.date
    end_date: dt.date | None = None
    cooperation_id: Id | None = None
    note: str = Field(default="", max_length=200)


class SecondmentUpdateIn(SecondmentIn):
    """An update names the version it was made on; an older one gets 409 Conflict."""

    version: int = Field(ge=1)
