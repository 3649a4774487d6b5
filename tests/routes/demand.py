"""Access rules of the demand app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "demand:demand_map": "list",
    "demand:need_list": "list",
    "demand:need_new": "create",
    "demand:need_import": "create",
    "demand:need_import_template": "create",
    "demand:need_detail": "object:need",
    "demand:need_edit": "object:need",
    "demand:need_delete": "object:need",
    "demand:campaign_list": "list",
    "demand:campaign_new": "create",
    "demand:campaign_detail": "object:campaign",
    "demand:campaign_edit": "object:campaign",
    "demand:expert_list": "list",
    "demand:expert_new": "create",
    "demand:expert_import": "create",
    "demand:expert_import_template": "create",
    "demand:expert_detail": "object:expert",
    "demand:expert_edit": "object:expert",
    "demand:expert_delete": "object:expert",
    "demand:trash": "list",
    "demand:need_restore": "object:deleted_need",
    "demand:expert_restore": "object:deleted_expert",
    "demand:held_list": "list",
    "demand:held_resolve": "object:held",
    "demand:supply": "open",
    "demand:university": "open:university",
    "demand:recommend": "list",
    "demand:visit_list": "list",
    "api:demand_list_needs": "list",
    "api:demand_create_need": "create",
    "api:demand_get_need": "object:need",
    "api:demand_update_need": "object:need",
    "api:demand_need_recommendations": "object:need",
    "api:demand_recommend": "list",
    "api:demand_map": "list",
    "api:demand_list_campaigns": "list",
    "api:demand_get_campaign": "object:campaign",
    "api:demand_campaign_pending": "object:campaign",
    "api:demand_campaign_remind": "object:campaign",
    "api:demand_list_experts": "list",
    "api:demand_create_expert": "create",
    "api:demand_get_expert": "object:expert",
    "api:demand_university_needs": "open:university",
}


def object_ids() -> dict[str, int]:
    from yanzhen.demand import services
    from yanzhen.demand.models import Expert, HeldRow, SurveyCampaign, TalentNeed

    deleted_need = TalentNeed.objects.get(position="食品质量检测员")
    services.need_delete(actor=None, need=deleted_need)
    deleted_expert = Expert.objects.filter(university__name="四川大学").order_by("pk")[0]
    services.expert_delete(actor=None, expert=deleted_expert)
    return {
        "deleted_need": deleted_need.pk,
        "deleted_expert": deleted_expert.pk,
        "need": TalentNeed.objects.get(position="牵引电机控制算法工程师").pk,
        "campaign": SurveyCampaign.objects.get(title="2021年下半年产业人才需求调查").pk,
        "expert": Expert.objects.filter(university__name="西安交通大学").order_by("pk")[0].pk,
        "held": HeldRow.objects.filter(resolved_at__isnull=True).order_by("pk")[0].pk,
    }
