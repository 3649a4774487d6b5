from __future__ import annotations

from django.urls import path

from yanzhen.accounts import views
from yanzhen.core.routing import record_paths

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("otp/", views.otp_view, name="otp"),
    path("security/", views.security, name="security"),
    path("security/otp/", views.otp_rebind, name="otp_rebind"),
    *record_paths(
        "users/", views, "user", "list", "new", "detail", "edit", "active", "password", "roles"
    ),
    path("users/<int:pk>/otp-reset/", views.user_otp_reset, name="user_otp_reset"),
    *record_paths("requests/", views, "request", "list", "detail"),
    path("pii-requests/", views.pii_request_list, name="pii_request_list"),
    path("pii-requests/new/", views.pii_request_create, name="pii_request_create"),
    path("pii-requests/<int:pk>/", views.pii_request_detail, name="pii_request_detail"),
    *record_paths("roles/", views, "role", "list", "new"),
    path("roles/<int:pk>/", views.role_edit, name="role_edit"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
]
