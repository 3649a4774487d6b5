"""Refused requests (403) go to the security log: the first of an account on one kind of page
within a window at once, the others counted and written as one row (so that nobody can flood
the log). Edits refused for a stale version (G35) go there too, one row each, after the view's
rolled-back transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from yanzhen.audit.services import denied_logged, record
from yanzhen.core.trail import EventKind, conflicts_collected, conflicts_done


class PermissionDeniedLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        conflicts, token = conflicts_collected()
        try:
            response = self.get_response(request)
        finally:
            conflicts_done(token)
        if response.status_code == 403 and getattr(request, "user", None) is not None:
            denied_logged(request)
        for detail in conflicts:
            record(EventKind.VERSION_CONFLICT, request=request, detail=detail)
        return response
