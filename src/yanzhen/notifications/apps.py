from __future__ import annotations

from django.apps import AppConfig

from yanzhen.core.notify import notifier


class NotificationsConfig(AppConfig):
    name = "yanzhen.notifications"
    label = "notifications"
    verbose_name = "消息提醒"
    url_prefix = "notifications/"

    def ready(self) -> None:
        # The services use the models (and the checks, which register themselves when
        # imported, the services): imported once the app registry is ready.
        from yanzhen.notifications import checks, services  # noqa: F401

        notifier.install(services)
