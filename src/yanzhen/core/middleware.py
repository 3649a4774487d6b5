"""Deny by default: every view needs a login unless it is marked ``login_not_required``."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict


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


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


class StripNulMiddleware:
    """PostgreSQL text cannot hold NUL (0x00), and nobody can type one: a NUL in a query
    parameter, a form field or a JSON string is removed before any view sees it, so that the
    request is answered as it would be without it (on PostgreSQL it would otherwise fail)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = self._clean(request.GET)  # type: ignore[assignment]  # stubs: immutable type
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if request.path_info.startswith("/api/"):
                # The API reads the body itself (no API takes files): kept readable, a form
                # body sent to an open operation is then a 422 rather than a failure.
                request.body  # noqa: B018
            if any("\x00" in k or "\x00" in v for k, vs in request.POST.lists() for v in vs):
                request.POST = self._clean(request.POST)  # type: ignore[assignment]  # idem
        elif request.content_type == "application/json" and b"\\u0000" in request.body:
            try:
                data = json.loads(request.body)
            except ValueError:
                pass  # the view answers a malformed body itself
            else:
                request._body = json.dumps(_without_nul(data)).encode()
        return self.get_response(request)

    @staticmethod
    def _clean(query: QueryDict) -> QueryDict:
        clean = QueryDict(mutable=True)
        for key, values in query.lists():
            clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
        clean._mutable = False
        return clean
