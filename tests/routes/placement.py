"""Access rules of placement's pages and API routes (see tests/routes/__init__.py); they keep
the talent app's paths and names (``talent:programme_list``, ``api:talent_list_programmes``)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
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
    "api:talent_list_programmes": "list",
    "api:talent_get_allocation": "object:programme",
    "api:talent_run_allocation": "object:programme",
    "api:talent_list_internships": "list",
}


def object_ids() -> dict[str, int]:
    from yanzhen.placement.models import Host, Internship, PlacementApplicant, Programme

    programme = Programme.objects.get(kind="intern")
    return {
        "programme": programme.pk,
        "host": Host.objects.filter(programme=programme).order_by("pk")[0].pk,
        "placement": PlacementApplicant.objects.filter(programme=programme).order_by("pk")[0].pk,
        "internship": Internship.objects.order_by("pk")[0].pk,
    }
