"""Writes of the 云对接会: the county office creates an event (agenda, time slots, rooms with
their video-meeting links), the parties register (outside parties and enterprises through the
portal; the office registers its county's enterprises), request 1:1 meetings with the other
side and mark the slots they cannot attend; the office computes the schedule with the meeting
engine (``engines.meetings``: slots, then rooms), publishes it (both parties of every meeting
are told), and records each meeting's minutes and the cooperations that came out of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.counties import settings_for
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import Unit, UnitClosure, UnitKind, User, check_version
from yanzhen.core.scope import scope_of
from yanzhen.engines import meetings as engine
from yanzhen.engines.meetings.rooms import RoomSchedule, fit_rooms
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify
from yanzhen.portal.event_models import (
    AgendaItem,
    EventMeeting,
    EventParty,
    EventRoom,
    EventSlot,
    MatchEvent,
    MatchEventState,
    MatchPartyKind,
    MeetingRequest,
    video_url_validator,
)
from yanzhen.portal.hall_selectors import is_participant
from yanzhen.portal.models import OutsideAccount

OFFICE_PERMISSION = "portal.change_matchevent"
CREATE_PERMISSION = "portal.add_matchevent"
B_KINDS = (MatchPartyKind.UNIVERSITY, MatchPartyKind.EXPERT)
LIMITS = {"title": 100, "agenda": 200, "slot": 30, "room": 50, "url": 500, "topic": 200}


def _invalid(errors: dict[str, str]) -> None:
    if errors:
        raise DomainError("invalid", "；".join(errors.values()), errors, status=422)


def _closed(event: MatchEvent) -> None:
    if event.state != MatchEventState.OPEN:
        message = "排期已发布，报名和约见已截止"
        raise DomainError("closed", message, {"__all__": message}, status=409)


def require_office(actor: User, event: MatchEvent) -> None:
    """403 unless ``actor`` acts for the event's organiser: the permission, and the office
    (or the county) in its scope — never an outside party or an enterprise."""
    scope = scope_of(actor)
    if (
        is_participant(actor)
        or not actor.has_perm(OFFICE_PERMISSION)
        or not (actor.unit_id == event.organiser_id or scope.contains_unit(event.organiser))
    ):
        raise ForbiddenError("只有主办的县级合作办可以管理云对接会")


# The event -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventPlan:
    """The agenda, slots and rooms parsed from the form's lines."""

    agenda: list[tuple[str, str]]
    slots: list[str]
    rooms: list[tuple[str, str]]


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def parse_plan(*, agenda: str, slots: str, rooms: str) -> EventPlan:
    """The lines of the agenda ("时间 议程"), the slots (one a line) and the rooms ("名称
    链接"), every problem named by field and line (422)."""
    errors: dict[str, list[str]] = {}
    plan = EventPlan([], [], [])
    for n, line in _lines(agenda):
        time, _, title = line.partition(" ")
        if not title.strip() or len(time) > 30 or len(title.strip()) > LIMITS["agenda"]:
            errors.setdefault("agenda", []).append(f"第{n}行应为“时间 议程”（时间不超过30字）")
        else:
            plan.agenda.append((time, title.strip()))
    for n, line in _lines(slots):
        if len(line) > LIMITS["slot"]:
            errors.setdefault("slots", []).append(f"第{n}行超过30字")
        elif line in plan.slots:
            errors.setdefault("slots", []).append(f"第{n}行“{line}”重复")
        else:
            plan.slots.append(line)
    if not plan.slots and "slots" not in errors:
        errors["slots"] = ["至少需要一个时段"]
    names: set[str] = set()
    for n, line in _lines(rooms):
        name, _, link = line.rpartition(" ")
        name = name.strip()
        if not name:
            errors.setdefault("rooms", []).append(f"第{n}行应为“会议室名称 视频会议链接”")
            continue
        try:
            video_url_validator(link)
        except ValidationError:
            errors.setdefault("rooms", []).append(
                f"第{n}行：视频会议链接须为以 http:// 或 https:// 开头的网址"
            )
            continue
        if len(name) > LIMITS["room"] or len(link) > LIMITS["url"]:
            errors.setdefault("rooms", []).append(f"第{n}行：名称不超过50字，链接不超过500字")
        elif name in names:
            errors.setdefault("rooms", []).append(f"第{n}行：会议室“{name}”重复")
        else:
            names.add(name)
            plan.rooms.append((name, link))
    if not plan.rooms and "rooms" not in errors:
        errors["rooms"] = ["至少需要一个会议室"]
    labels = {"agenda": "议程", "slots": "约见时段", "rooms": "会议室"}
    _invalid({k: f"{labels[k]}：" + "；".join(v) for k, v in errors.items()})
    return plan


