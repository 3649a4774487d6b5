from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yanzhen.reports"
    label = "reports"
    url_prefix = ""
    verbose_name = "统计报表"
