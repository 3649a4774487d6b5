"""URLs of the talent app, each named as its view. Pages that change something are named
``<noun>_new`` (a new record), ``<noun>_edit``, ``*_move`` (a state change), ``*_delete`` or
``*_edit`` (another write); every other page only reads."""

from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import new_child_path, record_paths
from yanzhen.talent.views import recruitment, registry

app_name = "talent"
urlpatterns = [
    # Registry
    path("", registry.talent_list, name="talent_list"),
    path("stats/", registry.talent_stats, name="talent_stats"),
    *record_paths("", registry, "talent", "new", "detail", "edit"),
    new_child_path("", "talent", "agreements", registry, "agreement"),
    path("agreements/<int:pk>/edit/", registry.agreement_edit, name="agreement_edit"),
    new_child_path("agreements/", "agreement", "workload", registry, "workload"),
    # Recruitment
    *record_paths("campaigns/", recruitment, "campaign"),
    new_child_path("campaigns/", "campaign", "positions", recruitment, "position"),
    path("positions/<int:pk>/edit/", recruitment.position_edit, name="position_edit"),
    new_child_path("positions/", "position", "applicants", recruitment, "applicant"),
    *record_paths("applicants/", recruitment, "applicant", "list", "detail", "move"),
]
