from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "yanzhen.demo"
    label = "demo"
    verbose_name = "演示数据"
