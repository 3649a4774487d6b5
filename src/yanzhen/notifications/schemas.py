"""API schemas of the notifications."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from yanzhen.core.schemas import Id, InputSchema


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    read: bool
    created_at: dt.datetime


class MarkReadIn(InputSchema):
    """``ids`` of one's notifications to mark read, or ``all``: every unread one."""

    ids: Annotated[list[Id], Field(max_length=1000)] = []
    all: bool = False


class MarkReadOut(Schema):
    marked: int
    unread: int
