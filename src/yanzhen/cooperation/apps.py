from __future__ import annotations

from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "yanzhen.cooperation"
    label = "cooperation"
    verbose_name = "省校合作"
