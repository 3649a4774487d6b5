from __future__ import annotations

from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "yanzhen.talent"
    label = "talent"
    verbose_name = "人才工作"
    url_prefix = "talent/"
    nav_group = "人才工作"
    nav_order = 30
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("talent:talent_list", "人才库", "talent.view_talent"),
        ("talent:talent_stats", "人才统计", "talent.view_talent"),
        ("talent:campaign_list", "招聘活动", "talent.view_campaign"),
        ("talent:applicant_list", "报名人员", "talent.view_applicant"),
        ("talent:programme_list", "分配项目", "talent.view_programme"),
        ("talent:internship_list", "实习实训", "talent.view_internship"),
        ("talent:college_list", "培训学院", "college.view_college"),
    )

    def ready(self) -> None:
        # The registry's entry of each secondee follows its secondment, the one record of
        # it (the ledger never imports this app: the follower is registered from here).
        from yanzhen.cooperation.services.secondments import follow_secondments
        from yanzhen.talent.services.registry import secondment_follow

        follow_secondments(secondment_follow)
