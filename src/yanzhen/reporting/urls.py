"""URLs of the reporting tasks, each named as its view."""

from __future__ import annotations

from django.urls import path

from yanzhen.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("new/", views.task_new, name="task_new"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<int:pk>/issue/", views.task_issue, name="task_issue"),
    path("<int:pk>/remind/", views.task_remind, name="task_remind"),
    path("<int:pk>/rollup/", views.task_rollup, name="task_rollup"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/review/", views.submission_review, name="submission_review"),
    path("submissions/<int:pk>/excel/", views.submission_excel, name="submission_excel"),
    path("submissions/<int:pk>/upload/", views.submission_upload, name="submission_upload"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
]
