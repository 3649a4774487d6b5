"""API schemas of the talent app. Personal data (ID numbers, mobiles) is masked for users
without ``core.view_personal_data``."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from yanzhen.core.schemas import InputSchema


class NamedRef(Schema):
    id: int
    name: str


class TalentOut(Schema):
    id: int
    name: str
    gender: str
    id_number: str
    mobile: str
    talent_type: str
    talent_type_label: str
    degree: str
    university: NamedRef | None
    discipline: str | None
    employer: NamedRef
    channel: str
    campaign_id: int | None
    start_date: dt.date
    end_date: dt.date | None


class TalentIn(InputSchema):
    name: str
    gender: str = ""
    id_number: str = ""
    mobile: str = ""
    talent_type: str
    degree: str = ""
    university_id: int | None = None
    discipline: str | None = None
    employer_id: int
    channel: str
    campaign_id: int | None = None
    start_date: dt.date
    end_date: dt.date | None = None
    note: str = ""


class StatRowOut(Schema):
    label: str
    count: int
    query: dict[str, str]


class StatsOut(Schema):
    total: int
    doctors: int
    masters: int
    dimensions: dict[str, list[StatRowOut]]


class PositionOut(Schema):
    id: int
    title: str
    unit: NamedRef
    talent_type: str
    quota: int
    applicants: int
    onboarded: int


class CampaignOut(Schema):
    id: int
    name: str
    channel: str
    owner_unit: NamedRef
    year: int
    start_date: dt.date
    end_date: dt.date


class CampaignDetailOut(CampaignOut):
    target_universities: list[NamedRef]
    positions: list[PositionOut]


class StageEventOut(Schema):
    from_stage: str
    to_stage: str
    date: dt.date
    reason: str


class ApplicantStagesOut(Schema):
    id: int
    name: str
    stage: str
    stage_label: str
    next_stages: list[str]
    events: list[StageEventOut]
    talent_id: int | None


class StageIn(InputSchema):
    """Defaults everywhere: the service names each missing field in Chinese."""

    target: str = ""
    date: dt.date | None = None
    reason: str = ""
