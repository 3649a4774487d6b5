"""API of the 云对接会 (added to the portal's router): the events (``GET
/api/v1/portal/events``), registering (``POST …/{id}/registrations``), requesting a meeting
(``POST …/{id}/parties/{party}/requests``), the schedule (``GET …/{id}/schedule``: one's own meetings with
their video links; the office's whole schedule), and for the office computing (``POST
…/{id}/schedule``) and publishing it (``POST …/{id}/publish``)."""

from __future__ import annotations

from ninja import Query, Router, Status

from yanzhen.core.api import ERRORS
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.schemas import Page, PageQuery
from yanzhen.portal import event_selectors as selectors
from yanzhen.portal import event_services as services
from yanzhen.portal.event_models import EventMeeting, MatchEvent, MatchEventState, MeetingRequest
from yanzhen.portal.event_schemas import (
    MatchEventOut,
    MeetingOut,
    MeetingRequestIn,
    MeetingRequestOut,
    PartyOut,
    PublishedScheduleOut,
    ScheduleOut,
)
from yanzhen.portal.hall_selectors import is_participant

router = Router(tags=["云对接会"])


class EventPageQuery(FilterQuery[selectors.MatchEventFilters], PageQuery):
    pass


def event_out(event: MatchEvent) -> MatchEventOut:
    return MatchEventOut(
        id=event.pk,
        title=event.title,
        organiser=event.organiser.name,
        date=event.date,
        state=event.state,  # type: ignore[arg-type]
        parties=event.n_parties,  # type: ignore[attr-defined]
        requests=event.n_requests,  # type: ignore[attr-defined]
        meetings=event.n_meetings if event.state == MatchEventState.PUBLISHED else 0,  # type: ignore[attr-defined]
        registered=event.registered,  # type: ignore[attr-defined]
    )


@router.get("/portal/events", response={200: Page[MatchEventOut], **ERRORS})
def list_events(
    request: AuthenticatedHttpRequest, query: Query[EventPageQuery]
) -> dict[str, object]:
    qs = selectors.mark_registered(
        selectors.event_list(user=request.user, filters=query.filters()), request.user
    )
    start = (query.page - 1) * query.page_size
    items: list[object] = [event_out(e) for e in qs[start : start + query.page_size]]
    return {"count": qs.count(), "page": query.page, "page_size": query.page_size, "items": items}


@router.post("/portal/events/{event_id}/registrations", response={201: PartyOut, **ERRORS})
def register_for_event(request: AuthenticatedHttpRequest, event_id: int) -> Status[PartyOut]:
    event = selectors.event_get(request.user, event_id)
    party = services.party_register(actor=request.user, event=event)
    return Status(
        201,
        PartyOut(id=party.pk, event_id=event.pk, kind=party.kind, name=party.name),  # type: ignore[arg-type]
    )


def request_out(r: MeetingRequest) -> MeetingRequestOut:
    return MeetingRequestOut(
        id=r.pk,
        a_id=r.a_id,
        a=r.a.name,
        b_id=r.b_id,
        b=r.b.name,
        requested_by_id=r.requested_by_id,
        mutual=r.mutual,
        topic=r.topic,
    )


@router.post(
    "/portal/events/{event_id}/parties/{party_id}/requests",
    response={201: MeetingRequestOut, **ERRORS},
)
def request_meeting(
    request: AuthenticatedHttpRequest, event_id: int, party_id: int, payload: MeetingRequestIn
) -> Status[MeetingRequestOut]:
    """Request a 1:1 meeting with the party ``party_id`` of the other side."""
    event = selectors.event_get(request.user, event_id)
    own = selectors.own_party(request.user, event)
    if own is None:
        raise DomainError(
            "not_registered", "请先报名本次云对接会", {"__all__": "请先报名"}, status=409
        )
    other = selectors.party_get(event, party_id)
    made = services.meeting_request_create(
        actor=request.user, by=own, other=other, topic=payload.topic
    )
    return Status(201, request_out(made))


def meeting_out(m: EventMeeting) -> MeetingOut:
    return MeetingOut(
        id=m.pk,
        slot=m.slot.label,
        room=m.room.name,
        video_url=m.room.video_url,
        a_id=m.request.a_id,
        a=m.request.a.name,
        b_id=m.request.b_id,
        b=m.request.b.name,
    )


def _schedule(request: AuthenticatedHttpRequest, event: MatchEvent) -> ScheduleOut:
    state = event.state
    if is_participant(request.user):
        return ScheduleOut(
            event_id=event.pk,
            state=state,  # type: ignore[arg-type]
            scheduled=state == MatchEventState.PUBLISHED,
            meetings=[meeting_out(m) for m in selectors.my_meetings(request.user, event)],
            unscheduled=[],
            bound=None,
            optimal=None,
        )
    services.require_office(request.user, event)
    meetings = selectors.event_meetings(event)
    held = {m.request_id for m in meetings}
    return ScheduleOut(
        event_id=event.pk,
        state=state,  # type: ignore[arg-type]
        scheduled=event.scheduled_at is not None,
        meetings=[meeting_out(m) for m in meetings],
        unscheduled=[r.pk for r in selectors.requests_in_order(event) if r.pk not in held],
        bound=event.bound,
        optimal=event.optimal,
    )


@router.get("/portal/events/{event_id}/schedule", response={200: ScheduleOut, **ERRORS})
def get_event_schedule(request: AuthenticatedHttpRequest, event_id: int) -> ScheduleOut:
    return _schedule(request, selectors.event_get(request.user, event_id))


@router.post("/portal/events/{event_id}/schedule", response={200: ScheduleOut, **ERRORS})
def schedule_event(request: AuthenticatedHttpRequest, event_id: int) -> ScheduleOut:
    event = selectors.event_get(request.user, event_id)
    if is_participant(request.user):
        services.require_office(request.user, event)
    services.event_schedule(actor=request.user, event=event)
    return _schedule(request, selectors.event_get(request.user, event_id))


@router.post("/portal/events/{event_id}/publish", response={200: PublishedScheduleOut, **ERRORS})
def publish_event_schedule(
    request: AuthenticatedHttpRequest, event_id: int
) -> PublishedScheduleOut:
    event = selectors.event_get(request.user, event_id)
    told = services.event_publish(actor=request.user, event=event)
    return PublishedScheduleOut(event_id=event.pk, state="published", notified=told)
