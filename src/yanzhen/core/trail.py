"""The audit trail as core writes it.

Core records security events (an import, a backup, an integrity check, the steps of an
approval), the opening and revealing of personal data, and exports; the chained logs that keep
them belong to the audit app, which sits above core (it imports core's models). So core names
here what it writes — the event kinds, the access actions, the address of a request — and the
small protocol it writes through; the audit app installs its implementation when Django starts
(``AuditConfig.ready``: ``audit_trail.install(audit.services)``).

Nothing that must be logged happens without it: with no trail installed every call raises
``ImproperlyConfigured`` (the export, the reveal, the import fail instead of going unlogged).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.db import models

from yanzhen.core.registry import Port

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from yanzhen.core.models import User


class EventKind(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出登录"
    LOCKOUT = "lockout", "账户锁定"
    UNLOCK = "unlock", "解除锁定"
    PASSWORD_CHANGE = "password_change", "修改密码"
    PASSWORD_RESET = "password_reset", "重置密码"
    OTP_FAILED = "otp_failed", "动态口令错误"
    OTP_LOCKOUT = "otp_lockout", "动态口令锁定"
    OTP_ENROLLED = "otp_enrolled", "绑定动态口令"
    ROLE_CHANGE = "role_change", "角色或权限变更"
    USER_CHANGE = "user_change", "账户变更"
    PERMISSION_DENIED = "permission_denied", "越权访问被拒绝"
    EXPORT = "export", "导出数据"
    IMPORT = "import", "导入数据"
    BACKUP = "backup", "备份"
    RESTORE = "restore", "恢复"
    PURGE = "purge", "清理过期日志"
    SESSION_EXPIRED = "session_expired", "会话超时"
    ADMIN_CHANGE = "admin_change", "后台管理变更"
    CHECKPOINT = "checkpoint", "日志检查点"
    AUDIT_ALERT = "audit_alert", "日志校验失败"
    INTEGRITY_CHECK = "integrity_check", "数据完整性校验"
    INTEGRITY_FAILED = "integrity_failed", "数据完整性校验失败"
    VERSION_CONFLICT = "version_conflict", "编辑冲突（记录已被他人修改）"
    REVIEW = "review", "审核"
    BRIEFING = "briefing", "简报审核与签发"
    PORTAL = "portal", "门户发布与对接洽谈"


class AccessAction(models.TextChoices):
    """What a user did with a record's personal data (the access log's ``action``)."""

    OPEN = "open", "查看记录"
    REVEAL = "reveal", "显示完整信息"


def client_ip(request: HttpRequest | None) -> str:
    """The address a log row names: the client's, or the one ``YANZHEN_TRUSTED_PROXIES``
    reverse proxies in front of the platform saw."""
    if request is None:
        return ""
    hops = int(getattr(settings, "YANZHEN_TRUSTED_PROXIES", 0))
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return str(forwarded[-hops])[:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


# The edit conflicts of the request being served (``check_version``): the service's
# transaction is rolled back with the refused edit, so the audit middleware writes them to the
# security log once the view has answered.
_conflicts: ContextVar[list[dict[str, Any]] | None] = ContextVar("conflicts", default=None)


def conflict_noted(detail: dict[str, Any]) -> None:
    """Remember an edit refused for a stale version (outside a request: not logged)."""
    noted = _conflicts.get()
    if noted is not None:
        noted.append(detail)


def conflicts_collected() -> tuple[list[dict[str, Any]], Any]:
    """Start collecting the conflicts of a request: the list and the token to reset."""
    noted: list[dict[str, Any]] = []
    return noted, _conflicts.set(noted)


def conflicts_done(token: Any) -> None:
    _conflicts.reset(token)


class Trail(Protocol):
    """What core writes to the logs (``yanzhen.audit.services`` is the implementation)."""

    def record(
        self,
        kind: str,
        *,
        request: HttpRequest | None = ...,
        user: User | AnonymousUser | None = ...,
        username: str = ...,
        detail: Mapping[str, Any] | None = ...,
        ip: str = ...,
        path: str = ...,
    ) -> object:
        """Append one event to the security log."""

    def access_logged(
        self,
        *,
        request: HttpRequest,
        action: str,
        record_type: str,
        record_id: int,
        field: str = ...,
        approval_id: int | None = ...,
    ) -> None:
        """Note that the user opened a record or revealed a value of it."""

    def export_logged(
        self,
        *,
        request: HttpRequest,
        title: str,
        filters: Mapping[str, str],
        fmt: str,
        rows: int,
        content: bytes,
        unmasked: bool,
    ) -> Any:
        """Log an export in the export log and the security log (the export-log row)."""

    def exports_in_last_hour(self, user: User) -> int:
        """How many exports the user made in the last hour."""


audit_trail: Port[Trail] = Port("安全审计应用（yanzhen.audit）未启用：不能记录安全日志，操作未执行")
