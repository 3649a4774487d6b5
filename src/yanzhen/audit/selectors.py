"""Reads of the audit logs, each through the data scope of the reader (the unit of the account
an entry is about; the logs of accounts without a unit only for a reader who sees
everything). A county's auditor does not read the entries of the province's accounts (of scope
everything), wherever their unit sits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from yanzhen.audit.models import AccessLog, ExportLog, SecurityEvent
from yanzhen.core.filters import Filters, choice, day, text
from yanzhen.core.models import User
from yanzhen.core.scope import everywhere_accounts, scope_of
from yanzhen.core.trail import EventKind


@dataclass(frozen=True)
class EventFilters(Filters):
    kind: str = choice("事件", EventKind)
    username: str = text("账户")
    start: dt.date | None = day("起始日期")
    end: dt.date | None = day("截止日期")


def event_list(*, user: User, filters: EventFilters) -> QuerySet[SecurityEvent]:
    """The security log, newest first."""
    scope = scope_of(user)
    qs = SecurityEvent.objects.filter(scope.q("unit_id_value", None))
    if not scope.everything:
        qs = qs.exclude(user_id_value__in=everywhere_accounts().values("pk"))
    if filters.start is not None:
        qs = qs.filter(created_at__date__gte=filters.start)
    if filters.end is not None:
        qs = qs.filter(created_at__date__lte=filters.end)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if username := filters.username.strip():
        qs = qs.filter(username=username)
    return qs.order_by("-id")


@dataclass(frozen=True)
class LogFilters(Filters):
    username: str = text("账户")


def access_list(*, user: User, filters: LogFilters) -> QuerySet[AccessLog]:
    """Who opened which personal data, newest first."""
    scope = scope_of(user)
    qs = AccessLog.objects.filter(scope.q("user__unit", None)).select_related("user")
    if not scope.everything:
        qs = qs.exclude(user__in=everywhere_accounts().values("pk"))
    if username := filters.username.strip():
        qs = qs.filter(user__username=username)
    return qs.order_by("-id")


def export_list(*, user: User, filters: LogFilters) -> QuerySet[ExportLog]:
    """Who exported which list, newest first."""
    scope = scope_of(user)
    qs = ExportLog.objects.filter(scope.q("user__unit", None)).select_related("user")
    if not scope.everything:
        qs = qs.exclude(user__in=everywhere_accounts().values("pk"))
    if username := filters.username.strip():
        qs = qs.filter(user__username=username)
    return qs.order_by("-id")
