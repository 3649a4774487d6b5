"""URLs of the training college. They keep the paths (``/talent/colleges/``…) and the names
(``talent:college_list``…) they had in the talent app: the project's URL configuration mounts
every app's patterns that share a prefix and an ``app_name`` under one namespace."""

from __future__ import annotations

from django.urls import path

from yanzhen.college import views
from yanzhen.core.routing import new_child_path, record_paths

app_name = "talent"
urlpatterns = [
    *record_paths("colleges/", views, "college"),
    new_child_path("colleges/", "college", "majors", views, "major"),
    new_child_path("majors/", "major", "categories", views, "category"),
    new_child_path("categories/", "category", "courses", views, "course"),
    path("classes/", views.class_list, name="class_list"),
    new_child_path("colleges/", "college", "classes", views, "class"),
    *record_paths("classes/", views, "class", "detail", "edit"),
    new_child_path("classes/", "class", "enrolments", views, "enrolment"),
    *record_paths("enrolments/", views, "enrolment", "list", "move"),
    new_child_path("colleges/", "college", "brands", views, "brand"),
    path("stores/", views.store_list, name="store_list"),
    new_child_path("brands/", "brand", "stores", views, "store"),
]
