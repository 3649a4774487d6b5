from __future__ import annotations

from django.urls import path

from yanzhen.audit import views

app_name = "audit"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("access/", views.access_list, name="access_list"),
    path("exports/", views.export_list, name="export_list"),
]
