"""Editing a 云对接会 while registration is open: the form starts from the event as it is,
kept slots and rooms keep their rows (and the parties' marks), a change of slots or rooms
drops a schedule already computed, an edit on an older version is refused, a published
event cannot be edited, bad lines name the field and line and nothing is half-saved, and
nobody but the organising office reaches the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from tests.portal.test_events import DEMO, small  # noqa: F401  (the fixture)
from yanzhen.core.errors import DomainError
from yanzhen.core.models import DataScope, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.portal import event_services as services
from yanzhen.portal.event_models import EventParty, MatchEvent

if TYPE_CHECKING:  # the test client's response type exists in the stubs only
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.usefixtures("demo_db")

ROOMS = "一号室 https://meet.example.cn/1\n二号室 http://meet.example.cn/2"


def state(event: MatchEvent) -> tuple[object, ...]:
    event.refresh_from_db()
    return (
        event.title,
        str(event.date),
        event.version,
        [(a.time, a.title) for a in event.agenda.all()],
        [s.label for s in event.slots.order_by("position")],
        [(r.name, r.video_url) for r in event.rooms.order_by("position")],
        event.scheduled_at is not None,
        event.meetings.count(),
    )


def unavailable(event: MatchEvent) -> list[str]:
    expert = EventParty.objects.get(event=event, kind="expert")
    return [s.label for s in expert.unavailable.order_by("position")]


def last_message(response: Response) -> str:
    """The message the page just added (the session holds the earlier pages' too)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def edit(office: Client, event: MatchEvent, **changes: str) -> Response:
    data = {
        "title": "测试云对接会",
        "date": "2021-09-01",
        "agenda": "09:00 开幕",
        "slots": "A\nB",
        "rooms": ROOMS,
        "version": str(event.version),
        **changes,
    }
    return office.post(reverse("portal:event_edit", args=[event.pk]), data)


def scheduled(small: dict[str, object]) -> tuple[MatchEvent, Client]:  # noqa: F811
    event, office = small["event"], small["office"]
    assert isinstance(event, MatchEvent)
    assert isinstance(office, Client)
    slot_b = event.slots.get(label="B")
    expert = Client()
    expert.force_login(User.objects.get(username="expert"))
    marked = expert.post(
        reverse("portal:event_availability", args=[event.pk]), {"unavailable": [slot_b.pk]}
    )
    assert marked.status_code == 302
    assert office.post(reverse("portal:event_schedule", args=[event.pk])).status_code == 302
    return event, office


def test_the_form_starts_from_the_event_and_the_detail_page_links_it(
    small: dict[str, object],  # noqa: F811
) -> None:
    event, office = scheduled(small)
    detail = office.get(reverse("portal:event_detail", args=[event.pk])).content.decode()
    assert f'href="{reverse("portal:event_edit", args=[event.pk])}"' in detail
    form = office.get(reverse("portal:event_edit", args=[event.pk]))
    assert form.status_code == 200
    assert form.context["form"].initial == {
        "title": "测试云对接会",
        "date": event.date,
        "description": "",
        "agenda": "09:00 开幕",
        "slots": "A\nB",
        "rooms": ROOMS,
        "version": 1,
    }


def test_an_edit_of_the_text_keeps_the_schedule(small: dict[str, object]) -> None:  # noqa: F811
    event, office = scheduled(small)
    response = edit(office, event, title="测试云对接会（改期）", date="2021-09-08",
                    agenda="09:00 开幕\n09:30 项目推介", description="改在下周")  # fmt: skip
    assert response.status_code == 302
    assert last_message(response) == "已保存"
    assert state(event) == (
        "测试云对接会（改期）",
        "2021-09-08",
        2,
        [("09:00", "开幕"), ("09:30", "项目推介")],
        ["A", "B"],
        [("一号室", "https://meet.example.cn/1"), ("二号室", "http://meet.example.cn/2")],
        True,
        3,
    )
    assert event.description == "改在下周"
    assert unavailable(event) == ["B"]


def test_a_new_slot_drops_the_schedule_and_keeps_the_marks(
    small: dict[str, object],  # noqa: F811
) -> None:
    event, office = scheduled(small)
    slot_b = event.slots.get(label="B").pk
    response = edit(office, event, slots="A\nB\nC")
    assert response.status_code == 302
    assert last_message(response) == "已保存；时段或会议室已变动，原排期已作废，请重新计算排期"
    assert state(event)[4:] == (["A", "B", "C"], state(event)[5], False, 0)
    assert (event.bound, event.optimal) == (None, None)
    assert event.slots.get(label="B").pk == slot_b
    assert unavailable(event) == ["B"]
    # Computed again, the third slot takes the request left out before.
    body = office.post(f"/api/v1/portal/events/{event.pk}/schedule").json()
    assert (len(body["meetings"]), body["unscheduled"], body["bound"]) == (4, [], 4)


def test_a_removed_slot_goes_with_its_marks_and_a_changed_link_drops_the_schedule(
    small: dict[str, object],  # noqa: F811
) -> None:
    event, office = scheduled(small)
    rooms = "二号室 https://meet.example.cn/2-new\n一号室 https://meet.example.cn/1"
    assert edit(office, event, slots="C\nA", rooms=rooms).status_code == 302
    assert state(event)[4:] == (
        ["C", "A"],
        [("二号室", "https://meet.example.cn/2-new"), ("一号室", "https://meet.example.cn/1")],
        False,
        0,
    )
    assert unavailable(event) == []


def test_an_edit_on_an_older_version_is_refused(small: dict[str, object]) -> None:  # noqa: F811
    event, office = scheduled(small)
    assert edit(office, event, title="第一位编辑").status_code == 302
    stale = edit(office, event, title="第二位编辑", slots="A", version="1")
    assert stale.status_code == 200
    assert "该记录已被他人修改" in stale.content.decode()
    assert state(event)[:3] + state(event)[4:] == (
        "第一位编辑",
        "2021-09-01",
        2,
        ["A", "B"],
        state(event)[5],
        True,
        3,
    )


def test_bad_lines_name_the_field_and_line_and_nothing_is_half_saved(
    small: dict[str, object],  # noqa: F811
) -> None:
    event, office = scheduled(small)
    before = state(event)
    response = edit(office, event, title="改了名称", slots="A\nA",
                    rooms="一号室 https://meet.example.cn/1\n二号室 ftp://x")  # fmt: skip
    assert response.status_code == 200
    text = response.content.decode()
    assert "会议室：第2行：视频会议链接须为以 http:// 或 https:// 开头的网址" in text
    assert "约见时段：第2行“A”重复" in text
    assert state(event) == before
    assert unavailable(event) == ["B"]


def test_a_published_event_cannot_be_edited(demo_db: Demo) -> None:
    event = MatchEvent.objects.get(title=DEMO)
    before = state(event)
    office = demo_db.client("office")
    detail = office.get(reverse("portal:event_detail", args=[event.pk])).content.decode()
    assert reverse("portal:event_edit", args=[event.pk]) not in detail
    page = office.get(reverse("portal:event_edit", args=[event.pk]))
    assert page.status_code == 302
    assert page["Location"] == reverse("portal:event_detail", args=[event.pk])
    assert last_message(page) == "排期已发布，云对接会不能再修改"
    with pytest.raises(DomainError) as refused:
        services.event_update(
            actor=User.objects.get(username="office"),
            event=event,
            expected_version=event.version,
            title="改名",
            date=event.date,
            slots="A",
            rooms=ROOMS,
        )
    assert (refused.value.code, refused.value.status) == ("closed", 409)
    assert state(event) == before


@pytest.mark.parametrize("login", ["university", "expert", "enterprise", "town"])
def test_only_the_organising_office_reaches_the_edit_page(
    login: str,
    small: dict[str, object],  # noqa: F811
    demo_db: Demo,
) -> None:
    event, _office = scheduled(small)
    before = state(event)
    client = demo_db.client(login)
    url = reverse("portal:event_edit", args=[event.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"title": "越权", "slots": "X", "rooms": ROOMS}).status_code in (
        403,
        404,
    )
    assert state(event) == before


def test_another_countys_office_cannot_edit(
    small: dict[str, object],  # noqa: F811
    make_user: Callable[..., User],
) -> None:
    event, _office = scheduled(small)
    before = state(event)
    other = unit_create(actor=None, parent=None, name="外县", kind=UnitKind.COUNTY)
    office = unit_create(actor=None, parent=other, name="外县合作办", kind=UnitKind.DEPARTMENT)
    perms = ["portal.view_matchevent", "portal.change_matchevent"]
    client = Client()
    client.force_login(make_user(office, DataScope.UNIT_AND_BELOW, perms))
    url = reverse("portal:event_edit", args=[event.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "越权", "slots": "X", "rooms": ROOMS}).status_code == 404
    assert state(event) == before
