"""Access rules of the notifications app (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "notifications:list": "list",
    "notifications:open": "object:notification",
    "notifications:mark_all_read": "create",
    "notifications:preferences": "create",
    "notifications:robot_list": "list",
    "notifications:robot_create": "create",
    "notifications:robot_edit": "object:robot",
    "notifications:robot_delete": "object:robot",
    "notifications:delivery_list": "global",
    "api:list_notifications": "list",
    "api:mark_notifications_read": "create",
}


def object_ids() -> dict[str, int]:
    """A notification in the office's inbox and the town's robot, from the demo's actions."""
    from yanzhen.notifications.models import Notification, Robot

    notice = Notification.objects.filter(recipient__username="office").order_by("pk").first()
    robot = Robot.objects.order_by("pk").first()
    assert notice is not None, "the demo notifies the office"
    assert robot is not None, "the demo configures the town's robot"
    return {"notification": notice.pk, "robot": robot.pk}
