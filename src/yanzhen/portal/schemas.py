"""Schemas of the portal's API (``/api/v1/portal/…``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class RegistrationIn(Schema):
    """A registration: the fields of its kind (企业: credit_code; 高校: school_code; 专家:
    university_id), the others left out or empty."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["enterprise", "university", "expert"] = Field(
        description="注册类型：enterprise 企业、university 高校（科研院所）、expert 专家"
    )
    name: str = Field(max_length=100, description="名称（专家：本人姓名）")
    credit_code: str = Field("", max_length=18, description="统一社会信用代码（企业）")
    school_code: str = Field("", max_length=10, description="学校标识码（高校）")
    university_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="所在高校（科研院所）的编号（专家）"
    )
    contact: str = Field(max_length=50, description="联系人")
    mobile: str = Field(max_length=11, description="手机号")
    email: str = Field(max_length=100, description="电子邮箱（审核通过后的账户名）")


class RegistrationOut(Schema):
    id: int
    state: Literal["pending", "approved", "returned"]


# The halls ------------------------------------------------------------------------------------


class TechNeedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=100, description="难题名称")
    problem: str = Field(max_length=5000, description="问题描述")
    field: str = Field(max_length=50, description="技术领域")
    discipline_code: str = Field("", max_length=6, description="学科代码（一级学科或门类）")
    budget_min: int = Field(ge=0, le=1_000_000, description="预算下限（万元）")
    budget_max: int = Field(ge=0, le=1_000_000, description="预算上限（万元）")
    deadline: dt.date = Field(description="解决期限")
    ip_expectation: Literal["enterprise", "shared", "provider", "negotiable"] = Field(
        description="知识产权预期"
    )


class TechNeedOut(Schema):
    id: int
    enterprise: str
    title: str
    problem: str
    field: str
    discipline: str
    budget_min: int
    budget_max: int
    deadline: dt.date
    ip_expectation: str
    state: Literal["draft", "published", "hidden"]
    published_at: dt.datetime | None


class ResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=100, description="成果名称")
    kind: Literal["patent", "know_how"] = Field(description="成果类型：专利、技术秘密")
    summary: str = Field(max_length=5000, description="成果简介")
    discipline_code: str = Field("", max_length=6, description="学科代码")
    maturity: Literal["lab", "pilot", "industrial"] = Field(description="成熟度")
    transfer_mode: Literal["licence", "assignment", "joint"] = Field(
        description="转化方式：许可、转让、合作开发"
    )
    price_min: int = Field(ge=0, le=1_000_000, description="价格下限（万元）")
    price_max: int = Field(ge=0, le=1_000_000, description="价格上限（万元）")


class ResultOut(Schema):
    id: int
    organisation: str
    title: str
    kind: str
    summary: str
    discipline: str
    maturity: str
    transfer_mode: str
    price_min: int
    price_max: int
    state: Literal["draft", "published", "hidden"]
    published_at: dt.datetime | None


class HallExpertOut(Schema):
    id: int
    name: str
    university: str
    department: str
    title: str
    disciplines: list[str]
    directions: str


class PublishedOut(Schema):
    id: int
    state: Literal["draft", "published", "hidden"]
    notified: int


# 揭榜挂帅 --------------------------------------------------------------------------------------

CallStateName = Literal[
    "draft", "review", "published", "closed", "evaluation", "publicity", "awarded", "agreement"
]


class CriterionOut(Schema):
    name: str = Field(description="评审指标")
    max: int = Field(description="满分")


class CallOut(Schema):
    id: int
    title: str = Field(description="榜单名称")
    enterprise: str = Field(description="出题企业")
    field: str = Field(description="技术领域")
    budget_min: int = Field(description="悬赏金额下限（万元）")
    budget_max: int = Field(description="悬赏金额上限（万元）")
    deadline: dt.date = Field(description="揭榜截止日期")
    state: CallStateName = Field(description="状态")
    state_label: str = Field(description="状态（中文）")
    published_at: dt.datetime | None = Field(description="发布时间")
    winner: str = Field(description="揭榜（拟揭榜）单位，未定为空")
    url: str = Field(description="榜单页面的路径")


class CallApplicationOut(Schema):
    id: int
    call_id: int
    organisation: str = Field(description="申报单位")
    applicant: str = Field(description="申报人")
    proposal: str = Field(description="揭榜方案")
    has_attachment: bool = Field(description="是否有附件")
    submitted_at: dt.datetime = Field(description="申报时间")


class CallDetailOut(CallOut):
    problem: str = Field(description="攻关任务")
    criteria: list[CriterionOut] = Field(description="评审指标")
    publicity_start: dt.datetime | None = Field(description="公示开始")
    publicity_end: dt.datetime | None = Field(description="公示结束（不含）")
    accepting: bool = Field(description="是否在揭榜期内")
    applications: list[CallApplicationOut] = Field(
        description="读者可见的申报（本机构的；出题企业和评审专家为该榜单的）"
    )


# Matchmaking: negotiation threads -------------------------------------------------------------

ThreadStatusName = Literal["open", "agreed", "closed"]


class ThreadIn(Schema):
    """An expression of interest: exactly one of ``need_id`` (a university's or an expert's
    account, in a published technology need) and ``result_id`` (an enterprise, in a published
    result), with the first message."""

    model_config = ConfigDict(extra="forbid")

    need_id: int | None = Field(None, ge=1, le=2**63 - 1, description="技术难题编号")
    result_id: int | None = Field(None, ge=1, le=2**63 - 1, description="科技成果编号")
    message: str = Field(min_length=1, max_length=5000, description="意向留言")


class MessageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=5000, description="留言")


class ThreadStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: ThreadStatusName = Field(
        description="状态：open 洽谈中、agreed 已达成意向、closed 已关闭"
    )


class ThreadCooperationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200, description="合作名称")
    kind: Literal[
        "research",
        "transfer",
        "expert_team",
        "internship",
        "training",
        "talent",
        "secondment",
        "international",
    ] = Field(description="合作类型")
    intention_date: dt.date = Field(description="意向日期")


class ThreadOut(Schema):
    id: int
    subject: str
    source: Literal["need", "result"]
    need_id: int | None
    result_id: int | None
    enterprise: str
    organisation: str
    status: ThreadStatusName
    status_label: str
    messages_count: int
    created_at: dt.datetime
    last_message_at: dt.datetime
    cooperation_code: str | None = Field(description="转入合作台账的合作编号")


class MessageOut(Schema):
    id: int
    side: str
    author: str
    body: str
    attachment_name: str
    attachment_url: str | None = Field(description="附件下载地址（平台内路径）")
    created_at: dt.datetime


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]
