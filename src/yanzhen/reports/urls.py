from __future__ import annotations

from django.urls import path

from yanzhen.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("overview/", views.overview_view, name="overview"),
    path("overview/records/", views.figure_records, name="figure_records"),
    path("overview/targets/", views.targets_view, name="targets"),
]
