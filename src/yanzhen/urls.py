"""The URL configuration: each domain app's ``urls.py`` under its prefix (see core.registry),
the JSON API under /api/v1/, the admin, and the language switch. Apps that share a prefix and
an ``app_name`` share one namespace (the talent work's apps under ``/talent/``, ``talent:``)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from yanzhen.api import api
from yanzhen.core.registry import modules

_mounted: dict[tuple[str, str], list[URLPattern | URLResolver]] = {}
for _app, _module in modules("urls"):
    _prefix = getattr(_app, "url_prefix", f"{_app.label}/")
    _mounted.setdefault((_prefix, _module.app_name), []).extend(_module.urlpatterns)

urlpatterns: list[URLPattern | URLResolver] = [
    path(prefix, include((patterns, namespace)))
    for (prefix, namespace), patterns in _mounted.items()
]
urlpatterns += [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "yanzhen.core.error_pages.bad_request"
handler403 = "yanzhen.core.error_pages.permission_denied"
handler404 = "yanzhen.core.error_pages.page_not_found"
handler500 = "yanzhen.core.error_pages.server_error"
