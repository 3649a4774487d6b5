"""Schemas of the 云对接会's API (``/api/v1/portal/events…``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

PartyKindName = Literal["enterprise", "university", "expert"]


class MatchEventOut(Schema):
    id: int
    title: str
    organiser: str = Field(description="主办单位（县级合作办）")
    date: dt.date
    state: Literal["open", "published"] = Field(description="open 报名中，published 排期已发布")
    parties: int = Field(description="参会方数")
    requests: int = Field(description="约见请求数")
    meetings: int = Field(description="已安排的约见数")
    registered: bool = Field(description="当前用户（本机构）是否已报名")


class PartyOut(Schema):
    id: int
    event_id: int
    kind: PartyKindName
    name: str


class MeetingRequestIn(Schema):
    """A request for a 1:1 meeting with a party of the other side (the party in the path: an
    enterprise asks a university or an expert; a university or an expert asks an
    enterprise)."""

    model_config = ConfigDict(extra="forbid")

    topic: str = Field("", max_length=200, description="约见事由")


class MeetingRequestOut(Schema):
    id: int
    a_id: int = Field(description="企业（参会方编号）")
    a: str
    b_id: int = Field(description="高校或专家（参会方编号）")
    b: str
    requested_by_id: int
    mutual: bool = Field(description="双方互约")
    topic: str


class MeetingOut(Schema):
    id: int
    slot: str = Field(description="时段")
    room: str = Field(description="会议室")
    video_url: str = Field(description="视频会议链接")
    a_id: int
    a: str = Field(description="企业")
    b_id: int
    b: str = Field(description="高校或专家")


class ScheduleOut(Schema):
    """A party sees its own meetings once the schedule is published; the office sees every
    meeting, the unscheduled requests, the bound and whether the schedule is optimal."""

    event_id: int
    state: Literal["open", "published"]
    scheduled: bool = Field(description="是否已计算排期")
    meetings: list[MeetingOut]
    unscheduled: list[int] = Field(description="未安排的约见请求编号（合作办）")
    bound: int | None = Field(description="可安排场数上界（合作办）")
    optimal: bool | None = Field(description="排期是否最优（合作办）")


class PublishedScheduleOut(Schema):
    event_id: int
    state: Literal["open", "published"]
    notified: int = Field(description="收到通知的人数")
