"""A failed delivery is retried with exponential backoff and given up after the last attempt
(time frozen); the system administrator is then told by channel and host — never the title or
the body — on the failed deliveries' page and in the inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from tests.conftest import make_role
from tests.notifications.conftest import Counties, FakeRobot, add_robot, work
from yanzhen.core.models import Role, RoleKind, User
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Delivery, Notification
from yanzhen.notifications.services import DELIVERY_BACKOFF, notify

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TITLE = "交办问题：机密标题"
BODY = "机密内容：不得出现在失败记录中"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sysadmin(make_user: Callable[..., User]) -> User:
    user = make_user(None)
    role = make_role("sys_admin", "all", ["notifications.view_delivery"])
    role.kind = RoleKind.SYSTEM_ADMIN
    role.save()
    user.roles.set([role])
    user.email = "ops@example.org"
    user.save()
    return user


def verified(user: User) -> Client:
    """A client of ``user`` signed in with the second factor (administrators need it)."""
    device = TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def attempts() -> list[tuple[str, int, str]]:
    return [(d.state, d.attempts, d.error) for d in Delivery.objects.order_by("pk")]


def run_at(clock: time_machine.Traveller, when: dt.datetime) -> int:
    clock.move_to(when)
    return work()


def test_the_backoff_doubles_and_gives_up() -> None:
    assert [DELIVERY_BACKOFF.delay(n) for n in range(1, 6)] == [
        dt.timedelta(minutes=m) for m in (2, 4, 8, 16, 32)
    ]
    assert DELIVERY_BACKOFF.next_attempt(6, START) is None


def test_a_failing_robot_is_retried_with_backoff_then_given_up(
    counties: Counties,
    fake_robots: Callable[..., FakeRobot],
    clock: time_machine.Traveller,
    sysadmin: User,
) -> None:
    group = fake_robots({"errcode": 93000, "errmsg": "invalid webhook url"})
    add_robot(counties.a_town, group.url)
    counties.a_clerk.email = ""
    counties.a_clerk.save()
    notify(event=Event.PROBLEM_ASSIGNED, about=counties.a_town, title=TITLE, body=BODY,
           units=[counties.a_town])  # fmt: skip
    assert work() == 1
    error = "机器人返回错误 93000: invalid webhook url"
    assert attempts() == [("retrying", 1, error)]
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at == START + dt.timedelta(minutes=2)
    # Not before its time: the task waits.
    assert run_at(clock, START + dt.timedelta(minutes=1, seconds=59)) == 0
    when = START
    for n, wait in enumerate((2, 4, 8, 16), start=2):
        when += dt.timedelta(minutes=wait)
        assert run_at(clock, when) == 1
        assert attempts() == [("retrying", n, error)]
    when += dt.timedelta(minutes=32)
    assert run_at(clock, when) == 2  # the last attempt, then the administrator's e-mail
    assert attempts() == [("failed", 6, error), ("sent", 1, "")]
    assert len(group.received) == 6
    assert run_at(clock, when + dt.timedelta(days=1)) == 0  # given up: never again
    assert len(group.received) == 6
    [told] = Notification.objects.filter(recipient=sysadmin)
    assert (told.kind, told.title, told.body) == (
        "delivery.failed",
        f"消息发送失败：群机器人 {group.host}",
        f"已尝试 6 次，最后一次错误：{error}",
    )
    assert [m.subject for m in mail.outbox] == [f"【雁阵】消息发送失败：群机器人 {group.host}"]
    assert TITLE not in mail.outbox[0].body
    assert BODY not in mail.outbox[0].body


def test_a_delivery_that_succeeds_on_a_retry_is_sent(
    counties: Counties, fake_robots: Callable[..., FakeRobot], clock: time_machine.Traveller
) -> None:
    group = fake_robots({"errcode": 45009, "errmsg": "api freq out of limit"})
    add_robot(counties.a_town, group.url)
    counties.a_clerk.email = ""
    counties.a_clerk.save()
    notify(event=Event.ESCALATION, about=counties.a_town, title="【督办】", units=[counties.a_town])
    work()
    group.answer = {"errcode": 0, "errmsg": "ok"}
    assert run_at(clock, START + dt.timedelta(minutes=2)) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.sent_at) == (
        "sent",
        2,
        START + dt.timedelta(minutes=2),
    )
    assert delivery.error == ""
    assert run_at(clock, START + dt.timedelta(hours=2)) == 0
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_an_unreachable_mail_server_is_retried(
    counties: Counties, clock: time_machine.Traveller, settings: object
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # type: ignore[attr-defined]
    notify(event=Event.ESCALATION, about=counties.a_town, title=TITLE, units=[counties.a_town])
    work()
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.state, delivery.attempts, delivery.host) == (
        "email",
        "retrying",
        1,
        "a.example.org",
    )
    assert "Connection refused" in delivery.error


def test_the_failed_deliveries_page_shows_no_title_or_body(
    counties: Counties,
    fake_robots: Callable[..., FakeRobot],
    clock: time_machine.Traveller,
    sysadmin: User,
    make_user: Callable[..., User],
) -> None:
    group = fake_robots({"errcode": 93000, "errmsg": "invalid webhook url"})
    add_robot(counties.a_town, group.url)
    notify(event=Event.PROBLEM_ASSIGNED, about=counties.a_town, title=TITLE, body=BODY,
           url="/supervision/problems/7/", units=[counties.a_town])  # fmt: skip
    work()
    client = verified(sysadmin)
    page = client.get(reverse("notifications:delivery_list")).content.decode()
    for shown in ("群机器人", group.host, "机器人返回错误 93000: invalid webhook url", "等待重试",
                  "2026-11-27 09:00"):  # fmt: skip
        assert shown in page, shown
    for hidden in (TITLE, BODY, "SECRET-KEY", "/supervision/problems/7/", "clerk@a.example.org"):
        assert hidden not in page, hidden
    failed = client.get(reverse("notifications:delivery_list") + "?state=failed")
    assert "没有发送失败的记录" in failed.content.decode()
    office = make_user(counties.a, "all", ["notifications.view_robot"])
    client.force_login(office)
    assert client.get(reverse("notifications:delivery_list")).status_code == 403


def test_no_business_role_may_hold_the_failed_deliveries_permission() -> None:
    from django.contrib.auth.models import Permission

    from yanzhen.accounts.separation import may_hold

    view = Permission.objects.get(content_type__app_label="notifications", codename="view_delivery")
    assert [k for k in ("business", "system_admin", "security_admin", "auditor")
            if may_hold(k, view)] == ["system_admin"]  # fmt: skip
    robots = Permission.objects.get(content_type__app_label="notifications", codename="add_robot")
    assert may_hold("business", robots)
    assert not may_hold("system_admin", robots)
    assert Role.objects.filter(kind=RoleKind.SYSTEM_ADMIN).count() == 0
