from __future__ import annotations

from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "yanzhen.demand"
    label = "demand"
    verbose_name = "人才需求图谱"
    url_prefix = "demand/"
    nav_group = "人才需求"
    nav_order = 20
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("demand:demand_map", "需求图谱", "demand.view_talentneed"),
        ("demand:need_list", "人才需求", "demand.view_talentneed"),
        ("demand:campaign_list", "需求调查", "demand.view_surveycampaign"),
        ("demand:supply", "高校学科实力", None),
        ("demand:expert_list", "专家库", "demand.view_expert"),
        ("demand:recommend", "高校专家推荐", "demand.view_talentneed"),
        ("demand:visit_list", "对接走访清单", "demand.view_talentneed"),
        ("demand:held_list", "待确认导入", "demand.view_heldrow"),
        ("demand:trash", "已删除的需求和专家", "demand.delete_talentneed"),
    )
