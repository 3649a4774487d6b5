from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yanzhen.supervision"
    label = "supervision"
    verbose_name = "闭环管理"
