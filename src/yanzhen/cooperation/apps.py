from __future__ import annotations

from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "yanzhen.cooperation"
    label = "cooperation"
    verbose_name = "省校合作"
    nav_group = "省校合作"
    nav_order = 10
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("cooperation:cooperation_list", "合作台账", "cooperation.view_cooperation"),
        ("cooperation:base_list", "合作基地", "cooperation.view_base"),
        ("cooperation:partner_list", "合作高校", "cooperation.view_cooperation"),
        ("cooperation:activity_list", "对接活动", "cooperation.view_activity"),
        ("cooperation:secondment_list", "挂职交流", "cooperation.view_secondment"),
    )

    def ready(self) -> None:
        # The review of lower units' reports registers its flow (core.workflow) on import,
        # once the models are ready.
        from yanzhen.cooperation.services import review  # noqa: F401
