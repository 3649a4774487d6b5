from __future__ import annotations

from django.urls import path

from yanzhen.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("periods/new/", views.period_new, name="period_new"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/move/", views.period_move, name="period_move"),
    path("scores/<int:pk>/", views.score_detail, name="score_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("entries/<int:pk>/evidence/", views.entry_evidence, name="entry_evidence"),
    path("trend/", views.trend, name="trend"),
    path("systems/", views.system_list, name="system_list"),
    path("systems/new/", views.system_new, name="system_new"),
    path("systems/<int:pk>/", views.system_detail, name="system_detail"),
    path("systems/<int:pk>/edit/", views.system_edit, name="system_edit"),
    path("systems/<int:pk>/dimensions/new/", views.dimension_new, name="dimension_new"),
    path("systems/<int:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("dimensions/<int:pk>/edit/", views.dimension_edit, name="dimension_edit"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
]