def _office_of(actor: User) -> tuple[Unit, Unit]:
    """The county and the office ``actor`` organises an event for."""
    county_settings = settings_for(actor.unit)
    if county_settings is None or county_settings.office is None:
        message = "本县尚未在县级设置中指定省校合作办"
        raise DomainError("no_office", message, {"__all__": message}, status=422)
    office = county_settings.office
    if is_participant(actor) or not (
        actor.unit_id == office.pk or scope_of(actor).contains_unit(office)
    ):
        raise ForbiddenError("只有县级合作办可以组织云对接会")
    return county_settings.county, office


@transaction.atomic
def event_create(
    *,
    actor: User,
    title: str,
    date: dt.date,
    description: str = "",
    agenda: str = "",
    slots: str,
    rooms: str,
) -> MatchEvent:
    """A 云对接会 of the actor's county, organised by its office, open for registration."""
    if not actor.has_perm(CREATE_PERMISSION):
        raise ForbiddenError("没有组织云对接会的权限")
    county, office = _office_of(actor)
    _check_title(title)
    plan = parse_plan(agenda=agenda, slots=slots, rooms=rooms)
    event = MatchEvent.objects.create(
        title=title.strip(),
        county=county,
        organiser=office,
        date=date,
        description=description.strip(),
        created_by=actor,
    )
    _write_plan(event, plan)
    return event


def _check_title(title: str) -> None:
    if not title.strip():
        _invalid({"title": "名称不能为空"})
    elif len(title.strip()) > LIMITS["title"]:
        _invalid({"title": "名称不能超过100字"})


def _write_plan(event: MatchEvent, plan: EventPlan) -> bool:
    """Store ``plan`` as the event's agenda, slots and rooms. A slot or room kept (the same
    label or name) keeps its row, so the parties' unavailable slots stay marked; one left out
    goes with its marks. Returns whether the slots or rooms changed."""
    event.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(event=event, position=i, time=t, title=x) for i, (t, x) in enumerate(plan.agenda)
    )
    old_slots = {s.label: s for s in event.slots.all()}
    old_rooms = {r.name: r for r in event.rooms.all()}
    before = (
        [s.label for s in sorted(old_slots.values(), key=lambda s: s.position)],
        sorted((r.position, r.name, r.video_url) for r in old_rooms.values()),
    )
    event.slots.exclude(label__in=plan.slots).delete()
    event.rooms.exclude(name__in=[n for n, _ in plan.rooms]).delete()
    slots = [old_slots.get(label) or EventSlot(event=event, label=label) for label in plan.slots]
    rooms = [old_rooms.get(name) or EventRoom(event=event, name=name) for name, _ in plan.rooms]
    for i, slot in enumerate(slots):
        slot.position = i
    for i, (room, (_, link)) in enumerate(zip(rooms, plan.rooms, strict=True)):
        room.position, room.video_url = i, link
    EventSlot.objects.bulk_update([s for s in slots if s.pk], ["position"])
    EventRoom.objects.bulk_update([r for r in rooms if r.pk], ["position", "video_url"])
    EventSlot.objects.bulk_create([s for s in slots if s.pk is None])
    EventRoom.objects.bulk_create([r for r in rooms if r.pk is None])
    after = (plan.slots, sorted((i, n, u) for i, (n, u) in enumerate(plan.rooms)))
    return before != after


