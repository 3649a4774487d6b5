from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import record_paths
from yanzhen.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("robots/", views.robot_list, name="robot_list"),
    path("robots/new/", views.robot_create, name="robot_create"),
    *record_paths("robots/", views, "robot", "edit", "delete"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
]
