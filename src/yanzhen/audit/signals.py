"""Security events from Django's and django-axes' signals (never a password: only the name
the user typed)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from yanzhen.audit.models import EventKind


def _on_login(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from yanzhen.audit.services import record

    record(EventKind.LOGIN, request=request, user=user)


def _on_logout(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from yanzhen.audit.services import record

    if user is not None:
        record(EventKind.LOGOUT, request=request, user=user)


def _on_failure(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from yanzhen.audit.services import record

    username = str(credentials.get("username", ""))[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    record(
        EventKind.LOGIN_FAILED,
        request=request,
        user=None,
        username=username,
        detail={"locked": locked},
    )


def _on_lockout(sender: object, request: HttpRequest, username: str, **kwargs: Any) -> None:
    """The failure that locks a name (axes also signals each refused attempt while locked;
    those are already logged as failed logins)."""
    from yanzhen.audit.services import record

    if getattr(request, "axes_failures_since_start", None) is not None:
        record(EventKind.LOCKOUT, request=request, user=None, username=str(username or "")[:150])


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_on_login, dispatch_uid="yanzhen-audit-login")
    user_logged_out.connect(_on_logout, dispatch_uid="yanzhen-audit-logout")
    user_login_failed.connect(_on_failure, dispatch_uid="yanzhen-audit-failure")
    user_locked_out.connect(_on_lockout, dispatch_uid="yanzhen-audit-lockout")
