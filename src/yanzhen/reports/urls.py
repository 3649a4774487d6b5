from __future__ import annotations

from django.urls import path

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
urlpatterns += [
    path("info/", info_views.info_list, name="info_list"),
    path("info/new/", info_views.info_new, name="info_new"),
    path("info/<int:pk>/", info_views.info_detail, name="info_detail"),
    path("info/<int:pk>/edit/", info_views.info_edit, name="info_edit"),
    path("info/<int:pk>/adopt/", info_views.info_adopt, name="info_adopt"),
    path("info/<int:pk>/return/", info_views.info_return, name="info_return"),
    path("info/photos/<int:pk>/", info_views.info_photo, name="info_photo"),
    path("info/outgoing/", info_views.outgoing_list, name="outgoing_list"),
    path("info/outgoing/new/", info_views.outgoing_new, name="outgoing_new"),
]
urlpatterns += [
    path(
        "assessment-circulars/<int:pk>/",
        circular_views.assessment_circular,
        name="assessment_circular",
    ),
]
