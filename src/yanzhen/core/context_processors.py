"""Template context shared by every page: the navigation the user may see."""

from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    items = [
        ("reports:dashboard", "工作看板", None),
        ("cooperation:list", "合作台账", "cooperation.view_cooperation"),
        ("cooperation:base_list", "合作基地", "cooperation.view_base"),
        ("cooperation:activity_list", "对接活动", "cooperation.view_activity"),
        ("cooperation:secondment_list", "挂职交流", "cooperation.view_secondment"),
        ("core:unit_list", "单位", "core.view_unit"),
        ("core:person_list", "人员", "core.view_person"),
        ("reference:university_list", "高校库", None),
    ]
    return {
        "nav_items": [
            (name, label) for name, label, perm in items if perm is None or user.has_perm(perm)
        ]
    }
