"""API schemas of the demand map."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from yanzhen.core.schemas import InputSchema

DegreeName = Literal["doctor", "master", "bachelor", "associate", "any"]
UrgencyName = Literal["urgent", "normal", "reserve"]
StatusName = Literal["open", "met", "closed"]


class Ref(Schema):
    id: int
    name: str


class DisciplineRef(Schema):
    code: str
    name: str


class NeedOut(Schema):
    id: int
    code: str
    enterprise: Ref
    local_industry: str | None
    position: str
    disciplines: list[DisciplineRef]
    majors: str
    degree: DegreeName
    number: int
    urgency: UrgencyName
    salary_min: Decimal | None
    salary_max: Decimal | None
    deadline: dt.date | None
    description: str
    preferred_universities: list[Ref]
    campaign: Ref | None
    status: StatusName
    source: str
    reported_on: dt.date
    version: int


class NeedIn(InputSchema):
    enterprise_id: int
    position: str = Field(min_length=1, max_length=100)
    discipline_codes: list[str] = Field(default_factory=list)
    majors: str = Field(default="", max_length=200)
    degree: DegreeName
    number: int = Field(default=1, ge=1, le=100_000)
    urgency: UrgencyName = "normal"
    salary_min: Decimal | None = Field(default=None, max_digits=7, decimal_places=1)
    salary_max: Decimal | None = Field(default=None, max_digits=7, decimal_places=1)
    deadline: dt.date | None = None
    description: str = Field(default="", max_length=5000)
    preferred_university_ids: list[int] = Field(default_factory=list)
    campaign_id: int | None = None
    status: StatusName = "open"


class NeedPatch(InputSchema):
    """A partial update: only the fields given change."""

    position: str | None = Field(default=None, min_length=1, max_length=100)
    discipline_codes: list[str] | None = None
    majors: str | None = Field(default=None, max_length=200)
    degree: DegreeName | None = None
    number: int | None = Field(default=None, ge=1, le=100_000)
    urgency: UrgencyName | None = None
    salary_min: Decimal | None = Field(default=None, max_digits=7, decimal_places=1)
    salary_max: Decimal | None = Field(default=None, max_digits=7, decimal_places=1)
    deadline: dt.date | None = None
    description: str | None = Field(default=None, max_length=5000)
    status: StatusName | None = None
    version: int | None = Field(default=None, description="the version read; a newer one is a 409")


class PartOut(Schema):
    name: str
    label: str
    value: float
    weight: float
    points: float
    reason: str


class RecommendationOut(Schema):
    rank: int
    kind: Literal["university", "expert"]
    university: str
    university_id: int
    discipline: str
    discipline_code: str
    discipline_name: str
    expert: str | None
    expert_id: int | None
    title: str | None
    score: float
    reasons: list[str]
    parts: list[PartOut]
    matched_terms: list[str]
    grade: str | None
    dfc_2022: bool
    province: str
    distance_km: float | None
    cooperation_count: int
    other_disciplines: list[str]


class RecommendationsOut(Schema):
    universities: list[RecommendationOut]
    experts: list[RecommendationOut]
    terms: list[str]
    message: str


class CellOut(Schema):
    needs: int
    people: int
    urgent: int


class MapDisciplineOut(Schema):
    code: str
    name: str
    total: CellOut
    by_degree: dict[str, CellOut]


class MapIndustryOut(Schema):
    code: str
    name: str
    group: str
    total: CellOut
    disciplines: list[MapDisciplineOut]


class CampaignOut(Schema):
    id: int
    title: str
    owner_unit: Ref
    opens_on: dt.date
    deadline: dt.date
    closed: bool
    targets: int
    answered: int


class TargetOut(Schema):
    enterprise: Ref
    answered_at: dt.datetime | None
    no_needs: bool
    needs: int
    reminders: int
    reminded_at: dt.datetime | None


class CampaignDetailOut(CampaignOut):
    target_list: list[TargetOut]


class ReminderOut(Schema):
    units: list[Ref]
    notifications: int


class ExpertOut(Schema):
    id: int
    name: str
    university: Ref
    department: str
    title: str
    honours: str
    disciplines: list[DisciplineRef]
    directions: str
    project_notes: str


class ExpertIn(InputSchema):
    name: str = Field(min_length=1, max_length=50)
    university_id: int
    department: str = Field(default="", max_length=100)
    title: str = Field(default="", max_length=50)
    honours: str = Field(default="", max_length=100)
    discipline_codes: list[str] = Field(default_factory=list)
    directions: str = Field(min_length=1, max_length=5000)
    project_ids: list[int] = Field(default_factory=list)
    project_notes: str = Field(default="", max_length=5000)
    owner_unit_id: int | None = None


class FitOut(Schema):
    need: NeedOut
    recommendation: RecommendationOut
