from __future__ import annotations

from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "yanzhen.cooperation"
    label = "cooperation"
    verbose_name = "省校合作"

    def ready(self) -> None:
        # The review of lower units' reports and of the landed projects' yearly follow-ups
        # register their flows (core.workflow) on import, once the models are ready.
        from yanzhen.cooperation.services import followups, review  # noqa: F401
