"""The URL configuration: each domain app's ``urls.py`` under its prefix (see core.registry),
the JSON API under /api/v1/, the admin, and the language switch."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from yanzhen.api import api
from yanzhen.core.registry import modules

urlpatterns: list[URLPattern | URLResolver] = [
    path(getattr(app, "url_prefix", f"{app.label}/"), include(module.__name__))
    for app, module in modules("urls")
]
urlpatterns += [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
