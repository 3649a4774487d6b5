from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "yanzhen.reporting"
    label = "reporting"
    verbose_name = "数据填报"
