"""``notify``: once per recipient and event, never to the actor nor (through a unit) to an
administrator; e-mails and robot messages leave through the worker, never in the request; a
unit's notices go to its own robot or the nearest above it up to its county — never to
another county's group."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.notifications.conftest import Counties, FakeRobot, add_robot, work
from yanzhen.core.models import DataScope, Role, RoleKind, User
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Channel, Delivery, Notification
from yanzhen.notifications.services import Choice, notify, preferences_save, robot_batch

pytestmark = pytest.mark.django_db


def assign(c: Counties, **kwargs: object) -> list[Notification]:
    """The problem-assigned notice for 甲县东镇 (about the town itself, for the test)."""
    defaults: dict[str, object] = {
        "event": Event.PROBLEM_ASSIGNED,
        "about": c.a_town,
        "occasion": "2026-12-10",
        "title": "交办问题：用地审批慢，2026-12-10前办结",
        "body": "请协调自然资源局加快审批",
        "url": "/supervision/problems/7/",
        "units": [c.a_town],
    }
    return notify(**{**defaults, **kwargs})  # type: ignore[arg-type]


def test_each_user_of_the_unit_is_told_once_per_event(
    counties: Counties, make_user: Callable[..., User]
) -> None:
    second = make_user(counties.a_town)
    sent = assign(counties)
    assert [n.recipient for n in sent] == [counties.a_clerk, second]
    assert assign(counties) == []
    assert assign(counties, title="改了标题也不再发") == []
    later = assign(counties, occasion="2026-12-20")  # a new deadline is a new event
    assert len(later) == 2
    assert Notification.objects.count() == 4
    assert set(Notification.objects.values_list("kind", "subject")) == {
        ("problem.assigned", f"core.unit:{counties.a_town.pk}")
    }


def test_the_actor_is_not_told_of_their_own_action(counties: Counties) -> None:
    assert assign(counties, actor=counties.a_clerk) == []
    assert Notification.objects.count() == 0


def test_an_administrator_of_the_unit_is_reached_only_by_name(
    counties: Counties, make_user: Callable[..., User]
) -> None:
    admin = make_user(counties.a_town)
    admin.roles.set(
        [Role.objects.create(code="sys", name="系统管理员", kind=RoleKind.SYSTEM_ADMIN)]
    )
    assert [n.recipient for n in assign(counties)] == [counties.a_clerk]
    named = notify(event=Event.DELIVERY_FAILED, about=admin, title="消息发送失败", users=[admin])
    assert [n.recipient for n in named] == [admin]


def test_an_unknown_event_is_refused(counties: Counties) -> None:
    with pytest.raises(ValueError, match="unknown notification event 'overdue'"):
        notify(event="overdue", about=counties.a_town, title="逾期", units=[counties.a_town])


def test_mail_leaves_through_the_worker_not_in_the_request(counties: Counties) -> None:
    assign(counties)
    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.state, delivery.host) == (
        "email",
        "pending",
        "a.example.org",
    )
    assert work() == 1
    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        (
            "【雁阵】交办问题：用地审批慢，2026-12-10前办结",
            ["clerk@a.example.org"],
            "请协调自然资源局加快审批\n\n/supervision/problems/7/",
        )
    ]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.error) == ("sent", 1, "")


def test_county_a_items_never_reach_county_b_robot(
    counties: Counties, fake_robots: Callable[..., FakeRobot]
) -> None:
    a_group, b_group = fake_robots(), fake_robots()
    add_robot(counties.a, a_group.url)
    add_robot(counties.b_town, b_group.url)
    assign(counties)
    work()
    assert a_group.texts() == [
        "【雁阵】交办问题：用地审批慢，2026-12-10前办结\n请协调自然资源局加快审批\n"
        "/supervision/problems/7/"
    ]
    assert b_group.received == []
    notify(
        event=Event.PROBLEM_ASSIGNED, about=counties.b_town, title="乙县的问题",
        units=[counties.b_town],
    )  # fmt: skip
    work()
    assert b_group.texts() == ["【雁阵】乙县的问题"]
    assert len(a_group.received) == 1


def test_the_nearest_robot_up_to_the_county_takes_the_notice(
    counties: Counties, fake_robots: Callable[..., FakeRobot]
) -> None:
    town_group, county_group = fake_robots(), fake_robots()
    add_robot(counties.a_town, town_group.url)
    add_robot(counties.a, county_group.url)
    notify(
        event=Event.REMINDER, about=counties.a_village, occasion="2026-11-27",
        title="11月27日提醒：逾期 1 项", units=[counties.a_village],
    )  # fmt: skip
    work()
    assert town_group.texts() == ["【雁阵】11月27日提醒：逾期 1 项"]
    assert county_group.received == []


def test_nothing_goes_to_a_robot_above_the_county(
    counties: Counties, fake_robots: Callable[..., FakeRobot]
) -> None:
    city_group = fake_robots()
    city = counties.a.parent
    assert city is not None
    add_robot(city, city_group.url)
    assign(counties)
    assert Delivery.objects.filter(channel=Channel.WEBHOOK).count() == 0


def test_one_robot_message_per_event_whatever_the_recipients(
    counties: Counties, fake_robots: Callable[..., FakeRobot], make_user: Callable[..., User]
) -> None:
    group = fake_robots()
    add_robot(counties.a, group.url)
    make_user(counties.a_town)
    notify(
        event=Event.ROUND_OPENED, about=counties.a, occasion="base:1", title="请报送调度",
        units=[counties.a_town, counties.a_village, counties.a],
    )  # fmt: skip
    robot_delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert robot_delivery.notifications.count() == 4
    work()
    assert group.texts() == ["【雁阵】请报送调度"]


def test_an_inactive_robot_is_passed_over(
    counties: Counties, fake_robots: Callable[..., FakeRobot]
) -> None:
    group = fake_robots()
    robot = add_robot(counties.a_town, group.url)
    robot.is_active = False
    robot.save()
    assign(counties)
    assert not Delivery.objects.filter(channel=Channel.WEBHOOK).exists()


def test_dingtalk_signing_adds_timestamp_and_sign(
    counties: Counties, fake_robots: Callable[..., FakeRobot]
) -> None:
    group = fake_robots()
    add_robot(counties.a_town, group.url, secret="SEC123")
    assign(counties)
    work()
    path = group.received[0][0]
    assert path.startswith("/cgi-bin/webhook/send?key=SECRET-KEY&timestamp=")
    assert "&sign=" in path


def test_preferences_decide_mail_and_robot_per_kind(
    counties: Counties, fake_robots: Callable[..., FakeRobot]
) -> None:
    group = fake_robots()
    add_robot(counties.a_town, group.url)
    preferences_save(
        user=counties.a_clerk,
        choices={Event.PROBLEM_ASSIGNED: Choice(email=False, robot=False)},
        digest=True,
    )
    assign(counties)
    assert Notification.objects.filter(recipient=counties.a_clerk).count() == 1  # always
    assert Delivery.objects.count() == 0
    notify(event=Event.ESCALATION, about=counties.a_town, title="【督办】", units=[counties.a_town])
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "webhook"]


def test_personal_data_kinds_never_go_to_a_group_by_default(
    counties: Counties, fake_robots: Callable[..., FakeRobot]
) -> None:
    add_robot(counties.a_town, fake_robots().url)
    notify(
        event=Event.TALENT_REMINDER, about=counties.a_town, title="张三的生活补贴将到期",
        units=[counties.a_town],
    )  # fmt: skip
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]


def test_users_read_only_their_own_and_opening_one_marks_it_read(
    counties: Counties, make_user: Callable[..., User]
) -> None:
    other = make_user(counties.a_town, DataScope.UNIT)
    [mine] = notify(
        event=Event.PROBLEM_ASSIGNED, about=counties.a_town, title="给第一位",
        url="/supervision/problems/7/", users=[counties.a_clerk],
    )  # fmt: skip
    client = Client()
    client.force_login(other)
    assert "给第一位" not in client.get(reverse("notifications:list")).content.decode()
    assert client.get(reverse("notifications:open", args=[mine.pk])).status_code == 404
    client.force_login(counties.a_clerk)
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<span class="tag gap">1</span>' in page  # the unread count in the header
    assert "问题交办" in page
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert (response.status_code, response["Location"]) == (302, "/supervision/problems/7/")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_notice_pointing_elsewhere_opens_the_inbox(counties: Counties) -> None:
    [notice] = notify(
        event=Event.REMINDER, about=counties.a_town, title="外链", url="https://evil.example/x",
        users=[counties.a_clerk],
    )  # fmt: skip
    client = Client()
    client.force_login(counties.a_clerk)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read(counties: Counties) -> None:
    assign(counties)
    client = Client()
    client.force_login(counties.a_clerk)
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert Notification.objects.get().read_at is not None


def test_a_daily_run_posts_one_message_per_robot(
    counties: Counties, fake_robots: Callable[..., FakeRobot]
) -> None:
    group = fake_robots()
    add_robot(counties.a, group.url)
    with robot_batch():
        for n in (1, 2, 2):
            notify(
                event=Event.REMINDER, about=counties.a_town, occasion=f"day{n}",
                title=f"提醒{n}", units=[counties.a_town, counties.a_village],
            )  # fmt: skip
        assert Delivery.objects.filter(channel=Channel.WEBHOOK).count() == 0
    work()
    assert group.texts() == ["【雁阵】2 条提醒\n· 提醒1\n· 提醒2"]
