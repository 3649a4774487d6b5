"""Reads of the portal's negotiation threads (对接洽谈), through the scope:

* a participant of the portal — a university's or an expert's account, an enterprise's user —
  sees the threads of its own organisation (as the enterprise or as the university);
* an internal user sees the threads of the enterprises in its data scope (the county office:
  its county's enterprises; another county sees none)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import Filters, choice, text
from yanzhen.core.scope import scope_of
from yanzhen.portal.hall_selectors import is_participant
from yanzhen.portal.models import Thread, ThreadMessage, ThreadStatus

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

SOURCES = {"need": "技术难题", "result": "科技成果"}


@dataclass(frozen=True)
class ThreadFilters(Filters):
    q: str = text("搜索")
    status: str = choice("状态", ThreadStatus)
    source: str = choice("来源", SOURCES)


def thread_qs(user: AnyUser) -> QuerySet[Thread]:
    if not user.is_authenticated or user.unit_id is None:
        return Thread.objects.none()
    if is_participant(user):
        return Thread.objects.filter(
            Q(enterprise_id=user.unit_id) | Q(organisation_id=user.unit_id)
        )
    return Thread.objects.filter(scope_of(user).q("enterprise", None))


def thread_list(*, user: AnyUser, filters: ThreadFilters) -> QuerySet[Thread]:
    qs = thread_qs(user).select_related("enterprise", "organisation", "cooperation")
    if filters.q:
        qs = qs.filter(
            Q(subject__icontains=filters.q)
            | Q(enterprise__name__icontains=filters.q)
            | Q(organisation__name__icontains=filters.q)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source == "need":
        qs = qs.filter(need__isnull=False)
    elif filters.source == "result":
        qs = qs.filter(result__isnull=False)
    return qs.order_by("-last_message_at", "-id")


def thread_get(user: AnyUser, pk: int) -> Thread:
    qs = thread_qs(user).select_related(
        "enterprise", "organisation", "need", "result", "started_by", "cooperation"
    )
    return get_object_or_404(qs, pk=pk)


def thread_messages(thread: Thread) -> QuerySet[ThreadMessage]:
    return thread.messages.select_related("author", "side").order_by("created_at", "id")


def message_get(user: AnyUser, pk: int) -> ThreadMessage:
    """A message (for its attachment) of a thread the user sees."""
    qs = ThreadMessage.objects.filter(thread__in=thread_qs(user)).select_related("thread")
    return get_object_or_404(qs, pk=pk)