@transaction.atomic
def event_update(
    *,
    actor: User,
    event: MatchEvent,
    expected_version: int | None,
    title: str,
    date: dt.date,
    description: str = "",
    agenda: str = "",
    slots: str,
    rooms: str,
) -> bool:
    """Edit an event while it is open for registration (a published schedule is final).
    When the slots or rooms change, a schedule already computed is dropped: the office
    computes it again. Returns whether a computed schedule was dropped."""
    require_office(actor, event)
    if event.state != MatchEventState.OPEN:
        message = "排期已发布，云对接会不能再修改"
        raise DomainError("closed", message, {"__all__": message}, status=409)
    _check_title(title)
    plan = parse_plan(agenda=agenda, slots=slots, rooms=rooms)
    check_version(event, expected_version)
    event.title, event.date, event.description = title.strip(), date, description.strip()
    changed = _write_plan(event, plan)
    dropped = changed and event.scheduled_at is not None
    if dropped:
        event.meetings.all().delete()
        event.scheduled_at, event.bound, event.optimal = None, None, None
    event.save()
    return dropped


# Registration, requests, availability ----------------------------------------------------------


def _in_county(unit: Unit, county_id: int) -> bool:
    return UnitClosure.objects.filter(ancestor_id=county_id, descendant_id=unit.pk).exists()


def party_register(*, actor: User, event: MatchEvent, unit: Unit | None = None) -> EventParty:
    """Register for ``event``: a participant registers itself (a university's account its
    institution, an expert's account the expert, an enterprise's user its enterprise, of the
    event's county); the office registers an enterprise of its county (``unit``)."""
    _closed(event)
    account = OutsideAccount.objects.filter(user_id=actor.pk).first()
    expert: User | None = None
    if unit is not None:
        require_office(actor, event)
        if unit.kind != UnitKind.ENTERPRISE or not _in_county(unit, event.county_id):
            raise DomainError(
                "invalid", "只能为本县的企业报名", {"unit": "只能为本县的企业报名"}, status=422
            )
        kind = MatchPartyKind.ENTERPRISE
    elif account is not None:
        unit = account.organisation
        kind = MatchPartyKind(account.kind)
        if kind == MatchPartyKind.EXPERT:
            expert = actor
        elif kind == MatchPartyKind.ENTERPRISE and not _in_county(unit, event.county_id):
            raise ForbiddenError("只有本县的企业可以报名本次云对接会")
    elif actor.unit is not None and actor.unit.kind == UnitKind.ENTERPRISE:
        unit = actor.unit
        kind = MatchPartyKind.ENTERPRISE
        if not _in_county(unit, event.county_id):
            raise ForbiddenError("只有本县的企业可以报名本次云对接会")
    else:
        raise ForbiddenError("只有企业、高校和专家可以报名云对接会")
    taken = event.parties.filter(account=expert) if expert else event.parties.filter(unit=unit)
    if taken.filter(account__isnull=expert is None).exists():
        message = f"{expert.full_name if expert else unit.name}已报名本次云对接会"
        raise DomainError("duplicate", message, {"__all__": message}, status=409)
    return EventParty.objects.create(
        event=event,
        kind=kind,
        unit=unit,
        account=expert,
        name=(expert.full_name or expert.username) if expert else unit.name,
        registered_by=actor,
    )


def _may_act_for(actor: User, party: EventParty) -> bool:
    if party.account_id is not None:
        return party.account_id == actor.pk
    if party.unit_id != actor.unit_id:
        return False
    kind = OutsideAccount.objects.filter(user_id=actor.pk).values_list("kind", flat=True).first()
    return (kind or MatchPartyKind.ENTERPRISE) == party.kind


