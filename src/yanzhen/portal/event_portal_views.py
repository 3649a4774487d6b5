"""The 云对接会 on the portal (``/portal/events/``), for enterprises, universities and
experts: the events they may register for and those they registered for, an event's page
(agenda, registration, the slots they cannot attend, the parties of the other side to request
a meeting with, their requests and, once published, their schedule with the video links)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yanzhen.core.errors import DomainError
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.portal import event_selectors as selectors
from yanzhen.portal import event_services as services
from yanzhen.portal.event_forms import AvailabilityForm, RequestForm
from yanzhen.portal.event_models import MatchEvent, MatchEventState, MatchPartyKind
from yanzhen.portal.hall_selectors import is_participant


def events(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.portal_event_list(user=request.user)
    return render(request, "portal/events.html", {"events": rows})


def event_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    event = selectors.event_get(user, pk)
    party = selectors.own_party(user, event)
    is_open = event.state == MatchEventState.OPEN
    context: dict[str, object] = {
        "event": event,
        "agenda": list(event.agenda.all()),
        "party": party,
        "open": is_open,
        "may_register": party is None and is_open and is_participant(user),
    }
    if party is not None:
        requests = selectors.my_requests(user, event)
        asked = {r.b_id if r.a_id == party.pk else r.a_id for r in requests}
        wanted = (
            [MatchPartyKind.UNIVERSITY, MatchPartyKind.EXPERT]
            if party.kind == MatchPartyKind.ENTERPRISE
            else [MatchPartyKind.ENTERPRISE]
        )
        context |= {
            "requests": requests,
            "others": selectors.counterparts(event, wanted),
            "asked": asked,
            "availability": AvailabilityForm(
                initial={"unavailable": [s.pk for s in party.unavailable.all()]},
                slots=selectors.event_slots(event),
            ),
            "meetings": selectors.my_meetings(user, event),
        }
    return render(request, "portal/event_page.html", context)


def _act(
    request: AuthenticatedHttpRequest, event: MatchEvent, action: Callable[[], object], done: str
) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("portal:event_page", pk=event.pk)


@require_POST
def event_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, pk)
    return _act(
        request,
        event,
        lambda: services.party_register(actor=request.user, event=event),
        "已报名，可以向对方提出约见",
    )


@require_POST
def event_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, pk)
    party = selectors.own_party(request.user, event)
    if party is None:
        raise PermissionDenied("请先报名本次云对接会")
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "约见对象不存在")
        return redirect("portal:event_page", pk=event.pk)
    other = selectors.party_get(event, form.cleaned_data["party"])
    return _act(
        request,
        event,
        lambda: services.meeting_request_create(
            actor=request.user, by=party, other=other, topic=form.cleaned_data["topic"]
        ),
        f"已向{other.name}提出约见",
    )


@require_POST
def event_availability(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, pk)
    party = selectors.own_party(request.user, event)
    if party is None:
        raise PermissionDenied("请先报名本次云对接会")
    form = AvailabilityForm(request.POST, slots=selectors.event_slots(event))
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for es in form.errors.values() for e in es))
        return redirect("portal:event_page", pk=event.pk)
    return _act(
        request,
        event,
        lambda: services.party_availability(
            actor=request.user, party=party, unavailable=form.cleaned_data["unavailable"]
        ),
        "已保存不能参会的时段",
    )
