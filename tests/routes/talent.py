"""Access rules of the talent app's pages and API routes (see tests/routes/__init__.py).

Pages that change something are named ``*_new``, ``*_edit``, ``*_move`` or ``*_delete``: the
leader (who reads everything and changes nothing) gets 403 there, 200 everywhere else."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    # Registry
    "talent:talent_list": "list",
    "talent:talent_stats": "list",
    "talent:talent_new": "create",
    "talent:talent_detail": "object:talent",
    "talent:talent_edit": "object:talent",
    "talent:agreement_new": "object:talent",
    "talent:agreement_edit": "object:agreement",
    "talent:workload_new": "object:agreement",
    # Recruitment
    "talent:campaign_list": "list",
    "talent:campaign_new": "create",
    "talent:campaign_detail": "object:campaign",
    "talent:campaign_edit": "object:campaign",
    "talent:position_new": "object:campaign",
    "talent:position_edit": "object:position",
    "talent:applicant_new": "object:position",
    "talent:applicant_list": "list",
    "talent:applicant_detail": "object:applicant",
    "talent:applicant_move": "object:applicant",
    # Services
    "talent:benefit_list": "list",
    "talent:benefit_new": "create",
    "talent:benefit_detail": "object:benefit",
    "talent:benefit_edit": "object:benefit",
    "talent:rule_new": "object:benefit",
    "talent:rule_edit": "object:rule",
    "talent:rule_delete": "object:rule",
    "talent:talent_entitlements_edit": "object:talent",
    "talent:entitlements_generate_edit": "create",
    "talent:entitlement_list": "list",
    "talent:entitlement_detail": "object:entitlement",
    "talent:entitlement_move": "object:entitlement",
    "talent:delivery_new": "object:entitlement",
    "talent:delivery_list": "list",
    "talent:delivery_evidence": "object:delivery",
    "talent:payment_list": "list",
    "talent:payment_list_edit": "create",
    "talent:reminder_list": "list",
    "talent:apartment_list": "list",
    "talent:apartment_new": "create",
    "talent:apartment_detail": "object:apartment",
    "talent:apartment_edit": "object:apartment",
    "talent:room_new": "object:apartment",
    "talent:room_edit": "object:room",
    "talent:room_allocation_new": "object:room",
    "talent:room_allocation_list": "list",
    "talent:room_allocation_move": "object:room_allocation",
    # API
    "api:talent_list_talents": "list",
    "api:talent_create_talent": "create",
    "api:talent_get_talent": "object:talent",
    "api:talent_eligibility": "object:talent",
    "api:talent_stats": "list",
    "api:talent_list_campaigns": "list",
    "api:talent_get_campaign": "object:campaign",
    "api:talent_applicant_stages": "object:applicant",
    "api:talent_advance_applicant": "object:applicant",
    "api:talent_list_entitlements": "list",
    "api:talent_payment_list": "list",
}


def object_ids() -> dict[str, int]:
    from django.core.files.base import ContentFile

    from yanzhen.benefits.models import (
        Apartment,
        Benefit,
        Delivery,
        EligibilityRule,
        Room,
        RoomAllocation,
    )
    from yanzhen.talent.models import Applicant, Campaign, Position, ServiceAgreement

    agreement = ServiceAgreement.objects.order_by("pk")[0]
    delivery = Delivery.objects.order_by("pk")[0]
    delivery.evidence.save("发放凭证.pdf", ContentFile(b"%PDF-1.4"))
    return {
        "talent": agreement.talent_id,
        "agreement": agreement.pk,
        "campaign": Campaign.objects.order_by("pk")[0].pk,
        "position": Position.objects.order_by("pk")[0].pk,
        "applicant": Applicant.objects.order_by("pk")[0].pk,
        "benefit": Benefit.objects.order_by("pk")[0].pk,
        "rule": EligibilityRule.objects.order_by("pk")[0].pk,
        "entitlement": delivery.entitlement_id,
        "delivery": delivery.pk,
        "apartment": Apartment.objects.order_by("pk")[0].pk,
        "room": Room.objects.order_by("pk")[0].pk,
        "room_allocation": RoomAllocation.objects.order_by("pk")[0].pk,
    }
