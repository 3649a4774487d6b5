"""催报 in one click: every unit that has not handed in is told once (in the platform, and
its group robot), however often the office clicks; the daily reminder before and after the
deadline; the late and missing units listed on the task's page."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from tests.reporting.conftest import World, create_task, post, put, submission_of
from yanzhen.notifications.models import Channel, Delivery, Notification, Robot
from yanzhen.reporting.models import Task

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-OF-THE-TOWN"


def _hand_in(world: World, task_id: int) -> None:
    pk = submission_of(task_id, world.town1)
    town = world.client("town1")
    put(town, f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": 1}})
    assert post(town, f"/api/v1/reporting/submissions/{pk}/submit", {}).status_code == 200


def test_remind_tells_each_missing_unit_exactly_once(world: World) -> None:
    robot = Robot.objects.create(unit=world.town2, name="乙镇工作群", kind="wecom", url=WECOM)
    task_id = create_task(world)
    _hand_in(world, task_id)
    office = world.client("office")
    for _ in range(2):  # the office clicks twice
        response = office.post(f"/reporting/{task_id}/remind/")
        assert response.status_code == 302
    told = Notification.objects.filter(kind="reporting.due").order_by("recipient_id")
    assert [(n.recipient.username, n.title) for n in told] == [
        (world.users["town2"].username, "催报：请于2021-12-31前填报“四季度数据填报”"),
        (world.users["street"].username, "催报：请于2021-12-31前填报“四季度数据填报”"),
    ]
    robot_messages = Delivery.objects.filter(
        channel=Channel.WEBHOOK, notifications__kind="reporting.due"
    ).distinct()
    assert list(robot_messages.values_list("robot", flat=True)) == [robot.pk]


def test_remind_is_for_the_office_only(world: World) -> None:
    task_id = create_task(world)
    assert world.client("town1").post(f"/reporting/{task_id}/remind/").status_code == 403
    assert Notification.objects.filter(kind="reporting.due").count() == 0


def test_the_daily_reminder_runs_two_days_before_and_the_day_after(world: World) -> None:
    task_id = create_task(world)
    _hand_in(world, task_id)
    for day in ("2021-12-28", "2021-12-29", "2021-12-30", "2022-01-01", "2022-01-02"):
        call_command("remind_reporting", "--date", day, stdout=None)
    titles = sorted(
        Notification.objects.filter(
            kind="reporting.due", recipient=world.users["town2"]
        ).values_list("title", flat=True)
    )
    assert titles == [
        "催报：“四季度数据填报”已逾期（截止2021-12-31），请尽快填报",
        "催报：请于2021-12-31前填报“四季度数据填报”",
    ]
    assert not Notification.objects.filter(kind="reporting.due", recipient=world.users["town1"])
    assert Task.objects.get(pk=task_id).state == "issued"


def test_the_task_page_lists_the_missing_and_late_units(world: World, clock: object) -> None:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town2)
    put(world.client("town2"), f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": 2}})
    clock.move_to(dt.datetime(2022, 1, 3, 2, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    post(world.client("town2"), f"/api/v1/reporting/submissions/{pk}/submit", {})
    html = world.client("office").get(f"/reporting/{task_id}/").content.decode()
    assert "未报单位（2）" in html
    assert "甲镇</a>（未填报）" in html
    assert "丙街道</a>（未填报）" in html
    assert "逾期提交（1）" in html
    assert "乙镇（2022-01-03 10:00）" in html
