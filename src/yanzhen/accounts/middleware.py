"""Session policy: idle timeout (30 minutes, 15 for administrators), absolute timeout (12
hours), a forced password change (temporary or expired password), and two factors for leaders
and administrators — before any page but the few that lead there. Then 三员分立 on routes: an
administrator opens no business page or API route (403, see ``accounts.separation``). A
response that ends a session tells the browser to forget the site's data (Clear-Site-Data)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode

from yanzhen.accounts import services
from yanzhen.accounts.separation import admin_may_open
from yanzhen.audit.services import record
from yanzhen.core.links import strip_refused
from yanzhen.core.models import User
from yanzhen.core.trail import EventKind

STARTED = "yanzhen_started"
# The last activity is written at most once a minute (idle limits are in minutes).
TOUCH_SECONDS = 60
LAST_SEEN = "yanzhen_last_seen"
# Set on the request by the logout signal: the response clears the browser's copy of the site.
CLEAR_SITE_DATA = "_yanzhen_clear_site_data"
CLEAR_SITE_DATA_VALUE = '"cache", "cookies", "storage"'


def _minutes(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def idle_limit(user: User) -> int:
    if services.is_administrator(user):
        return _minutes("YANZHEN_IDLE_MINUTES_ADMIN", 15) * 60
    return _minutes("YANZHEN_IDLE_MINUTES", 30) * 60


def _exempt(path: str) -> bool:
    exempt = (
        reverse("accounts:password_change"),
        reverse("accounts:otp"),
        reverse("core:logout"),
        reverse("core:login"),
        settings.STATIC_URL,
    )
    return path.startswith(exempt)


def _blocked(request: HttpRequest, code: str, message: str, target: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=403)
    return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._policy(request)
        if getattr(request, CLEAR_SITE_DATA, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA_VALUE
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        """三员分立: administrators open administration routes only (deny by default)."""
        user = request.user
        match = request.resolver_match
        if (
            isinstance(user, User)
            and user.is_authenticated
            and match is not None
            and services.is_administrator(user)
            and not admin_may_open(match)
        ):
            if request.path.startswith("/api/"):
                body = {"code": "forbidden", "message": "管理员账户不能访问业务数据", "fields": {}}
                return JsonResponse({"error": body}, status=403)
            raise PermissionDenied("管理员账户不能访问业务数据")
        return None

    def _policy(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            now = time.time()
            started = request.session.get(STARTED, now)
            last_seen = request.session.get(LAST_SEEN, now)
            absolute = _minutes("YANZHEN_SESSION_HOURS", 12) * 3600
            if now - last_seen > idle_limit(user) or now - started > absolute:
                record(EventKind.SESSION_EXPIRED, request=request, user=user)
                logout(request)
                return _blocked(request, "session_expired", "会话已超时，请重新登录", "core:login")
            if STARTED not in request.session:
                request.session[STARTED] = started
            if now - last_seen >= TOUCH_SECONDS or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
            if not _exempt(request.path):
                if user.must_change_password or services.password_expired(user):
                    return _blocked(
                        request,
                        "password_change_required",
                        "请先修改密码",
                        "accounts:password_change",
                    )
                if services.requires_otp(user) and not user.is_verified():  # type: ignore[attr-defined]
                    return _blocked(request, "otp_required", "请先完成双因素认证", "accounts:otp")
        return self.get_response(request)


class LinkGuardMiddleware:
    """A page never shows its reader a link that refuses them (``core.links``): after the view,
    the links of an HTML page the signed-in user may not follow lose their address (a button
    is left out); an administrator is shown no business page (三员分立)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = request.user
        if (
            not isinstance(user, User)
            or not user.is_authenticated
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or request.path.startswith("/api/")
        ):
            return response
        opens = admin_may_open if services.is_administrator(user) else None
        html = response.content.decode(response.charset or "utf-8")
        guarded = strip_refused(html, user, opens)
        if guarded != html:
            response.content = guarded.encode(response.charset or "utf-8")
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
