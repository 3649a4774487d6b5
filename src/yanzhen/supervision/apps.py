from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yanzhen.supervision"
    label = "supervision"
    verbose_name = "闭环管理"
    nav_group = "闭环管理"
    nav_order = 20
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("supervision:board", "基地推进总览", "supervision.view_milestone"),
        ("supervision:leader", "领导工作台", "supervision.view_milestone"),
        ("supervision:milestone_list", "工作方案节点", "supervision.view_milestone"),
        ("supervision:round_list", "工作调度", "supervision.view_round"),
        ("supervision:problem_list", "问题清单", "supervision.view_problem"),
        ("supervision:action_item_list", "会议决定事项", "supervision.view_actionitem"),
    )
