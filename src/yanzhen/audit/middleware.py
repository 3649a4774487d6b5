"""Refused requests (403) go to the security log: the first of an account on one kind of page
within a window at once, the others counted and written as one row (so that nobody can flood
the log)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from yanzhen.audit.services import denied_logged


class PermissionDeniedLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403 and getattr(request, "user", None) is not None:
            denied_logged(request)
        return response
