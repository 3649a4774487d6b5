from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from yanzhen.core import import_views, review_views, views

app_name = "core"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("help/", views.manual_view, name="help"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_new, name="unit_new"),
    path("units/options/", views.unit_options, name="unit_options"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/revert/<int:history_id>/", views.unit_revert, name="unit_revert"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/options/", views.person_options, name="person_options"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/revert/<int:history_id>/", views.person_revert, name="person_revert"),
    path("people/duplicates/", views.duplicate_list, name="duplicate_list"),
    path("people/duplicates/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
    path("reviews/", review_views.review_list, name="review_list"),
    path("reviews/bulk/", review_views.review_bulk, name="review_bulk"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review_detail"),
    path("county/settings/", review_views.county_settings, name="county_settings"),
    path(
        "county/<int:pk>/settings/",
        review_views.county_settings_edit,
        name="county_settings_edit",
    ),
    path("imports/batches/", import_views.import_batches, name="import_batches"),
    path(
        "imports/batches/<int:pk>/undo/",
        import_views.import_batch_undo,
        name="import_batch_undo",
    ),
    path("imports/<slug:register>/", import_views.import_upload, name="import_upload"),
    path("imports/<slug:register>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<slug:register>/errors/", import_views.import_errors, name="import_errors"),
    path("imports/<slug:register>/template/", import_views.import_template, name="import_template"),
]
