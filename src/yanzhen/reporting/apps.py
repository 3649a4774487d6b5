from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "yanzhen.reporting"
    label = "reporting"
    verbose_name = "数据填报"
    nav_group = "闭环管理"
    nav_order = 21
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("reporting:task_list", "数据填报", "reporting.view_task"),
    )
