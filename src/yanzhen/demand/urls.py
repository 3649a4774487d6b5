"""URLs of the demand map, each named as its view. Pages that change something are named
``<noun>_new``, ``<noun>_edit``, ``<noun>_delete``, ``<noun>_restore``, ``*_import`` or
``held_resolve``; every other page only reads."""

from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import record_paths
from yanzhen.demand import views

app_name = "demand"
urlpatterns = [
    path("", views.demand_map, name="demand_map"),
    *record_paths("needs/", views, "need", "list", "new", "detail", "edit", "delete"),
    path("needs/import/", views.need_import, name="need_import"),
    path("needs/import/template/", views.need_import_template, name="need_import_template"),
    *record_paths("campaigns/", views, "campaign"),
    *record_paths("experts/", views, "expert", "list", "new", "detail", "edit", "delete"),
    path("experts/import/", views.expert_import, name="expert_import"),
    path("experts/import/template/", views.expert_import_template, name="expert_import_template"),
    path("trash/", views.trash, name="trash"),
    path("trash/needs/<int:pk>/", views.need_restore, name="need_restore"),
    path("trash/experts/<int:pk>/", views.expert_restore, name="expert_restore"),
    path("held/", views.held_list, name="held_list"),
    path("held/<int:pk>/", views.held_resolve, name="held_resolve"),
    path("supply/", views.supply, name="supply"),
    path("supply/<int:pk>/", views.university, name="university"),
    path("recommend/", views.recommend, name="recommend"),
    path("visits/", views.visit_list, name="visit_list"),
]
