"""The daily digest: one e-mail per user per day listing the unread notifications, when any
came in the last day; not for those who turned it off; never twice a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tests.notifications.conftest import Counties, work
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Delivery
from yanzhen.notifications.services import Choice, mark_read, notify, preferences_save

pytestmark = pytest.mark.django_db
ZONE = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, tzinfo=ZONE), tick=False) as t:
        yield t


def digest() -> str:
    import io

    out = io.StringIO()
    call_command("send_digest", stdout=out)
    work()
    return out.getvalue().strip()


def news(counties: Counties, n: int, kind: str = Event.REVIEW_DECIDED) -> None:
    notify(
        event=kind, about=counties.a_town, occasion=str(n), title=f"审核结果{n}",
        body="不在汇总中", url=f"/reviews/{n}/", units=[counties.a_town, counties.b_town],
    )  # fmt: skip


def test_one_digest_per_user_per_day_listing_the_unread(
    counties: Counties, clock: time_machine.Traveller
) -> None:
    news(counties, 1)
    clock.move_to(dt.datetime(2026, 11, 27, 10, 30, tzinfo=ZONE))
    news(counties, 2)
    mark_read(user=counties.b_clerk)
    work()
    assert mail.outbox == []  # decisions wait for the digest (no e-mail at once)
    clock.move_to(dt.datetime(2026, 11, 27, 17, 30, tzinfo=ZONE))
    assert digest() == "已排队汇总邮件 1 封"
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (
            ["clerk@a.example.org"],
            "【雁阵】2026-11-27 未读消息汇总（2 条）",
            "您在雁阵平台有 2 条未读消息：\n"
            "· 11-27 10:30 〔审核结果〕审核结果2  /reviews/2/\n"
            "· 11-27 09:00 〔审核结果〕审核结果1  /reviews/1/",
        )
    ]
    assert digest() == "已排队汇总邮件 0 封"
    assert len(mail.outbox) == 1
    clock.move_to(dt.datetime(2026, 11, 28, 17, 30, tzinfo=ZONE))  # nothing new since
    assert digest() == "已排队汇总邮件 0 封"
    news(counties, 3)
    assert digest() == "已排队汇总邮件 2 封"
    assert sorted((m.to[0], m.subject) for m in mail.outbox[1:]) == [
        ("clerk@a.example.org", "【雁阵】2026-11-28 未读消息汇总（3 条）"),
        ("clerk@b.example.org", "【雁阵】2026-11-28 未读消息汇总（1 条）"),
    ]
    assert Delivery.objects.filter(channel="digest").count() == 3


@pytest.mark.usefixtures("clock")
def test_no_digest_for_who_turned_it_off(counties: Counties) -> None:
    preferences_save(
        user=counties.a_clerk, choices={Event.REVIEW_DECIDED: Choice(True, True)}, digest=False
    )
    news(counties, 1)
    work()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["clerk@a.example.org"], "【雁阵】审核结果1")  # chose e-mail at once
    ]
    assert digest() == "已排队汇总邮件 1 封"
    assert mail.outbox[1].to == ["clerk@b.example.org"]
