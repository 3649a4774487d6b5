from __future__ import annotations

from django.apps import AppConfig

from yanzhen.core.notify import notifier


class NotificationsConfig(AppConfig):
    name = "yanzhen.notifications"
    label = "notifications"
    verbose_name = "消息提醒"
    url_prefix = "notifications/"
    nav_group = "消息"
    nav_order = 95
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("notifications:list", "我的消息", None),
        ("notifications:preferences", "提醒设置", None),
        ("notifications:robot_list", "群机器人", "notifications.view_robot"),
        ("notifications:delivery_list", "发送失败记录", "notifications.view_delivery"),
    )

    def ready(self) -> None:
        # The services use the models (and the checks, which register themselves when
        # imported, the services): imported once the app registry is ready.
        from yanzhen.notifications import checks, services  # noqa: F401

        notifier.install(services)
