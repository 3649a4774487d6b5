"""URLs of the training college. They keep the paths (``/talent/colleges/``…) and the names
(``talent:college_list``…) they had in the talent app: the project's URL configuration mounts
every app's patterns that share a prefix and an ``app_name`` under one namespace."""

from __future__ import annotations

from django.urls import path

from yanzhen.college import views
from yanzhen.core.routing import record_paths

app_name = "talent"
urlpatterns = [
    *record_paths("colleges/", views, "college"),
    path("colleges/<int:college_pk>/majors/new/", views.major_new, name="major_new"),
    path(
        "majors/<int:major_pk>/categories/new/",
        views.category_new,
        name="category_new",
    ),
    path(
        "categories/<int:category_pk>/courses/new/",
        views.course_new,
        name="course_new",
    ),
    path("classes/", views.class_list, name="class_list"),
    path("colleges/<int:college_pk>/classes/new/", views.class_new, name="class_new"),
    *record_paths("classes/", views, "class", "detail", "edit"),
    path(
        "classes/<int:class_pk>/enrolments/new/",
        views.enrolment_new,
        name="enrolment_new",
    ),
    *record_paths("enrolments/", views, "enrolment", "list", "move"),
    path("colleges/<int:college_pk>/brands/new/", views.brand_new, name="brand_new"),
    path("stores/", views.store_list, name="store_list"),
    path("brands/<int:brand_pk>/stores/new/", views.store_new, name="store_new"),
]
