"""Every refused request (403) goes to the security log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from yanzhen.audit.models import EventKind


class PermissionDeniedLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403 and getattr(request, "user", None) is not None:
            from yanzhen.audit.services import record

            record(
                EventKind.PERMISSION_DENIED,
                request=request,
                detail={"method": request.method or ""},
            )
        return response
