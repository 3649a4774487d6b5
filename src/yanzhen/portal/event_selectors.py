"""Reads of the 云对接会, through the scope:

* a participant of the portal (a university's or an expert's account, an enterprise's user)
  sees the events open for registration — an enterprise those of its own county — and the
  events it is registered for;
* an internal user sees the events of the counties in its data scope, and of the county
  whose office is its unit (the organiser)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import Filters, choice, number, text
from yanzhen.core.models import CountySettings, Unit, UnitClosure, UnitKind
from yanzhen.core.scope import scope_of
from yanzhen.portal.event_models import (
    EventMeeting,
    EventParty,
    EventRoom,
    EventSlot,
    MatchEvent,
    MatchEventState,
    MatchPartyKind,
    MeetingRequest,
)
from yanzhen.portal.hall_selectors import is_participant
from yanzhen.portal.models import OutsideAccount

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


@dataclass(frozen=True)
class MatchEventFilters(Filters):
    q: str = text("搜索")
    state: str = choice("状态", MatchEventState)
    year: int | None = number("年度", low=1990, high=2100)


def own_parties_q(user: AnyUser, prefix: str = "") -> Q:
    """The parties that are ``user``'s: its expert registration (an expert's account), or its
    organisation's (a university's account, an enterprise's user)."""
    if not user.is_authenticated or user.unit_id is None:
        return Q(pk__in=[])
    kind = OutsideAccount.objects.filter(user_id=user.pk).values_list("kind", flat=True).first()
    if kind == MatchPartyKind.EXPERT:
        return Q(**{f"{prefix}account_id": user.pk})
    party_kind = kind or MatchPartyKind.ENTERPRISE
    return Q(
        **{f"{prefix}unit_id": user.unit_id, f"{prefix}kind": party_kind},
        **{f"{prefix}account__isnull": True},
    )


def event_qs(user: AnyUser) -> QuerySet[MatchEvent]:
    if not user.is_authenticated:
        return MatchEvent.objects.none()
    if is_participant(user):
        registered = EventParty.objects.filter(own_parties_q(user)).values("event_id")
        open_q = Q(state=MatchEventState.OPEN)
        outside = OutsideAccount.objects.filter(user_id=user.pk).exclude(
            kind=MatchPartyKind.ENTERPRISE
        )
        if not outside.exists():  # an enterprise: the events of its county
            counties = UnitClosure.objects.filter(
                descendant_id=user.unit_id, ancestor__kind=UnitKind.COUNTY
            ).values("ancestor_id")
            open_q &= Q(county_id__in=counties)
        return MatchEvent.objects.filter(open_q | Q(pk__in=registered))
    offices = CountySettings.objects.filter(office_id=user.unit_id).values("county_id")
    return MatchEvent.objects.filter(
        scope_of(user).q("county", None) | Q(county_id__in=offices) | Q(organiser_id=user.unit_id)
    )


