from __future__ import annotations

from django.urls import path

from yanzhen.core.routing import record_paths
from yanzhen.reports import briefing_views, circular_views, info_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("overview/", views.overview_view, name="overview"),
    path("overview/records/", views.figure_records, name="figure_records"),
    path("overview/targets/", views.targets_view, name="targets"),
    path("search/", views.search_view, name="search"),
]
urlpatterns += [
    *record_paths(
        "briefings/",
        briefing_views,
        "briefing",
        "list",
        "new",
        "detail",
        "edit",
        "submit",
        "decide",
        "docx",
        "pdf",
    ),
    path(
        "briefings/<int:pk>/figures/<int:figure_pk>/",
        briefing_views.briefing_figure,
        name="briefing_figure",
    ),
]
urlpatterns += [
    *record_paths("info/", info_views, "info", "list", "new", "detail", "edit", "adopt", "return"),
    path("info/photos/<int:pk>/", info_views.info_photo, name="info_photo"),
    *record_paths("info/outgoing/", info_views, "outgoing", "list", "new"),
]
urlpatterns += [
    path(
        "assessment-circulars/<int:pk>/",
        circular_views.assessment_circular,
        name="assessment_circular",
    ),
]
