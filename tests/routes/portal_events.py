"""Access rules of the 云对接会 (portal app; kept apart from ``portal.py``): the parties' pages
under ``/portal/events/``, the county office's under ``/portal/matchmaking/`` and the API under
``/api/v1/portal/events``. An internal user of another county sees none of Yongji's events."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "portal:events": "list",
    "portal:event_page": "object:match_event",
    "portal:event_register": "object:match_event",
    "portal:event_request": "object:match_event",
    "portal:event_availability": "object:match_event",
    "portal:event_list": "list",
    "portal:event_new": "create",
    "portal:event_detail": "object:match_event",
    "portal:event_edit": "object:match_event",
    "portal:event_schedule": "object:match_event",
    "portal:event_publish": "object:match_event",
    "portal:event_party_new": "object:match_event",
    "portal:meeting_edit": "object:event_meeting",
    "api:list_events": "list",
    "api:register_for_event": "object:match_event",
    "api:request_meeting": "object:match_event:event_party",
    "api:get_event_schedule": "object:match_event",
    "api:schedule_event": "object:match_event",
    "api:publish_event_schedule": "object:match_event",
}


def object_ids() -> dict[str, int]:
    from yanzhen.portal.event_models import EventMeeting, EventParty, MatchEvent

    event = MatchEvent.objects.order_by("pk").first()
    meeting = EventMeeting.objects.order_by("pk").first()
    party = EventParty.objects.filter(kind="university").order_by("pk").first()
    assert event is not None
    assert meeting is not None
    assert party is not None
    return {"match_event": event.pk, "event_meeting": meeting.pk, "event_party": party.pk}
