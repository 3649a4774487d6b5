from __future__ import annotations

from django.urls import path

from yanzhen.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("leader/", views.leader, name="leader"),
    path("bases/<int:base_pk>/plan/", views.work_plan_edit, name="work_plan_edit"),
    path("bases/<int:base_pk>/plan/document/", views.work_plan_document, name="work_plan_document"),
    path("bases/<int:base_pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/", views.milestone_list, name="milestone_list"),
    path("milestones/import/", views.milestone_bulk_edit, name="milestone_bulk_edit"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/bases/<int:base_pk>/", views.report_edit, name="report_edit"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/move/", views.problem_move, name="problem_move"),
    path("decisions/", views.action_item_list, name="action_item_list"),
    path("decisions/<int:pk>/move/", views.action_item_move, name="action_item_move"),
    path("records/", views.indicator_records, name="indicator_records"),
]
