"""Schemas of the placement API (the component names of the talent app's API, where they were
first published)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

from yanzhen.core.schemas import InputSchema
from yanzhen.talent.schemas import NamedRef


class ProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    owner_unit: NamedRef
    year: int
    hosts: int
    applicants: int


class AssignmentOut(Schema):
    code: str
    name: str
    host: NamedRef | None
    choice_rank: int | None
    manual: bool


class UnmatchedOut(Schema):
    code: str
    name: str
    reason: str
    details: list[str]


class AllocationOut(Schema):
    programme: NamedRef
    status: str
    stats: dict[str, Any]
    rank_distribution: dict[str, int]
    assignments: list[AssignmentOut]
    unmatched: list[UnmatchedOut]
    blocking_pairs: list[list[str]]
    not_mutual: list[str]


class AllocateIn(InputSchema):
    optimal: str = "applicant"


class InternshipOut(Schema):
    id: int
    name: str
    university: NamedRef | None
    host_unit: NamedRef
    programme_id: int | None
    start_date: dt.date
    end_date: dt.date | None
    status: str
