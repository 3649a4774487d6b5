"""URLs of closed-loop supervision, each named as its view."""

from __future__ import annotations

from django.urls import path

from yanzhen.supervision.views import board, plans, problems, rounds

app_name = "supervision"
urlpatterns = [
    path("", board.board, name="board"),
    path("leader/", board.leader, name="leader"),
    path("bases/<int:base_pk>/plan/", plans.work_plan_edit, name="work_plan_edit"),
    path("bases/<int:base_pk>/plan/document/", plans.work_plan_document, name="work_plan_document"),
    path("bases/<int:base_pk>/milestones/new/", plans.milestone_new, name="milestone_new"),
    path("milestones/", plans.milestone_list, name="milestone_list"),
    path("milestones/import/", plans.milestone_bulk_edit, name="milestone_bulk_edit"),
    path("milestones/<int:pk>/edit/", plans.milestone_edit, name="milestone_edit"),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/bases/<int:base_pk>/", rounds.report_edit, name="report_edit"),
    path("evidence/<int:pk>/", rounds.evidence_download, name="evidence_download"),
    path("problems/", problems.problem_list, name="problem_list"),
    path("problems/new/", problems.problem_new, name="problem_new"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/move/", problems.problem_move, name="problem_move"),
    path("decisions/", problems.action_item_list, name="action_item_list"),
    path("decisions/new/", problems.action_item_new, name="action_item_new"),
    path("decisions/<int:pk>/move/", problems.action_item_move, name="action_item_move"),
    path("records/", board.indicator_records, name="indicator_records"),
]
