from __future__ import annotations

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "yanzhen.assessment"
    label = "assessment"
    verbose_name = "量化考核"
    url_prefix = "assessment/"
