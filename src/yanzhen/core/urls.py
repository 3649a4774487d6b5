from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from yanzhen.core import export_views, import_views, review_views, views
from yanzhen.core.routing import record_paths

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
    *record_paths("units/", views, "unit", "list", "new"),
    path("units/options/", views.unit_options, name="unit_options"),
    *record_paths("units/", views, "unit", "detail", "edit", "revert"),
    *record_paths("people/", views, "person", "list", "new"),
    path("people/options/", views.person_options, name="person_options"),
    *record_paths("people/", views, "person", "detail", "edit", "revert"),
    *record_paths("people/duplicates/", views, "duplicate", "list", "detail"),
    path("reviews/", review_views.review_list, name="review_list"),
    path("reviews/bulk/", review_views.review_bulk, name="review_bulk"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review_detail"),
    path("county/settings/", review_views.county_settings, name="county_settings"),
    path(
        "county/<int:pk>/settings/",
        review_views.county_settings_edit,
        name="county_settings_edit",
    ),
    path("exports/", export_views.export_job_list, name="export_job_list"),
    path("exports/<int:pk>/", export_views.export_job_detail, name="export_job_detail"),
    path(
        "exports/<int:pk>/download/",
        export_views.export_job_download,
        name="export_job_download",
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
