"""The demo's notifications, from actions the demo performs through the services (no text is
inserted): the office opens the January 2022 scheduling round (each base's lead department is
asked for its report) and assigns a problem to 开张镇 (due two weeks after the demo is
loaded), and the daily runs of 31 December 2021 remind the responsible units of what is
overdue or due and the employers and payers of talents' entitlements. The town's WeCom group
robot is configured, switched off (the demo sends nothing out).

Idempotent: nothing is done again once the demo robot is there. The roles get the permissions
of the robots (office, town) and of the failed deliveries (system administrator)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yanzhen.cooperation.models import Base
from yanzhen.core.models import Unit, User
from yanzhen.demo.loader import DemoResult, grant
from yanzhen.notifications.models import Notification, Robot, RobotKind
from yanzhen.notifications.services import robot_save
from yanzhen.supervision.models import RoundKind
from yanzhen.supervision.services import problem_raise, remind_due, round_open
from yanzhen.talent.services import reminders_send

ROBOT = [f"notifications.{action}_robot" for action in ("view", "add", "change", "delete")]
PERMISSIONS: dict[str, list[str]] = {
    "office": ROBOT,
    "town": ROBOT,
    "sysadmin": ["notifications.view_delivery"],
}
ROBOT_NAME = "开张镇工作群（演示，未启用）"
# A syntactically valid WeCom address whose key is no key.
ROBOT_URL = (
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000"
)
DAY = dt.date(2021, 12, 31)


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    if Robot.objects.filter(name=ROBOT_NAME).exists():
        return
    office = User.objects.filter(username="office").first()
    town = Unit.objects.filter(name="开张镇").first()
    bases = list(Base.objects.select_related("lead_department").order_by("sort_order", "id"))
    if office is None or town is None or not bases:
        return
    robot_save(
        actor=office,
        robot=None,
        unit=town,
        name=ROBOT_NAME,
        kind=RobotKind.WECOM,
        url=ROBOT_URL,
        secret="",
        is_active=False,
    )
    before = Notification.objects.count()
    round_open(
        actor=office,
        title="2022年1月省校合作工作调度",
        kind=RoundKind.MONTHLY,
        opened_on=dt.date(2022, 1, 20),
        deadline=dt.date(2022, 1, 25),
        bases=bases,
        note="请各基地牵头部门报送本月节点任务进展，并提出需协调解决的问题。",
    )
    problem_raise(
        actor=office,
        title="东开张村与太原理工大学共建实践基地的场地尚未落实",
        description="太原理工大学拟在东开张村设立大学生实践基地，需镇里协调落实场地和住宿。",
        raised_by_unit=office.unit or town,
        responsible_unit=town,
        deadline=timezone.localdate() + dt.timedelta(days=14),
    )
    remind_due(today=DAY)
    reminders_send(DAY)
    result.add("notifications", Notification.objects.count() - before)
