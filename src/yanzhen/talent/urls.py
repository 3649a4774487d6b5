"""URLs of the talent app, each named as its view. Pages that change something are named
``<noun>_new`` (a new record), ``<noun>_edit``, ``*_move`` (a state change), ``*_delete`` or
``*_edit`` (another write); every other page only reads."""

from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import record_paths
from yanzhen.talent.views import (
    internships,
    placement,
    recruitment,
    registry,
)

app_name = "talent"
urlpatterns = [
    # Registry
    path("", registry.talent_list, name="talent_list"),
    path("stats/", registry.talent_stats, name="talent_stats"),
    *record_paths("", registry, "talent", "new", "detail", "edit"),
    path("<int:talent_pk>/agreements/new/", registry.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/edit/", registry.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:agreement_pk>/workload/new/",
        registry.workload_new,
        name="workload_new",
    ),
    # Recruitment
    *record_paths("campaigns/", recruitment, "campaign"),
    path(
        "campaigns/<int:campaign_pk>/positions/new/",
        recruitment.position_new,
        name="position_new",
    ),
    path("positions/<int:pk>/edit/", recruitment.position_edit, name="position_edit"),
    path(
        "positions/<int:position_pk>/applicants/new/",
        recruitment.applicant_new,
        name="applicant_new",
    ),
    *record_paths("applicants/", recruitment, "applicant", "list", "detail", "move"),
    # Placement
    *record_paths("programmes/", placement, "programme"),
    path("programmes/<int:programme_pk>/hosts/new/", placement.host_new, name="host_new"),
    path("hosts/<int:pk>/edit/", placement.host_edit, name="host_edit"),
    path("hosts/<int:pk>/ranking/edit/", placement.host_ranking_edit, name="host_ranking_edit"),
    path(
        "programmes/<int:programme_pk>/applicants/new/",
        placement.placement_applicant_new,
        name="placement_applicant_new",
    ),
    path(
        "placements/<int:pk>/edit/",
        placement.placement_applicant_edit,
        name="placement_applicant_edit",
    ),
    path(
        "programmes/<int:pk>/import/", placement.programme_import_edit, name="programme_import_edit"
    ),
    path(
        "programmes/<int:pk>/import/confirm/",
        placement.programme_import_confirm_edit,
        name="programme_import_confirm_edit",
    ),
    path(
        "programmes/<int:pk>/import/errors/",
        placement.programme_import_errors,
        name="programme_import_errors",
    ),
    path("programmes/<int:pk>/template/", placement.programme_template, name="programme_template"),
    path("programmes/<int:pk>/instance/", placement.programme_instance, name="programme_instance"),
    path(
        "programmes/<int:pk>/allocate/",
        placement.programme_allocate_edit,
        name="programme_allocate_edit",
    ),
    path("programmes/<int:pk>/result/", placement.programme_result, name="programme_result"),
    path("programmes/<int:pk>/confirm/", placement.programme_move, name="programme_move"),
    path("placements/<int:pk>/move/", placement.assignment_move, name="assignment_move"),
    path("internships/", internships.internship_list, name="internship_list"),
    path("internships/conversion/", internships.conversion_stats, name="conversion_stats"),
    path("internships/<int:pk>/", internships.internship_detail, name="internship_detail"),
    path("internships/<int:pk>/move/", internships.internship_move, name="internship_move"),
    path(
        "internships/<int:internship_pk>/logs/new/",
        internships.intern_log_new,
        name="intern_log_new",
    ),
    path(
        "internships/<int:internship_pk>/feedback/new/",
        internships.host_feedback_new,
        name="host_feedback_new",
    ),
]
