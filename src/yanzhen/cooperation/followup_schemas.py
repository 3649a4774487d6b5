"""Schemas of the landed projects' yearly follow-ups in the API."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema
from pydantic import Field

from yanzhen.cooperation.followup_selectors import FollowUpFilters
from yanzhen.core.filters import FilterQuery
from yanzhen.core.schemas import Id, InputSchema, PageQuery

Amount = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)


class FollowUpIn(InputSchema):
    cooperation_id: Id
    year: int = Field(ge=1990, le=2100)
    output_value: Decimal = Amount
    jobs: int = Field(default=0, ge=0, le=10_000_000)
    patents: int = Field(default=0, ge=0, le=1_000_000)
    tax: Decimal = Amount
    note: str = Field(default="", max_length=200)


class FollowUpOut(Schema):
    id: int
    cooperation_id: int
    cooperation_code: str
    cooperation: str
    owner_unit: str
    year: int
    output_value: Decimal
    jobs: int
    patents: int
    tax: Decimal
    note: str
    review: str
    review_label: str


class FollowUpQuery(FilterQuery[FollowUpFilters], PageQuery):
    """The list's filters (``year=2021``, ``review=accepted``…) and the page."""
