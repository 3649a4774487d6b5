"""URLs of placement, under the talent work's paths and names (``/talent/programmes/``,
``talent:programme_list``: the project mounts the apps of one prefix and ``app_name`` under one
namespace)."""

from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import new_child_path, record_paths
from yanzhen.placement.views import internships, programmes

app_name = "talent"
urlpatterns = [
    *record_paths("programmes/", programmes, "programme"),
    new_child_path("programmes/", "programme", "hosts", programmes, "host"),
    path("hosts/<int:pk>/edit/", programmes.host_edit, name="host_edit"),
    path("hosts/<int:pk>/ranking/edit/", programmes.host_ranking_edit, name="host_ranking_edit"),
    new_child_path("programmes/", "programme", "applicants", programmes, "placement_applicant"),
    *record_paths("placements/", programmes, "placement_applicant", "edit"),
    path(
        "programmes/<int:pk>/import/",
        programmes.programme_import_edit,
        name="programme_import_edit",
    ),
    path(
        "programmes/<int:pk>/import/confirm/",
        programmes.programme_import_confirm_edit,
        name="programme_import_confirm_edit",
    ),
    path(
        "programmes/<int:pk>/import/errors/",
        programmes.programme_import_errors,
        name="programme_import_errors",
    ),
    *record_paths("programmes/", programmes, "programme", "template", "instance", "result"),
    path(
        "programmes/<int:pk>/allocate/",
        programmes.programme_allocate_edit,
        name="programme_allocate_edit",
    ),
    path("programmes/<int:pk>/confirm/", programmes.programme_move, name="programme_move"),
    path("placements/<int:pk>/move/", programmes.assignment_move, name="assignment_move"),
    *record_paths("internships/", internships, "internship", "list", "detail", "move"),
    path("internships/conversion/", internships.conversion_stats, name="conversion_stats"),
    new_child_path("internships/", "internship", "logs", internships, "intern_log"),
    new_child_path("internships/", "internship", "feedback", internships, "host_feedback"),
]
