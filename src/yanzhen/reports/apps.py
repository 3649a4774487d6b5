from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yanzhen.reports"
    label = "reports"
    verbose_name = "统计报表"
