"""The demo's notification settings: the town's WeCom group robot, configured but switched off
(the demo sends nothing out of the platform), and the permissions of the robots (office, town)
and of the failed deliveries (system administrator). The demo's notifications themselves come
from what the other parts of the demo do through the services (supervision: a round opened, a
problem assigned, the daily reminders; talent: the reminders of entitlements).

Idempotent: the robot is added once."""

from __future__ import annotations

from yanzhen.core.models import Unit, User
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.notifications.models import Robot, RobotKind
from yanzhen.notifications.services import robot_save

ROBOT = [f"notifications.{action}_robot" for action in ("view", "add", "change", "delete")]
PERMISSIONS: dict[str, list[str]] = {
    "office": ROBOT,
    "town": ROBOT,
    "sysadmin": ["notifications.view_delivery"],
}
ROBOT_NAME = "开张镇工作群（演示，未启用）"
# A well-formed WeCom address whose key is no key.
ROBOT_URL = (
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000"
)


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    if Robot.objects.filter(name=ROBOT_NAME).exists():
        return
    office = User.objects.filter(username="office").first()
    town = Unit.objects.filter(name="开张镇").first()
    if office is None or town is None:
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
    result.add("robots")
