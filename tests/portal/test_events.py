"""云对接会 (online matchmaking events): the demo's past event with its computed schedule,
minutes and linked cooperation; a small event whose optimal schedule is known, through the
office's pages and the API; registration and two-sided requests (an enterprise asking an
enterprise is refused in Chinese); the parties' schedule with the video links; the
notifications of publication; and refusals — outside accounts on the office's pages, another
county's office, requests after publication, links that are not http(s), cooperations out of
scope — that change nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.notifications.models import Notification
from yanzhen.portal import event_services as services
from yanzhen.portal.event_models import (
    EventMeeting,
    EventParty,
    MatchEvent,
    MeetingRequest,
)

pytestmark = pytest.mark.usefixtures("demo_db")

DEMO = "2021年永济市—高校云对接会"
ROOM_1 = "https://meeting.example.cn/yongji-2021-1"
ROOM_2 = "https://meeting.example.cn/yongji-2021-2"
CRRC = "中车永济电机有限公司"
BETE = "永济市贝特电气机械有限公司"
GUANGDIAN = "山西穿越光电科技有限公司"
XJTU = "西安交通大学"


def grid(event: MatchEvent) -> list[tuple[str, str, str, str]]:
    return [
        (m.slot.label, m.room.name, m.request.a.name, m.request.b.name)
        for m in EventMeeting.objects.filter(event=event)
        .select_related("slot", "room", "request__a", "request__b")
        .order_by("slot__position", "room__position")
    ]


def expert_name() -> str:
    return User.objects.get(username="expert").full_name


# The demo ----------------------------------------------------------------------------------------


def test_the_demo_event_has_its_computed_schedule_minutes_and_cooperation() -> None:
    event = MatchEvent.objects.get(title=DEMO)
    expert = expert_name()
    assert (event.state, event.bound, event.optimal, event.organiser.name) == (
        "published",
        5,
        True,
        "永济市省校合作办公室",
    )
    assert grid(event) == [
        ("10:00–10:20", "云洽谈室一", CRRC, XJTU),
        ("10:20–10:40", "云洽谈室一", CRRC, expert),
        ("10:20–10:40", "云洽谈室二", BETE, XJTU),
        ("10:40–11:00", "云洽谈室一", BETE, expert),
        ("10:40–11:00", "云洽谈室二", GUANGDIAN, XJTU),
    ]
    # 中车 and 西安交通大学 asked each other: one request, mutual. The expert cannot attend
    # the first slot and meets nobody in it.
    assert list(event.requests.order_by("pk").values_list("mutual", flat=True)) == [
        True,
        False,
        False,
        False,
        False,
    ]
    professor = EventParty.objects.get(event=event, kind="expert")
    assert [s.label for s in professor.unavailable.all()] == ["10:00–10:20"]
    first = EventMeeting.objects.get(event=event, slot__position=0)
    assert first.minutes.startswith("双方围绕牵引电机绝缘系统")
    assert [c.title for c in first.cooperations.all()] == ["牵引电机控制技术联合研发"]


def test_the_office_sees_the_schedule_as_a_grid(demo_db: Demo) -> None:
    event = MatchEvent.objects.get(title=DEMO)
    page = demo_db.client("office").get(reverse("portal:event_detail", args=[event.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert '<dd id="scheduled-count">5</dd>' in text
    assert '<dd id="unscheduled-count">0</dd>' in text
    assert '<dd id="bound">5</dd>' in text
    assert "是（已达上界）" in text
    assert "促成合作：牵引电机控制技术联合研发" in text
    assert text.count(reverse("portal:meeting_edit", args=[first_meeting(event)])) == 1


def first_meeting(event: MatchEvent) -> int:
    return EventMeeting.objects.get(event=event, slot__position=0).pk


def test_the_office_list_is_filtered_and_exported(demo_db: Demo) -> None:
    office = demo_db.client("office")
    url = reverse("portal:event_list")
    assert DEMO in office.get(url, {"state": "published"}).content.decode()
    assert DEMO not in office.get(url, {"state": "open"}).content.decode()
    assert DEMO in office.get(url, {"year": "2021"}).content.decode()
    export = office.get(url, {"export": "csv"})
    assert export.status_code == 200
    rows = b"".join(export).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("# 雁阵导出")  # the watermark
    assert rows[1].split(",")[:4] == ["名称", "举办日期", "主办单位", "状态"]
    assert any(r.startswith(f"{DEMO},2021-06-18,永济市省校合作办公室,排期已发布") for r in rows)


def test_each_party_sees_its_own_schedule_with_the_video_links(demo_db: Demo) -> None:
    event = MatchEvent.objects.get(title=DEMO)
    body = demo_db.client("expert").get(f"/api/v1/portal/events/{event.pk}/schedule").json()
    assert [(m["slot"], m["room"], m["video_url"], m["a"], m["b"]) for m in body["meetings"]] == [
        ("10:20–10:40", "云洽谈室一", ROOM_1, CRRC, expert_name()),
        ("10:40–11:00", "云洽谈室一", ROOM_1, BETE, expert_name()),
    ]
    assert (body["state"], body["bound"], body["optimal"], body["unscheduled"]) == (
        "published",
        None,
        None,
        [],
    )
    page = demo_db.client("university").get(reverse("portal:event_page", args=[event.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    # Two of its three meetings are in the second room (the link and its text each).
    assert text.count(ROOM_2) == 4
    assert GUANGDIAN in text
    listed = demo_db.client("enterprise").get("/api/v1/portal/events").json()
    assert [(e["title"], e["state"], e["meetings"], e["registered"]) for e in listed["items"]] == [
        (DEMO, "published", 5, True)
    ]


# A small event with a known optimal schedule ---------------------------------------------------


def create_event(office: Client, slots: str, rooms: str) -> MatchEvent:
    response = office.post(
        reverse("portal:event_new"),
        {"title": "测试云对接会", "date": "2021-09-01", "agenda": "09:00 开幕", "slots": slots,
         "rooms": rooms},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return MatchEvent.objects.get(title="测试云对接会")


@pytest.fixture
def small(demo_db: Demo) -> dict[str, object]:
    """Two slots, two rooms; 中车, 贝特 and 穿越光电 each ask 西安交通大学, 中车 also the
    expert: 西安交通大学 can meet two of its three in two slots, so the optimum is 3."""
    office = demo_db.client("office")
    event = create_event(
        office, "A\nB", "一号室 https://meet.example.cn/1\n二号室 http://meet.example.cn/2"
    )
    crrc = demo_db.client("enterprise").post(f"/api/v1/portal/events/{event.pk}/registrations")
    xjtu = demo_db.client("university").post(f"/api/v1/portal/events/{event.pk}/registrations")
    expert = demo_db.client("expert").post(f"/api/v1/portal/events/{event.pk}/registrations")
    assert (crrc.status_code, xjtu.status_code, expert.status_code) == (201, 201, 201)
    assert xjtu.json() | {"id": 0} == {
        "id": 0,
        "event_id": event.pk,
        "kind": "university",
        "name": XJTU,
    }
    for name in (BETE, GUANGDIAN):
        unit = Unit.objects.get(name=name)
        page = office.post(reverse("portal:event_party_new", args=[event.pk]), {"unit": unit.pk})
        assert page.status_code == 302
    parties = {p.name: p for p in event.parties.all()}
    ask = demo_db.client("enterprise")
    for other in (XJTU, expert_name()):
        url = f"/api/v1/portal/events/{event.pk}/parties/{parties[other].pk}/requests"
        assert ask.post(url, {"topic": "合作"}, content_type="application/json").status_code == 201
    university = demo_db.client("university")
    for other in (BETE, GUANGDIAN):
        url = f"/api/v1/portal/events/{event.pk}/parties/{parties[other].pk}/requests"
        assert university.post(url, {}, content_type="application/json").status_code == 201
    return {"event": event, "parties": parties, "office": office}


def test_the_small_event_gets_its_optimal_schedule(small: dict[str, object]) -> None:
    event = small["event"]
    office = small["office"]
    assert isinstance(event, MatchEvent)
    assert isinstance(office, Client)
    response = office.post(f"/api/v1/portal/events/{event.pk}/schedule")
    assert response.status_code == 200
    body = response.json()
    requests = list(event.requests.order_by("pk"))
    assert [(r.a.name, r.b.name) for r in requests] == [
        (CRRC, XJTU),
        (CRRC, expert_name()),
        (BETE, XJTU),
        (GUANGDIAN, XJTU),
    ]
    assert (body["state"], body["scheduled"], body["bound"], body["optimal"]) == (
        "open",
        True,
        3,
        True,
    )
    assert [(m["slot"], m["room"], m["a"], m["b"]) for m in body["meetings"]] == [
        ("A", "一号室", CRRC, XJTU),
        ("B", "一号室", CRRC, expert_name()),
        ("B", "二号室", BETE, XJTU),
    ]
    assert body["unscheduled"] == [requests[3].pk]
    # Nobody is told before publication; the parties see nothing of it yet.
    url = reverse("portal:event_page", args=[event.pk])
    assert not Notification.objects.filter(kind="event.scheduled", url=url).exists()
    seen = Client()
    seen.force_login(User.objects.get(username="expert"))
    theirs = seen.get(f"/api/v1/portal/events/{event.pk}/schedule").json()
    assert (theirs["scheduled"], theirs["meetings"]) == (False, [])
    page = office.get(reverse("portal:event_detail", args=[event.pk])).content.decode()
    assert '<dd id="bound">3</dd>' in page
    assert f"{GUANGDIAN} — {XJTU}" in page  # among the unscheduled


def test_publishing_tells_both_parties_and_closes_the_requests(
    small: dict[str, object], demo_db: Demo
) -> None:
    event = small["event"]
    office = small["office"]
    assert isinstance(event, MatchEvent)
    assert isinstance(office, Client)
    office.post(reverse("portal:event_schedule", args=[event.pk]))
    response = office.post(reverse("portal:event_publish", args=[event.pk]))
    assert response.status_code == 302
    url = reverse("portal:event_page", args=[event.pk])
    told = Notification.objects.filter(kind="event.scheduled", url=url).select_related("recipient")
    by_user = {n.recipient.username: (n.title, n.body) for n in told}
    assert by_user["university"] == (
        "测试云对接会排期已发布：2场约见",
        f"A 一号室 与{CRRC}：https://meet.example.cn/1\nB 二号室 与{BETE}：http://meet.example.cn/2",
    )
    assert by_user["enterprise"] == (
        "测试云对接会排期已发布：2场约见",
        f"A 一号室 与{XJTU}：https://meet.example.cn/1\n"
        f"B 一号室 与{expert_name()}：https://meet.example.cn/1",
    )
    assert by_user["expert"] == (
        "测试云对接会排期已发布：1场约见",
        f"B 一号室 与{CRRC}：https://meet.example.cn/1",
    )
    # Requests are closed now: nothing changes.
    parties = small["parties"]
    assert isinstance(parties, dict)
    before = MeetingRequest.objects.filter(event=event).count()
    refused = demo_db.client("enterprise").post(
        f"/api/v1/portal/events/{event.pk}/parties/{parties[GUANGDIAN].pk}/requests",
        {},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == "排期已发布，报名和约见已截止"
    assert MeetingRequest.objects.filter(event=event).count() == before


def test_an_enterprise_asking_an_enterprise_is_refused_in_chinese(
    small: dict[str, object], demo_db: Demo
) -> None:
    event = small["event"]
    parties = small["parties"]
    assert isinstance(event, MatchEvent)
    assert isinstance(parties, dict)
    before = list(MeetingRequest.objects.filter(event=event).values_list("pk", "mutual"))
    response = demo_db.client("enterprise").post(
        f"/api/v1/portal/events/{event.pk}/parties/{parties[BETE].pk}/requests",
        {"topic": "企业之间"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "约见对象：企业只能约见高校或专家，不能约见企业",
        "fields": {"party_id": "企业只能约见高校或专家，不能约见企业"},
    }
    # The university asking the expert (b → b) and the enterprise asking itself are refused too.
    xjtu = demo_db.client("university").post(
        f"/api/v1/portal/events/{event.pk}/parties/{parties[expert_name()].pk}/requests",
        {},
        content_type="application/json",
    )
    assert xjtu.json()["error"]["message"] == "约见对象：高校和专家只能约见企业，不能约见高校或专家"
    itself = demo_db.client("enterprise").post(
        reverse("portal:event_request", args=[event.pk]), {"party": parties[CRRC].pk}, follow=True
    )
    assert "不能约见自己" in itself.content.decode()
    after = list(MeetingRequest.objects.filter(event=event).values_list("pk", "mutual"))
    assert after == before


def test_the_other_side_asking_again_makes_the_request_mutual(
    small: dict[str, object], demo_db: Demo
) -> None:
    event = small["event"]
    parties = small["parties"]
    assert isinstance(event, MatchEvent)
    assert isinstance(parties, dict)
    response = demo_db.client("university").post(
        f"/api/v1/portal/events/{event.pk}/parties/{parties[CRRC].pk}/requests",
        {},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (response.json()["a"], response.json()["b"], response.json()["mutual"]) == (
        CRRC,
        XJTU,
        True,
    )
    again = demo_db.client("enterprise").post(
        f"/api/v1/portal/events/{event.pk}/parties/{parties[XJTU].pk}/requests",
        {},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert MeetingRequest.objects.filter(event=event).count() == 4
    twice = demo_db.client("university").post(f"/api/v1/portal/events/{event.pk}/registrations")
    assert (twice.status_code, twice.json()["error"]["message"]) == (
        409,
        f"{XJTU}已报名本次云对接会",
    )


def test_unavailable_slots_are_respected(small: dict[str, object], demo_db: Demo) -> None:
    event = small["event"]
    office = small["office"]
    assert isinstance(event, MatchEvent)
    assert isinstance(office, Client)
    slot_b = event.slots.get(label="B")
    response = demo_db.client("expert").post(
        reverse("portal:event_availability", args=[event.pk]), {"unavailable": [slot_b.pk]}
    )
    assert response.status_code == 302
    body = office.post(f"/api/v1/portal/events/{event.pk}/schedule").json()
    assert [(m["slot"], m["room"], m["a"], m["b"]) for m in body["meetings"]] == [
        ("A", "一号室", CRRC, expert_name()),  # the expert cannot attend B
        ("A", "二号室", BETE, XJTU),
        ("B", "一号室", CRRC, XJTU),
    ]
    last = event.requests.order_by("pk").last()
    assert last is not None
    assert (body["unscheduled"], body["bound"], body["optimal"]) == ([last.pk], 3, True)


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["university", "expert", "enterprise"])
def test_outside_parties_and_enterprises_are_refused_on_the_office_pages(
    login: str, demo_db: Demo
) -> None:
    event = MatchEvent.objects.get(title=DEMO)
    meeting = EventMeeting.objects.get(event=event, slot__position=0)
    before = (meeting.minutes, list(meeting.cooperations.values_list("pk", flat=True)))
    client = demo_db.client(login)
    pages = [
        reverse("portal:event_list"),
        reverse("portal:event_new"),
        reverse("portal:event_detail", args=[event.pk]),
        reverse("portal:event_party_new", args=[event.pk]),
        reverse("portal:meeting_edit", args=[meeting.pk]),
    ]
    assert [client.get(p).status_code for p in pages] == [403] * 5
    posted = client.post(reverse("portal:meeting_edit", args=[meeting.pk]), {"minutes": "越权"})
    assert posted.status_code == 403
    api = [
        client.post(f"/api/v1/portal/events/{event.pk}/schedule").status_code,
        client.post(f"/api/v1/portal/events/{event.pk}/publish").status_code,
    ]
    assert api == [403, 403]
    meeting.refresh_from_db()
    assert (meeting.minutes, list(meeting.cooperations.values_list("pk", flat=True))) == before
    assert grid(event)[0] == ("10:00–10:20", "云洽谈室一", CRRC, XJTU)


def test_another_countys_office_reaches_nothing(make_user: Callable[..., User]) -> None:
    event = MatchEvent.objects.get(title=DEMO)
    other = unit_create(actor=None, parent=None, name="外县", kind=UnitKind.COUNTY)
    office = unit_create(actor=None, parent=other, name="外县合作办", kind=UnitKind.DEPARTMENT)
    perms = ["portal.view_matchevent", "portal.add_matchevent", "portal.change_matchevent"]
    client = Client()
    client.force_login(make_user(office, DataScope.UNIT_AND_BELOW, perms))
    before = grid(event)
    assert client.get(reverse("portal:event_detail", args=[event.pk])).status_code == 404
    assert client.post(reverse("portal:event_schedule", args=[event.pk])).status_code == 404
    assert client.post(f"/api/v1/portal/events/{event.pk}/schedule").status_code == 404
    assert client.get("/api/v1/portal/events").json()["count"] == 0
    assert grid(event) == before


def test_a_room_link_must_be_http_and_nothing_is_half_saved(demo_db: Demo) -> None:
    response = demo_db.client("office").post(
        reverse("portal:event_new"),
        {"title": "链接有误", "date": "2021-09-01", "slots": "A\nA",
         "rooms": "一号室 https://meet.example.cn/1\n二号室 ftp://meet.example.cn/2"},
    )  # fmt: skip
    assert response.status_code == 200
    text = response.content.decode()
    assert "会议室：第2行：视频会议链接须为以 http:// 或 https:// 开头的网址" in text
    assert "约见时段：第2行“A”重复" in text
    assert not MatchEvent.objects.filter(title="链接有误").exists()


def test_minutes_link_only_cooperations_in_the_offices_scope(
    make_user: Callable[..., User],
) -> None:
    event = MatchEvent.objects.get(title=DEMO)
    meeting = EventMeeting.objects.get(event=event, slot__position=0)
    clerk = make_user(
        event.organiser, DataScope.UNIT, ["portal.view_matchevent", "portal.change_matchevent"]
    )
    outside = Cooperation.objects.exclude(pk__in=cooperation_qs(clerk).values("pk")).first()
    assert outside is not None
    before = (meeting.minutes, list(meeting.cooperations.values_list("pk", flat=True)))
    with pytest.raises(DomainError) as refused:
        services.meeting_minutes(
            actor=clerk, meeting=meeting, minutes="越权关联", cooperations=[outside]
        )
    assert (refused.value.status, refused.value.fields) == (
        422,
        {"cooperations": "只能关联本县台账中的合作"},
    )
    meeting.refresh_from_db()
    assert (meeting.minutes, list(meeting.cooperations.values_list("pk", flat=True))) == before


def test_the_office_records_minutes_and_links_a_cooperation(demo_db: Demo) -> None:
    event = MatchEvent.objects.get(title=DEMO)
    meeting = EventMeeting.objects.get(event=event, slot__position=2, room__position=1)
    cooperation = Cooperation.objects.filter(parties__name=GUANGDIAN).order_by("pk").first()
    assert cooperation is not None
    response = demo_db.client("office").post(
        reverse("portal:meeting_edit", args=[meeting.pk]),
        {"minutes": "双方商定共建光电材料联合实验室。", "cooperations": [cooperation.pk]},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "双方商定共建光电材料联合实验室。"
    assert meeting.minutes_by == User.objects.get(username="office")
    assert [c.pk for c in meeting.cooperations.all()] == [cooperation.pk]
