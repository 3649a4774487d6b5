"""Reminders of expiring entitlements, insurance renewals and due visits and check-ups, with
time frozen: through ``notifications.notify`` once per reminder, sent by e-mail, and the daily
command."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from tests.talent.conftest import World, benefit
from yanzhen.benefits import services
from yanzhen.benefits.models import Entitlement
from yanzhen.core.models import User
from yanzhen.jobs.worker import run_ready
from yanzhen.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date


@pytest.fixture
def due(world: World) -> dict[str, Entitlement]:
    rules = {
        "subsidy": benefit(world, "subsidy", "living_subsidy", name="本科生活补贴",
                           monthly_amount=Decimal(800), duration_months=6),
        "insurance": benefit(world, "insurance", "insurance", name="意外保险", amount=Decimal(300),
                             duration_months=12),
        "visit": benefit(world, "visit", "visit", name="走访慰问", amount=Decimal(500),
                         interval_months=6, duration_months=36),
    }  # fmt: skip
    for item in rules.values():
        services.rule_create(actor=None, benefit=item, name="全职", talent_types=["full_time"])
    july = world.talent("张三", degree="bachelor", start=D(2021, 7, 1))
    january = world.talent("李四", degree="master", start=D(2021, 1, 10))
    march = world.talent("王五", degree="master", start=D(2021, 3, 1), unit=world.town)
    november = world.talent("赵六", degree="master", start=D(2021, 11, 1))
    services.entitlements_generate(
        actor=None, talents=[july, january, march, november], on=D(2021, 12, 1)
    )
    visit = Entitlement.objects.get(talent=march, benefit=rules["visit"])
    services.delivery_create(actor=None, entitlement=visit, date=D(2021, 5, 1))
    first_visit = Entitlement.objects.get(talent=january, benefit=rules["visit"])
    services.delivery_create(actor=None, entitlement=first_visit, date=D(2021, 12, 1))
    return {"visit": visit}


def test_what_is_due_around_a_day(world: World, due: dict[str, Entitlement]) -> None:
    found = [(r.category, r.entitlement.talent.person.name, r.due, r.title)
             for r in services.reminders_due(D(2021, 12, 20))]  # fmt: skip
    assert found == [
        ("visit", "王五", D(2021, 11, 1), "王五（甲镇）应于2021-11-01前走访慰问（走访慰问）"),
        ("expiring", "张三", D(2021, 12, 31), "张三（甲公司）的本科生活补贴将于2021-12-31到期"),
        ("insurance", "李四", D(2022, 1, 9), "李四（甲公司）的意外保险将于2022-01-09到期，请办理续保"),
    ]  # fmt: skip
    assert [r.category for r in services.reminders_due(D(2021, 12, 1))] == ["visit", "expiring"]
    assert [r.category for r in services.reminders_due(D(2021, 10, 20))] == []
    assert [(r.category, r.entitlement.talent.person.name) for r in
            services.reminders_due(D(2022, 4, 25))] == [
        ("visit", "王五"), ("visit", "张三"), ("expiring", "赵六"), ("visit", "赵六"),
    ]  # fmt: skip
    services.delivery_create(actor=None, entitlement=due["visit"], date=D(2021, 12, 20))
    assert [r.category for r in services.reminders_due(D(2021, 12, 20))] == [
        "expiring",
        "insurance",
    ]


def test_reminders_reach_the_employer_and_the_payer_once_by_mail_too(
    world: World, due: dict[str, Entitlement], make_user: Callable[..., User], settings: object
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    clerk = make_user(world.firm)
    clerk.email = "hr@example.org"
    clerk.save()
    town_clerk = make_user(world.town)
    payer = make_user(world.hrss)
    reminders, sent = services.reminders_send(D(2021, 12, 20))
    assert len(reminders) == 3
    assert sorted((n.recipient.username, n.title) for n in sent) == sorted([
        (clerk.username, "张三（甲公司）的本科生活补贴将于2021-12-31到期"),
        (clerk.username, "李四（甲公司）的意外保险将于2022-01-09到期，请办理续保"),
        (town_clerk.username, "王五（甲镇）应于2021-11-01前走访慰问（走访慰问）"),
        (payer.username, "张三（甲公司）的本科生活补贴将于2021-12-31到期"),
        (payer.username, "李四（甲公司）的意外保险将于2022-01-09到期，请办理续保"),
        (payer.username, "王五（甲镇）应于2021-11-01前走访慰问（走访慰问）"),
    ])  # fmt: skip
    assert mail.outbox == []  # the worker sends them
    assert run_ready() == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "【雁阵】张三（甲公司）的本科生活补贴将于2021-12-31到期",
        "【雁阵】李四（甲公司）的意外保险将于2022-01-09到期，请办理续保",
    ]
    entitlement = Entitlement.objects.get(talent__person__name="张三", benefit__code="subsidy")
    assert Notification.objects.filter(recipient=clerk).order_by("pk")[0].url == (
        f"/talent/entitlements/{entitlement.pk}/"
    )
    again = services.reminders_send(D(2021, 12, 21))
    assert (len(again[0]), again[1]) == (3, [])
    assert run_ready() == 0
    assert Notification.objects.count() == 6


@pytest.mark.usefixtures("due")
def test_the_daily_command_lists_or_sends(world: World, make_user: Callable[..., User]) -> None:
    make_user(world.hrss)
    out = io.StringIO()
    call_command("send_talent_reminders", "--date", "2021-12-20", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "2021-11-01 走访到期：王五（甲镇）应于2021-11-01前走访慰问（走访慰问）",
        "2021-12-31 待遇即将到期：张三（甲公司）的本科生活补贴将于2021-12-31到期",
        "2022-01-09 保险待续保：李四（甲公司）的意外保险将于2022-01-09到期，请办理续保",
    ]
    assert Notification.objects.count() == 0
    out = io.StringIO()
    call_command("send_talent_reminders", stdout=out)
    assert (
        out.getvalue().strip()
        == "2021-12-20：提醒 3 项，新消息 3 条，待发送邮件 0 封，群机器人消息 0 条"
    )


@pytest.fixture
def checkups(world: World) -> dict[str, Entitlement]:
    """A yearly check-up for full-time talents: 周七's first one falls due on 2021-12-25 (a
    year after he started), 吴八's was done on 2021-03-01 and is due again in 2022."""
    checkup = benefit(world, "checkup", "checkup", name="年度健康体检", amount=Decimal(600),
                      interval_months=12, duration_months=36)  # fmt: skip
    services.rule_create(actor=None, benefit=checkup, name="全职", talent_types=["full_time"])
    due = world.talent("周七", start=D(2020, 12, 25))
    done = world.talent("吴八", start=D(2020, 3, 1), unit=world.town)
    services.entitlements_generate(actor=None, talents=[due, done], on=D(2021, 12, 1))
    later = Entitlement.objects.get(talent=done, benefit=checkup)
    services.delivery_create(actor=None, entitlement=later, date=D(2021, 3, 1))
    return {"due": Entitlement.objects.get(talent=due, benefit=checkup), "later": later}


