from __future__ import annotations

from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "yanzhen.talent"
    label = "talent"
    verbose_name = "人才工作"
    url_prefix = "talent/"
