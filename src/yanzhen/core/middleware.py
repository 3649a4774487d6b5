"""Deny by default: every view needs a login unless it is marked ``login_not_required``."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
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


_current: ContextVar[HttpRequest | None] = ContextVar("yanzhen_request", default=None)


def current_request() -> HttpRequest | None:
    """The request being answered (for exports and logs deep in shared code)."""
    return _current.get()


class CurrentRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class NoStoreMiddleware:
    """Pages and API answers to a signed-in user may hold personal data: never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
