from __future__ import annotations

from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "yanzhen.demand"
    label = "demand"
    verbose_name = "人才需求图谱"
    url_prefix = "demand/"
