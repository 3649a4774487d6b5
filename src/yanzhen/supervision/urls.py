from __future__ import annotations

from django.urls import path

from yanzhen.supervision import views

app_name = "supervision"
urlpatterns = [
    path("bases/<int:base_pk>/plan/", views.work_plan_edit, name="work_plan_edit"),
    path("bases/<int:base_pk>/plan/document/", views.work_plan_document, name="work_plan_document"),
    path("bases/<int:base_pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
]
