from __future__ import annotations

from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "yanzhen.talent"
    label = "talent"
    verbose_name = "人才工作"
    url_prefix = "talent/"

    def ready(self) -> None:
        # The registry's entry of each secondee follows its secondment, the one record of
        # it (the ledger never imports this app: the follower is registered from here).
        from yanzhen.cooperation.services.secondments import follow_secondments
        from yanzhen.talent.services.registry import secondment_follow

        follow_secondments(secondment_follow)
