"""URLs of the reporting tasks, each named as its view."""

from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import record_paths
from yanzhen.reporting import views

app_name = "reporting"
urlpatterns = [
    *record_paths("", views, "task", "list", "new", "detail", "edit", "issue", "remind", "rollup"),
    *record_paths(
        "submissions/", views, "submission", "detail", "edit", "review", "excel", "upload"
    ),
    path("files/<int:pk>/", views.file_download, name="file_download"),
]
