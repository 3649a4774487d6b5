from __future__ import annotations

from django.urls import path

from yanzhen.reports import briefing_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("overview/", views.overview_view, name="overview"),
    path("overview/records/", views.figure_records, name="figure_records"),
    path("overview/targets/", views.targets_view, name="targets"),
    path("search/", views.search_view, name="search"),
]
urlpatterns += [
    path("briefings/", briefing_views.briefing_list, name="briefing_list"),
    path("briefings/new/", briefing_views.briefing_new, name="briefing_new"),
    path("briefings/<int:pk>/", briefing_views.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/edit/", briefing_views.briefing_edit, name="briefing_edit"),
    path("briefings/<int:pk>/submit/", briefing_views.briefing_submit, name="briefing_submit"),
    path("briefings/<int:pk>/decide/", briefing_views.briefing_decide, name="briefing_decide"),
    path("briefings/<int:pk>/docx/", briefing_views.briefing_docx, name="briefing_docx"),
    path("briefings/<int:pk>/pdf/", briefing_views.briefing_pdf, name="briefing_pdf"),
    path(
        "briefings/<int:pk>/figures/<int:figure_pk>/",
        briefing_views.briefing_figure,
        name="briefing_figure",
    ),
]