def _require_party_or_office(actor: User, party: EventParty) -> None:
    if not _may_act_for(actor, party):
        require_office(actor, party.event)


@transaction.atomic
def meeting_request_create(
    *, actor: User, by: EventParty, other: EventParty, topic: str = ""
) -> MeetingRequest:
    """``by`` asks to meet ``other``: one must be an enterprise (``a``), the other a
    university or an expert (``b``). A pair is requested once; the other side's request of
    the same pair makes it mutual."""
    event = by.event
    _require_party_or_office(actor, by)
    _closed(event)
    if other.event_id != event.pk:
        raise DomainError(
            "invalid", "约见对象未报名本次云对接会", {"party_id": "未报名本次云对接会"}
        )
    if other.pk == by.pk:
        raise DomainError("invalid", "不能约见自己", {"party_id": "不能约见自己"}, status=422)
    by_a = by.kind == MatchPartyKind.ENTERPRISE
    other_a = other.kind == MatchPartyKind.ENTERPRISE
    if by_a == other_a:
        problem = (
            "企业只能约见高校或专家，不能约见企业"
            if by_a
            else "高校和专家只能约见企业，不能约见高校或专家"
        )
        raise DomainError("invalid", f"约见对象：{problem}", {"party_id": problem}, status=422)
    if len(topic.strip()) > LIMITS["topic"]:
        raise DomainError("invalid", "约见事由不能超过200字", {"topic": "不能超过200字"})
    a, b = (by, other) if by_a else (other, by)
    existing = MeetingRequest.objects.select_for_update().filter(event=event, a=a, b=b).first()
    if existing is not None:
        if existing.requested_by_id == by.pk or existing.mutual:
            message = f"已提出过与{other.name}的约见请求"
            raise DomainError("duplicate", message, {"party_id": message}, status=409)
        existing.mutual = True
        existing.save(update_fields=["mutual"])
        return existing
    return MeetingRequest.objects.create(
        event=event, a=a, b=b, requested_by=by, topic=topic.strip(), created_by=actor
    )


def party_availability(*, actor: User, party: EventParty, unavailable: Iterable[EventSlot]) -> None:
    """The slots ``party`` cannot attend (its own choice, or the office's)."""
    _require_party_or_office(actor, party)
    _closed(party.event)
    slots = list(unavailable)
    if any(s.event_id != party.event_id for s in slots):
        raise DomainError("invalid", "时段不属于本次云对接会", {"unavailable": "时段不存在"})
    party.unavailable.set(slots)


# The schedule ----------------------------------------------------------------------------------


def engine_event(event: MatchEvent) -> tuple[engine.Event, dict[str, MeetingRequest]]:
    """The event as the engine's input: parties ``p<id>``, requests ``r<id>``."""
    slots = list(event.slots.order_by("position"))
    parties = list(event.parties.prefetch_related("unavailable"))
    requests = list(event.requests.select_related("a", "b").order_by("pk"))
    by_id = {f"r{r.pk}": r for r in requests}
    unavailable = {p.key: [s.label for s in p.unavailable.all()] for p in parties}
    return (
        engine.Event(
            slots=tuple(s.label for s in slots),
            parties={p.key: p.kind for p in parties},  # type: ignore[misc]
            requests=tuple(engine.Request(key, r.a.key, r.b.key) for key, r in by_id.items()),
            unavailable={k: v for k, v in unavailable.items() if v},
        ),
        by_id,
    )


