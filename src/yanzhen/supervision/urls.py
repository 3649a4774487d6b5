"""URLs of closed-loop supervision, each named as its view."""

from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import new_child_path, record_paths
from yanzhen.supervision.views import board, plans, problems, rounds

app_name = "supervision"
urlpatterns = [
    path("", board.board, name="board"),
    path("leader/", board.leader, name="leader"),
    path("bases/<int:base_pk>/plan/", plans.work_plan_edit, name="work_plan_edit"),
    path("bases/<int:base_pk>/plan/document/", plans.work_plan_document, name="work_plan_document"),
    new_child_path("bases/", "base", "milestones", plans, "milestone"),
    path("milestones/", plans.milestone_list, name="milestone_list"),
    path("milestones/import/", plans.milestone_bulk_edit, name="milestone_bulk_edit"),
    path("milestones/<int:pk>/edit/", plans.milestone_edit, name="milestone_edit"),
    *record_paths("rounds/", rounds, "round"),
    path("rounds/<int:pk>/bases/<int:base_pk>/", rounds.report_edit, name="report_edit"),
    path("evidence/<int:pk>/", rounds.evidence_download, name="evidence_download"),
    *record_paths("problems/", problems, "problem", "list", "new", "detail", "move"),
    *record_paths("decisions/", problems, "action_item", "list", "new", "move"),
    path("records/", board.indicator_records, name="indicator_records"),
]
