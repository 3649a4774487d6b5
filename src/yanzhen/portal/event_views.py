"""The county office's pages of the 云对接会: the list (filtered, exported, scoped), a new
event, its page (agenda, rooms, parties, requests and the schedule as a slot × room grid),
computing and publishing the schedule, registering an enterprise of the county, and the
minutes of a meeting with the cooperations that came out of it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import Action, Col, TablePage, form_view, render_table, require_perm, url
from yanzhen.portal import event_selectors as selectors
from yanzhen.portal import event_services as services
from yanzhen.portal.event_forms import MatchEventForm, MinutesForm, PartyForm
from yanzhen.portal.event_models import EventMeeting, MatchEvent, MatchEventState
from yanzhen.portal.hall_selectors import is_participant

VIEW_PERMISSION = "portal.view_matchevent"
STATE_TAGS: dict[str, str] = {MatchEventState.OPEN: "warn", MatchEventState.PUBLISHED: "ok"}


def _office_page(request: AuthenticatedHttpRequest) -> None:
    """The office's pages are internal: an outside party or an enterprise is refused."""
    require_perm(request, VIEW_PERMISSION)
    if is_participant(request.user):
        raise PermissionDenied


def optimal_text(event: MatchEvent) -> str:
    if event.scheduled_at is None:
        return "未排期"
    return "是" if event.optimal else "否"


