"""API schemas shared by the apps, and those of units."""

from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Schema
from pydantic import ConfigDict

T = TypeVar("T")


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
