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
    # Placement
    "talent:programme_list": "list",
    "talent:programme_new": "create",
    "talent:programme_detail": "object:programme",
    "talent:programme_edit": "object:programme",
    "talent:host_new": "object:programme",
    "talent:host_edit": "object:host",
    "talent:host_ranking_edit": "object:host",
    "talent:placement_applicant_new": "object:programme",
    "talent:placement_applicant_edit": "object:placement",
    "talent:programme_import_edit": "object:programme",
    "talent:programme_import_confirm_edit": "object:programme",
    "talent:programme_import_errors": "object:programme",
    "talent:programme_template": "object:programme",
    "talent:programme_instance": "object:programme",
    "talent:programme_allocate_edit": "object:programme",
    "talent:programme_result": "object:programme",
    "talent:programme_move": "object:programme",
    "talent:assignment_move": "object:placement",
    "talent:internship_list": "list",
    "talent:conversion_stats": "list",
    "talent:internship_detail": "object:internship",
    "talent:internship_move": "object:internship",
    "talent:intern_log_new": "object:internship",
    "talent:host_feedback_new": "object:internship",
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
    "api:talent_list_programmes": "list",
    "api:talent_get_allocation": "object:programme",
    "api:talent_run_allocation": "object:programme",
    "api:talent_list_internships": "list",
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
    from yanzhen.talent.models import (
        Applicant,
        Campaign,
        Host,
        Internship,
        PlacementApplicant,
        Position,
        Programme,
        ServiceAgreement,
    )

    agreement = ServiceAgreement.objects.order_by("pk")[0]
    delivery = Delivery.objects.order_by("pk")[0]
    delivery.evidence.save("发放凭证.pdf", ContentFile(b"%PDF-1.4"))
    programme = Programme.objects.get(kind="intern")
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
        "programme": programme.pk,
        "host": Host.objects.filter(programme=programme).order_by("pk")[0].pk,
        "placement": PlacementApplicant.objects.filter(programme=programme).order_by("pk")[0].pk,
        "internship": Internship.objects.order_by("pk")[0].pk,
    }
