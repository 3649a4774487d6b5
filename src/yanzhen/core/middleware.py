"""Deny by default: every view needs a login unless it is marked ``login_not_required``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, JsonResponse


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's middleware; the JSON API answers 401 with our error envelope instead."""

    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Callable[..., Any]
    ) -> HttpResponse:
        if request.path.startswith("/api/"):
            body = {"error": {"code": "unauthenticated", "message": "请先登录", "fields": {}}}
            return JsonResponse(body, status=401)
        return super().handle_no_permission(request, view_func)
