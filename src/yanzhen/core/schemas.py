"""API schemas shared by the apps, and those of units."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, TypeVar

from django.http import Http404
from ninja import Schema
from pydantic import ConfigDict, Field

T = TypeVar("T")

MAX_ID = 2**63 - 1  # the largest key a database holds


def path_id(value: int) -> int:
    """An id from an API path: one no key can hold is simply not found (404)."""
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


def as_id(text: object) -> int | None:
    """A record key typed in a query string, or None for anything no database could hold."""
    value = str(text or "")
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID:
        return int(value)
    return None


# Bounded query values: anything outside is a 422 naming the parameter, never a crash.
Year = Annotated[int, Field(ge=1990, le=2100)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PageNo = Annotated[int, Field(ge=1, le=1_000_000)]
PageSize = Annotated[int, Field(ge=1, le=200)]
Top = Annotated[int, Field(ge=1, le=100)]
# ID numbers and mobiles are masked in every API response unless asked for with
# ``reveal=pii`` by a user with the permission (logged, within the export quota).
Reveal = Annotated[
    Literal["", "pii"],
    Field(
        description="pii：返回完整身份证号和手机号（需“查看完整个人信息”权限；记入访问日志，"
        "与导出合计每小时最多20次）；默认掩码"
    ),
]


class PageQuery(Schema):
    """The page of a list endpoint (``query: Query[...]`` with a list's filters)."""

    page: PageNo = 1
    page_size: PageSize = 50


class InputSchema(Schema):
    """Every request body: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ErrorOut(Schema):
    error: ErrorBody


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    code: str
    local_industry: str | None
    is_leading: bool
    cooperation_count: int


class ReviewOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    url: str
    submitted_by: str
    submitted_unit: str | None
    submitted_at: dt.datetime
    deadline: dt.date | None
    state: str
    overdue: bool = False  # open and past its deadline


class DecisionIn(InputSchema):
    decision: Literal["approve", "return"] = Field(description="approve：通过；return：退回")
    comment: str = Field(default="", max_length=200, description="审核意见（退回时必填）")
    fields: dict[str, Annotated[str, Field(max_length=200)]] = Field(
        default_factory=dict, max_length=50, description="逐项意见：字段 → 意见"
    )
