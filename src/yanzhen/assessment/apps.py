from __future__ import annotations

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "yanzhen.assessment"
    label = "assessment"
    verbose_name = "量化考核"
    url_prefix = "assessment/"
    nav_group = "量化考核"
    nav_order = 30
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("assessment:period_list", "考核结果", "assessment.view_period"),
        ("assessment:trend", "得分趋势", "assessment.view_period"),
        ("assessment:appeal_list", "考核申诉", "assessment.view_score"),
        ("assessment:system_list", "指标体系", "assessment.view_indicatorsystem"),
    )
