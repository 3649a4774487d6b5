"""Schemas of the portal's API (``/api/v1/portal/…``)."""

from __future__ import annotations

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
