"""URLs of the talent app, each named as its view. Pages that change something are named
``<noun>_new`` (a new record), ``<noun>_edit``, ``*_move`` (a state change), ``*_delete`` or
``*_edit`` (another write); every other page only reads."""

from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import record_paths
from yanzhen.talent.views import recruitment, registry

app_name = "talent"
urlpatterns = [
    # Registry
    path("", registry.talent_list, name="talent_list"),
    path("stats/", registry.talent_stats, name="talent_stats"),
    *record_paths("", registry, "talent", "new", "detail", "edit"),
    path("<int:talent_pk>/agreements/new/", registry.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/edit/", registry.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:agreement_pk>/workload/new/",
        registry.workload_new,
        name="workload_new",
    ),
    # Recruitment
    *record_paths("campaigns/", recruitment, "campaign"),
    path(
        "campaigns/<int:campaign_pk>/positions/new/",
        recruitment.position_new,
        name="position_new",
    ),
    path("positions/<int:pk>/edit/", recruitment.position_edit, name="position_edit"),
    path(
        "positions/<int:position_pk>/applicants/new/",
        recruitment.applicant_new,
        name="applicant_new",
    ),
    *record_paths("applicants/", recruitment, "applicant", "list", "detail", "move"),
]