def test_a_due_check_up_is_notified_once_to_the_employer_and_the_payer(
    world: World,
    checkups: dict[str, Entitlement],
    make_user: Callable[..., User],
    settings: object,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    clerk = make_user(world.firm)
    clerk.email = "hr@example.org"
    clerk.save()
    town_clerk = make_user(world.town)
    payer = make_user(world.hrss)
    make_user(world.other_firm)
    title = "周七（甲公司）应于2021-12-25前健康体检（年度健康体检）"
    out = io.StringIO()
    call_command("send_talent_reminders", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [f"2021-12-25 体检到期：{title}"]

    out = io.StringIO()
    call_command("send_talent_reminders", stdout=out)  # today: 2021-12-20, time frozen
    assert out.getvalue().strip() == (
        "2021-12-20：提醒 1 项，新消息 2 条，待发送邮件 1 封，群机器人消息 0 条"
    )
    run_ready()
    url = f"/talent/entitlements/{checkups['due'].pk}/"
    assert [
        (n.recipient.username, n.kind, n.title, n.body, n.url, n.subject, n.occasion)
        for n in Notification.objects.select_related("recipient").order_by("recipient_id")
    ] == [
        (user.username, "talent.reminder", title, f"体检到期：{title}。", url,
         f"benefits.entitlement:{checkups['due'].pk}", "checkup:2021-12-25")
        for user in (clerk, payer)
    ]  # fmt: skip
    assert not Notification.objects.filter(recipient=town_clerk).exists()
    assert [(m.to, m.subject) for m in mail.outbox] == [(["hr@example.org"], f"【雁阵】{title}")]

    out = io.StringIO()
    call_command("send_talent_reminders", stdout=out)  # the same day again: nothing new
    assert out.getvalue().strip() == (
        "2021-12-20：提醒 1 项，新消息 0 条，待发送邮件 0 封，群机器人消息 0 条"
    )
    run_ready()
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 1


def test_a_recorded_check_up_moves_the_next_one_a_year_on(
    checkups: dict[str, Entitlement],
) -> None:
    assert [(r.category, r.entitlement.talent.person.name, r.due)
            for r in services.reminders_due(D(2022, 2, 25))] == [
        ("checkup", "周七", D(2021, 12, 25)), ("checkup", "吴八", D(2022, 3, 1)),
    ]  # fmt: skip
    services.delivery_create(actor=None, entitlement=checkups["due"], date=D(2021, 12, 18))
    assert [(r.entitlement.talent.person.name, r.due)
            for r in services.reminders_due(D(2022, 2, 25))] == [("吴八", D(2022, 3, 1))]  # fmt: skip
    # 吴八's, not recorded, stays overdue; 周七's next one is a year after the last.
    assert [r.due for r in services.reminders_due(D(2022, 12, 11))] == [
        D(2022, 3, 1),
        D(2022, 12, 18),
    ]
    assert [r.due for r in services.reminders_due(D(2022, 12, 10))] == [D(2022, 3, 1)]
