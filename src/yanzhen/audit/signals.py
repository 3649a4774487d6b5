"""Security events from Django's and django-axes' signals (never a password: only the name
the user typed), and from the Django admin's own log (a change made there bypasses the
services, which log theirs)."""

from __future__ import annotations

import json
from typing import Any

from axes.signals import user_locked_out
from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.http import HttpRequest

from yanzhen.audit.services import record
from yanzhen.core.middleware import current_request
from yanzhen.core.trail import EventKind


def _on_login(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(EventKind.LOGIN, request=request, user=user)


def _on_logout(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(EventKind.LOGOUT, request=request, user=user)


def _on_failure(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
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
    if getattr(request, "axes_failures_since_start", None) is not None:
        record(EventKind.LOCKOUT, request=request, user=None, username=str(username or "")[:150])


# Fields of an account whose change is a change of rights.
RIGHTS = {"roles", "groups", "user_permissions", "is_superuser", "is_staff", "permissions"}
ACTIONS = {1: "新增", 2: "修改", 3: "删除"}


def _on_admin_entry(sender: object, instance: Any, created: bool, **kwargs: Any) -> None:
    """Every add, change or delete in the admin: roles, permissions and rights of accounts as
    role changes, other accounts changes as account changes, the rest as admin changes."""
    if not created:
        return
    model = instance.content_type.model if instance.content_type_id else ""
    try:
        messages = json.loads(instance.change_message or "[]")
    except ValueError:
        messages = []
    fields = sorted(
        {f for m in messages if isinstance(m, dict) for f in m.get("changed", {}).get("fields", [])}
    )
    if model in ("role", "permission", "group") or (model == "user" and RIGHTS & set(fields)):
        kind = EventKind.ROLE_CHANGE
    elif model == "user":
        kind = EventKind.USER_CHANGE
    else:
        kind = EventKind.ADMIN_CHANGE
    app = instance.content_type.app_label if instance.content_type_id else ""
    record(
        kind,
        request=current_request(),
        user=instance.user,
        detail={
            "admin": ACTIONS.get(instance.action_flag, str(instance.action_flag)),
            "model": f"{app}.{model}",
            "object_id": str(instance.object_id or ""),
            "fields": fields,
        },
    )


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="yanzhen-audit-login")
    user_logged_out.connect(_on_logout, dispatch_uid="yanzhen-audit-logout")
    user_login_failed.connect(_on_failure, dispatch_uid="yanzhen-audit-failure")
    user_locked_out.connect(_on_lockout, dispatch_uid="yanzhen-audit-lockout")
    post_save.connect(_on_admin_entry, sender=LogEntry, dispatch_uid="yanzhen-audit-admin")
