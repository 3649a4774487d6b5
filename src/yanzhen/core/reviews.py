"""Reads of the review inbox (待审核): the open requests of every registered flow
(``core.workflow.Flow``) that a user may decide, filtered as the page and the API filter them.

An app puts its records into the inbox by registering a :class:`~yanzhen.core.workflow.Flow`
and calling :func:`~yanzhen.core.workflow.review_submit` when a record is submitted; the
inbox, the header's count, the bulk approval and ``/api/v1/reviews`` then serve it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yanzhen.core.filters import Filters, choice, day, flag, record
from yanzhen.core.models import ApprovalRequest, RequestState, Unit, User
from yanzhen.core.selectors import unit_qs
from yanzhen.core.workflow import flows, inbox_qs, overdue_q


def flow_choices(user: Any) -> list[tuple[str, str]]:
    return [(f.code, f.label) for f in flows() if user.has_perm(f.permission)]


def _units(user: Any) -> QuerySet[Unit]:
    return unit_qs(user)


@dataclass(frozen=True)
class ReviewFilters(Filters):
    kind: str = choice("类型", flow_choices)
    unit: int | None = record("报送单位", records=_units)
    since: dt.date | None = day("报送日期自")
    until: dt.date | None = day("报送日期至")
    overdue: bool = flag("已超期")


def review_list(*, user: User, filters: ReviewFilters) -> QuerySet[ApprovalRequest]:
    """The open requests ``user`` may decide, oldest first (who waits longest comes first)."""
    qs = inbox_qs(user).select_related("requester", "submitted_unit")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.unit is not None:
        qs = qs.filter(submitted_unit_id=filters.unit)
    if filters.overdue:
        qs = qs.filter(overdue_q())
    zone = timezone.get_current_timezone()
    if filters.since is not None:
        start = dt.datetime.combine(filters.since, dt.time.min, tzinfo=zone)
        qs = qs.filter(requested_at__gte=start)
    if filters.until is not None:
        end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        qs = qs.filter(requested_at__lt=end)
    return qs.order_by("requested_at", "id")


def review_get(user: User, pk: int) -> ApprovalRequest:
    """A request of a registered flow that ``user`` may decide or has a part in (its author,
    its decider, the reviewing or the submitting unit): 404 otherwise."""
    codes = [f.code for f in flows()]
    qs = ApprovalRequest.objects.filter(kind__in=codes).select_related(
        "requester", "approver", "submitted_unit", "reviewer_unit"
    )
    mine = qs.filter(requester=user) | qs.filter(approver=user)
    if user.unit_id is not None:
        mine = (
            mine
            | qs.filter(reviewer_unit_id=user.unit_id)
            | qs.filter(submitted_unit_id=user.unit_id)
        )
    return get_object_or_404(mine, pk=pk)


def is_open(approval: ApprovalRequest) -> bool:
    return approval.state == RequestState.REQUESTED
