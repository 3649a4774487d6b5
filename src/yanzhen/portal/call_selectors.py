"""Reads of the 揭榜挂帅 calls, through the scope:

* a participant of the portal (a university's or an expert's account, staff sub-accounts, an
  enterprise's user) sees the calls once published, and its own enterprise's drafts;
* an internal user sees the calls of the counties in its data scope (every state);
* applications: an organisation sees its own; the call's enterprise and its evaluators see
  those of the call; an internal user those of the calls in its scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import Filters, choice, text
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.scope import scope_of
from yanzhen.portal.call_services import MANAGE_PERMISSION
from yanzhen.portal.hall_selectors import HallQuery, is_participant, rank
from yanzhen.portal.models import Call, CallApplication, CallObjection, CallState

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

PUBLIC_STATES = (
    CallState.PUBLISHED,
    CallState.CLOSED,
    CallState.EVALUATION,
    CallState.PUBLICITY,
    CallState.AWARDED,
    CallState.AGREEMENT,
)


def call_qs(user: AnyUser) -> QuerySet[Call]:
    if not user.is_authenticated:
        return Call.objects.none()
    if is_participant(user):
        return Call.objects.filter(Q(state__in=PUBLIC_STATES) | Q(enterprise_id=user.unit_id))
    return Call.objects.filter(scope_of(user).q("county", None))


@dataclass(frozen=True)
class CallFilters(Filters):
    q: str = text("搜索")
    state: str = choice("状态", CallState)


def call_list(*, user: AnyUser, filters: CallFilters) -> QuerySet[Call]:
    qs = call_qs(user).select_related("enterprise", "winner__organisation")
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(field__icontains=filters.q)
            | Q(enterprise__name__icontains=filters.q)
        )
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.annotate(n_applications=Count("applications")).order_by("-created_at", "-id")


def call_text(call: Call) -> str:
    return f"{call.title} {call.field} {call.problem} {call.enterprise.name}"


def hall_calls(*, user: AnyUser, query: HallQuery) -> list[Call]:
    """The calls the 需求大厅 shows: the published ones (and after), newest first, by the
    hall's search (BM25) and technology field (calls have no discipline)."""
    if query.discipline:
        return []
    qs = call_qs(user).filter(state__in=PUBLIC_STATES).select_related("enterprise")
    if query.field:
        qs = qs.filter(field=query.field)
    rows = list(qs.order_by("-published_at", "-id"))
    if query.q:
        return rank(rows, [call_text(c) for c in rows], query.q)
    return rows


def call_get(user: AnyUser, pk: int) -> Call:
    qs = call_qs(user).select_related(
        "county", "enterprise", "winner__organisation", "cooperation", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def application_qs(user: AnyUser) -> QuerySet[CallApplication]:
    if not user.is_authenticated:
        return CallApplication.objects.none()
    if is_participant(user):
        return CallApplication.objects.filter(
            Q(organisation_id=user.unit_id)
            | Q(call__enterprise_id=user.unit_id)
            | Q(call__evaluators=user.pk)
        ).distinct()
    return CallApplication.objects.filter(scope_of(user).q("call__county", None))


def call_applications(user: AnyUser, call: Call) -> QuerySet[CallApplication]:
    return (
        application_qs(user)
        .filter(call=call)
        .select_related("organisation", "applicant")
        .prefetch_related("scores__evaluator")
        .order_by("submitted_at", "id")
    )


def application_get(user: AnyUser, pk: int) -> CallApplication:
    qs = application_qs(user).select_related("call", "call__enterprise", "organisation")
    return get_object_or_404(qs, pk=pk)


@dataclass(frozen=True)
class ApplicationFilters(Filters):
    q: str = text("搜索")
    state: str = choice("榜单状态", CallState)


def my_applications(*, user: AnyUser, filters: ApplicationFilters) -> QuerySet[CallApplication]:
    """The applications of the user's own organisation."""
    if not user.is_authenticated or user.unit_id is None:
        return CallApplication.objects.none()
    qs = CallApplication.objects.filter(organisation_id=user.unit_id).select_related(
        "call", "call__enterprise", "call__winner", "applicant"
    )
    if filters.q:
        qs = qs.filter(Q(call__title__icontains=filters.q) | Q(proposal__icontains=filters.q))
    if filters.state:
        qs = qs.filter(call__state=filters.state)
    return qs.order_by("-submitted_at", "-id")


def call_objections(user: AnyUser, call: Call) -> QuerySet[CallObjection]:
    """The objections to ``call`` the user reads: all for an internal user of its scope,
    the user's own otherwise."""
    qs = CallObjection.objects.filter(call=call).select_related("author", "answered_by")
    if is_participant(user):
        qs = qs.filter(author_id=user.pk)
    return qs.order_by("filed_at", "id")


def enterprise_choices(user: User) -> QuerySet[Unit]:
    """The enterprises a call may be published for: the user's own enterprise, or (for the
    office) the active enterprises in the user's scope by name; none otherwise."""
    if user.unit is not None and user.unit.kind == UnitKind.ENTERPRISE:
        return Unit.objects.filter(pk=user.unit.pk)
    if not user.has_perm(MANAGE_PERMISSION):
        return Unit.objects.none()
    return Unit.objects.filter(
        scope_of(user).q("pk", None), kind=UnitKind.ENTERPRISE, is_active=True
    ).order_by("name", "pk")


def open_objections(call: Call) -> list[CallObjection]:
    """The objections to a call not answered yet, the first raised first."""
    return list(call.objections.filter(answered_at__isnull=True).order_by("pk"))
