"""The URL configuration: one namespace per app, the JSON API under /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from yanzhen.api import api

urlpatterns = [
    path("", include("yanzhen.reports.urls")),
    path("", include("yanzhen.core.urls")),
    path("reference/", include("yanzhen.reference.urls")),
    path("cooperation/", include("yanzhen.cooperation.urls")),
    path("supervision/", include("yanzhen.supervision.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