def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_page(request)
    form = filter_form(selectors.MatchEventFilters)(request.GET or None)
    columns: list[Col[MatchEvent]] = [
        Col("名称", lambda e: e.title, lambda e: url("portal:event_detail", e.pk), width=30),
        Col("举办日期", lambda e: e.date, kind="date", width=12, sort="date"),
        Col("主办单位", lambda e: e.organiser.name, width=20),
        Col("状态", lambda e: e.get_state_display(), tag=lambda e: STATE_TAGS[e.state], width=10),
        Col("参会方", lambda e: e.n_parties, kind="int", width=8),  # type: ignore[attr-defined]
        Col("约见请求", lambda e: e.n_requests, kind="int", width=8),  # type: ignore[attr-defined]
        Col("已排约见", lambda e: e.n_meetings, kind="int", width=8),  # type: ignore[attr-defined]
        Col("排期最优", optimal_text, width=8),
    ]
    actions = []
    if request.user.has_perm(services.CREATE_PERMISSION):
        actions.append(Action("新建云对接会", url("portal:event_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title="云对接会",
            columns=columns,
            rows=selectors.event_list(user=request.user, filters=form.filters()),
            form=form,
            actions=actions,
            note="企业、高校和专家在对接门户报名并提出一对一约见；合作办计算排期（每个参会方每个"
            "时段至多一场，每个时段的场数不超过会议室数），发布后双方收到约见时间和视频会议链接。",
        ),
    )


def _plan_fields(form: MatchEventForm) -> dict[str, Any]:
    """The event's fields of ``form`` (its version is the edit's check, not a field)."""
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


def event_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_page(request)
    require_perm(request, services.CREATE_PERMISSION)
    form = MatchEventForm(request.POST or None)
    return form_view(
        request,
        form,
        lambda: services.event_create(actor=request.user, **_plan_fields(form)),
        lambda e: redirect("portal:event_detail", pk=e.pk),
        title="新建云对接会",
        back=url("portal:event_list"),
        intro="视频会议由主办方在视频会议平台创建，平台只保存并发送会议链接。",
    )


def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The office edits an event while registration is open."""
    _office_page(request)
    event = selectors.event_get(request.user, pk)
    if not _may_manage(request, event):
        raise PermissionDenied
    if event.state != MatchEventState.OPEN:
        messages.error(request, "排期已发布，云对接会不能再修改")
        return redirect("portal:event_detail", pk=event.pk)
    initial = {
        "title": event.title,
        "date": event.date,
        "description": event.description,
        "agenda": "\n".join(f"{a.time} {a.title}" for a in event.agenda.all()),
        "slots": "\n".join(s.label for s in selectors.event_slots(event)),
        "rooms": "\n".join(f"{r.name} {r.video_url}" for r in selectors.event_rooms(event)),
        "version": event.version,
    }
    form = MatchEventForm(request.POST or None, initial=initial)

    def save() -> bool:
        return services.event_update(
            actor=request.user,
            event=event,
            expected_version=edited_version(form),
            **_plan_fields(form),
        )

    return form_view(
        request,
        form,
        save,
        lambda _dropped: redirect("portal:event_detail", pk=event.pk),
        lambda dropped: (
            "已保存；时段或会议室已变动，原排期已作废，请重新计算排期" if dropped else "已保存"
        ),
        title=f"编辑云对接会：{event.title}",
        back=url("portal:event_detail", event.pk),
        intro="报名截止（排期发布）前可以修改。保留的时段和会议室（名称不变）保留参会方标记的"
        "不能参会时段；时段或会议室变动后，已计算的排期作废，需重新计算。",
    )


def _grid(event: MatchEvent, meetings: list[EventMeeting]) -> list[tuple[str, list[object]]]:
    rooms = list(selectors.event_rooms(event))
    at = {(m.slot_id, m.room_id): m for m in meetings}
    return [
        (slot.label, [at.get((slot.pk, room.pk)) for room in rooms])
        for slot in selectors.event_slots(event)
    ]


def _may_manage(request: AuthenticatedHttpRequest, event: MatchEvent) -> bool:
    try:
        services.require_office(request.user, event)
    except DomainError:
        return False
    return True


def event_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office_page(request)
    event = selectors.event_get(request.user, pk)
    meetings = selectors.event_meetings(event)
    requests = selectors.event_requests(event)
    scheduled = {m.request_id for m in meetings}
    return render(
        request,
        "portal/event_detail.html",
        {
            "event": event,
            "agenda": list(event.agenda.all()),
            "rooms": list(selectors.event_rooms(event)),
            "parties": selectors.event_parties(event),
            "requests": requests,
            "scheduled": scheduled,
            "unscheduled": [r for r in requests if r.pk not in scheduled],
            "grid": _grid(event, meetings),
            "n_meetings": len(meetings),
            "gap": (event.bound or 0) - len(meetings),
            "may_manage": _may_manage(request, event),
            "open": event.state == MatchEventState.OPEN,
        },
    )


def _act(request: AuthenticatedHttpRequest, event: MatchEvent, action: str) -> HttpResponse:
    try:
        if action == "schedule":
            result = services.event_schedule(actor=request.user, event=event)
            messages.success(
                request,
                f"已排期：安排{len(result.meetings)}场，未安排{len(result.unscheduled)}场，"
                f"上界{result.bound}场，{'最优' if result.optimal else '未证明最优'}",
            )
        else:
            told = services.event_publish(actor=request.user, event=event)
            messages.success(request, f"排期已发布，已通知{told}人")
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return redirect("portal:event_detail", pk=event.pk)


@require_POST
def event_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office_page(request)
    return _act(request, selectors.event_get(request.user, pk), "schedule")


@require_POST
def event_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _office_page(request)
    return _act(request, selectors.event_get(request.user, pk), "publish")


def event_party_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The office registers an enterprise of its county."""
    _office_page(request)
    event = selectors.event_get(request.user, pk)
    if not _may_manage(request, event):
        raise PermissionDenied
    form = PartyForm(request.POST or None, units=selectors.enterprises_to_register(event))
    return form_view(
        request,
        form,
        lambda: services.party_register(
            actor=request.user, event=event, unit=form.cleaned_data["unit"]
        ),
        lambda _p: redirect("portal:event_detail", pk=event.pk),
        message="已报名",
        title=f"为本县企业报名：{event.title}",
        back=url("portal:event_detail", event.pk),
    )


def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The minutes of a meeting and the cooperations that came out of it."""
    _office_page(request)
    meeting = selectors.meeting_get(request.user, pk)
    if not _may_manage(request, meeting.event):
        raise PermissionDenied
    initial = {
        "minutes": meeting.minutes,
        "cooperations": [c.pk for c in meeting.cooperations.all()],
    }
    form = MinutesForm(
        request.POST or None,
        initial=initial,
        cooperations=cooperation_qs(request.user).order_by("-intention_date", "-pk"),
    )
    when = timezone.localtime(meeting.minutes_at) if meeting.minutes_at else None
    return form_view(
        request,
        form,
        lambda: services.meeting_minutes(
            actor=request.user,
            meeting=meeting,
            minutes=form.cleaned_data["minutes"],
            cooperations=list(form.cleaned_data["cooperations"]),
        ),
        lambda _m: redirect("portal:event_detail", pk=meeting.event_id),
        title=f"会议纪要：{meeting.request.a.name} — {meeting.request.b.name}",
        back=url("portal:event_detail", meeting.event_id),
        facts=[
            ("云对接会", meeting.event.title),
            ("时段", meeting.slot.label),
            ("会议室", meeting.room.name),
            ("纪要记录", f"{meeting.minutes_by} {when:%Y-%m-%d %H:%M}" if when else None),
        ],
    )
