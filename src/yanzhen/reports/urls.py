from __future__ import annotations

from django.urls import path

from yanzhen.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
]
