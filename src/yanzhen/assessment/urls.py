from __future__ import annotations

from django.urls import path

from yanzhen.assessment import appeal_views, views
from yanzhen.core.routing import record_paths

app_name = "assessment"
urlpatterns = [
    path("", views.period_list, name="period_list"),
    *record_paths("periods/", views, "period", "new", "detail", "move"),
    path("scores/<int:pk>/", views.score_detail, name="score_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("entries/<int:pk>/evidence/", views.entry_evidence, name="entry_evidence"),
    path("trend/", views.trend, name="trend"),
    *record_paths("appeals/", appeal_views, "appeal", "list", "detail", "attachment"),
    path("items/<int:pk>/appeal/", appeal_views.appeal_new, name="appeal_new"),
    *record_paths("systems/", views, "system"),
    path("systems/<int:pk>/dimensions/new/", views.dimension_new, name="dimension_new"),
    path("systems/<int:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("dimensions/<int:pk>/edit/", views.dimension_edit, name="dimension_edit"),
    *record_paths("indicators/", views, "indicator", "edit", "delete"),
]