@transaction.atomic
def event_schedule(*, actor: User, event: MatchEvent) -> RoomSchedule:
    """Compute the schedule (the engine's slots, then the rooms) and store its meetings,
    replacing an earlier computation; the parties see it once it is published."""
    require_office(actor, event)
    _closed(event)
    problem_input, requests = engine_event(event)
    rooms = list(event.rooms.order_by("position"))
    slots = {s.label: s for s in event.slots.all()}
    result = fit_rooms(problem_input, engine.schedule(problem_input), len(rooms))
    plain = engine.Schedule(
        tuple(engine.Meeting(m.request, m.slot) for m in result.meetings),
        result.unscheduled,
        result.bound,
        result.optimal,
    )
    problems = engine.verify(problem_input, plain)
    if problems:  # the engine's guarantee, checked before anything is stored
        raise DomainError("schedule_invalid", "；".join(problems), status=500)
    event.meetings.all().delete()
    EventMeeting.objects.bulk_create(
        EventMeeting(
            event=event, request=requests[m.request], slot=slots[m.slot], room=rooms[m.room]
        )
        for m in result.meetings
    )
    event.scheduled_at = timezone.now()
    event.bound = result.bound
    event.optimal = result.optimal
    event.save(update_fields=["scheduled_at", "bound", "optimal"])
    return result


def _recipients(party: EventParty) -> tuple[list[User], list[Unit]]:
    if party.account is not None:
        return [party.account], []
    if party.kind == MatchPartyKind.UNIVERSITY:
        accounts = OutsideAccount.objects.filter(
            organisation_id=party.unit_id, kind=MatchPartyKind.UNIVERSITY
        ).select_related("user")
        return [a.user for a in accounts], []
    return [], [party.unit]


@transaction.atomic
def event_publish(*, actor: User, event: MatchEvent) -> int:
    """Publish the computed schedule: registration and requests close, and every party is
    told its meetings (slot, room, the other party, the video link). Returns how many
    notifications were written."""
    require_office(actor, event)
    _closed(event)
    if event.scheduled_at is None:
        message = "请先计算排期"
        raise DomainError("not_scheduled", message, {"__all__": message}, status=409)
    event.state = MatchEventState.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["state", "published_at"])
    meetings = list(
        event.meetings.select_related("request__a", "request__b", "slot", "room").order_by(
            "slot__position", "room__position"
        )
    )
    url = reverse("portal:event_page", args=[event.pk])
    told = 0
    for party in event.parties.select_related("account", "unit"):
        own = [m for m in meetings if party.pk in (m.request.a_id, m.request.b_id)]
        lines = [
            f"{m.slot.label} {m.room.name} 与{_other(m, party).name}：{m.room.video_url}"
            for m in own
        ]
        body = "\n".join(lines) if lines else "本次未能为您安排约见。"
        users, units = _recipients(party)
        told += len(
            notify(
                event=Event.EVENT_SCHEDULED,
                about=party,
                title=f"{event.title}排期已发布：{len(own)}场约见",
                body=body,
                url=url,
                users=users,
                units=units,
                actor=actor,
            )
        )
    return told


def _other(meeting: EventMeeting, party: EventParty) -> EventParty:
    return meeting.request.b if meeting.request.a_id == party.pk else meeting.request.a


# Minutes and cooperations ----------------------------------------------------------------------


@transaction.atomic
def meeting_minutes(
    *, actor: User, meeting: EventMeeting, minutes: str, cooperations: Sequence[Cooperation]
) -> EventMeeting:
    """The minutes of a meeting held, and the cooperations of the ledger (in the actor's
    scope) that came out of it."""
    require_office(actor, meeting.event)
    if meeting.event.state != MatchEventState.PUBLISHED:
        message = "排期发布后才能记录会议纪要"
        raise DomainError("not_published", message, {"__all__": message}, status=409)
    if len(minutes) > 5000:
        raise DomainError("invalid", "会议纪要不能超过5000字", {"minutes": "不能超过5000字"})
    ids = {c.pk for c in cooperations}
    seen = set(cooperation_qs(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - seen:
        message = "只能关联本县台账中的合作"
        raise DomainError("invalid", message, {"cooperations": message}, status=422)
    meeting.minutes = minutes.strip()
    meeting.minutes_by = actor
    meeting.minutes_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_by", "minutes_at"])
    meeting.cooperations.set(list(cooperations))
    return meeting