def _count(model: type[EventParty | MeetingRequest | EventMeeting]) -> Coalesce:
    rows = (
        model.objects.filter(event_id=OuterRef("pk"))
        .order_by()
        .values("event_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_counts(qs: QuerySet[MatchEvent]) -> QuerySet[MatchEvent]:
    return qs.annotate(
        n_parties=_count(EventParty),
        n_requests=_count(MeetingRequest),
        n_meetings=_count(EventMeeting),
    )


def event_list(*, user: AnyUser, filters: MatchEventFilters) -> QuerySet[MatchEvent]:
    qs = with_counts(event_qs(user)).select_related("county", "organiser")
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.year is not None:
        qs = qs.filter(date__year=filters.year)
    return qs.order_by("-date", "-id")


def mark_registered(qs: QuerySet[MatchEvent], user: AnyUser) -> QuerySet[MatchEvent]:
    """Each event marked whether ``user`` (its organisation) registered for it."""
    mine = EventParty.objects.filter(own_parties_q(user), event_id=OuterRef("pk"))
    return qs.annotate(registered=Exists(mine))


def portal_event_list(*, user: AnyUser) -> QuerySet[MatchEvent]:
    """The events on the portal, each marked whether ``user`` registered for it."""
    qs = with_counts(event_qs(user)).select_related("organiser")
    return mark_registered(qs, user).order_by("-date", "-id")


def event_get(user: AnyUser, pk: int) -> MatchEvent:
    qs = event_qs(user).select_related("county", "organiser", "created_by")
    return get_object_or_404(qs, pk=pk)


def event_parties(event: MatchEvent) -> list[EventParty]:
    return list(
        event.parties.select_related("unit", "account")
        .prefetch_related("unavailable")
        .order_by("kind", "id")
    )


def event_slots(event: MatchEvent) -> QuerySet[EventSlot]:
    """An event's time slots in their order."""
    return event.slots.order_by("position")


def event_rooms(event: MatchEvent) -> QuerySet[EventRoom]:
    """An event's video rooms in their order."""
    return event.rooms.order_by("position")


def requests_in_order(event: MatchEvent) -> QuerySet[MeetingRequest]:
    """An event's meeting requests, the first made first."""
    return event.requests.order_by("pk")


def counterparts(event: MatchEvent, kinds: list[MatchPartyKind]) -> list[EventParty]:
    """The parties of ``kinds`` registered for an event (whom a party may ask to meet), with
    their units, by kind and registration."""
    return list(event.parties.filter(kind__in=kinds).select_related("unit").order_by("kind", "pk"))


def enterprises_to_register(event: MatchEvent) -> QuerySet[Unit]:
    """The enterprises of the event's county not yet registered by the office, by name."""
    in_county = UnitClosure.objects.filter(ancestor_id=event.county_id).values("descendant_id")
    units = Unit.objects.filter(pk__in=in_county, kind=UnitKind.ENTERPRISE).exclude(
        pk__in=event.parties.filter(account__isnull=True).values("unit_id")
    )
    return units.order_by("name")


def event_requests(event: MatchEvent) -> list[MeetingRequest]:
    return list(
        event.requests.select_related("a", "b", "requested_by", "meeting__slot", "meeting__room")
    )


def event_meetings(event: MatchEvent) -> list[EventMeeting]:
    return list(
        event.meetings.select_related("request__a", "request__b", "slot", "room").prefetch_related(
            Prefetch("cooperations")
        )
    )


def own_party(user: AnyUser, event: MatchEvent) -> EventParty | None:
    """``user``'s party in ``event`` (None when it has not registered)."""
    if not is_participant(user):
        return None
    return (
        event.parties.filter(own_parties_q(user))
        .prefetch_related("unavailable")
        .order_by("pk")
        .first()
    )


def party_get(event: MatchEvent, pk: int) -> EventParty:
    return get_object_or_404(event.parties.select_related("unit", "account"), pk=pk)


def meeting_qs(user: AnyUser) -> QuerySet[EventMeeting]:
    if not user.is_authenticated or is_participant(user):
        return EventMeeting.objects.none()
    return EventMeeting.objects.filter(event__in=event_qs(user))


def meeting_get(user: AnyUser, pk: int) -> EventMeeting:
    qs = meeting_qs(user).select_related(
        "event", "request__a", "request__b", "slot", "room", "minutes_by"
    )
    return get_object_or_404(qs, pk=pk)


def my_meetings(user: AnyUser, event: MatchEvent) -> list[EventMeeting]:
    """The meetings of ``user``'s party (once the schedule is published)."""
    if event.state != MatchEventState.PUBLISHED:
        return []
    own = own_parties_q(user, "request__a__") | own_parties_q(user, "request__b__")
    return list(
        event.meetings.filter(own).select_related("request__a", "request__b", "slot", "room")
    )


def my_requests(user: AnyUser, event: MatchEvent) -> list[MeetingRequest]:
    own = own_parties_q(user, "a__") | own_parties_q(user, "b__")
    return list(event.requests.filter(own).select_related("a", "b", "requested_by"))
