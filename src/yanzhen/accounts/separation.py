"""三员分立 (the separation of the three administrators) as rules on what a role may hold and
what an administrator may open.

Permission sets, whoever edits a role (its pages, the Django admin):

* a **system administrator** role holds only account permissions (create, change, view
  accounts; view units to place them; view its own approval requests) and sees the failed
  deliveries of notifications (channel, host, error; never a message);
* a **security administrator** role holds only roles, unlocking, second factors, deciding
  approval requests, and the unit tree;
* an **auditor** role holds only the ``view`` permissions of the audit logs;
* a **business** role holds none of those (no account, role, lock, second-factor, request or
  log permission, nothing of Django's own); it may hold every business permission.

So no administrator role reaches business data or personal data, and none holds another
administrator kind's permissions. The unit tree (``core.*_unit``) is the one set shared by
business roles and the two administrators who place accounts and scope roles.

Pages and API routes: an administrator opens only the administration apps (:data:`ADMIN_APPS`
and the unit pages); every business page and API route answers 403 (``SessionPolicyMiddleware``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.contrib.auth.models import Permission
from django.urls import ResolverMatch
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.models import ADMIN_KINDS, RoleKind
from yanzhen.core.registry import modules

# The unit tree: organisational, not business data; business roles use it too.
UNIT_PERMISSIONS = frozenset({"core.view_unit", "core.add_unit", "core.change_unit"})

ADMIN_PERMISSIONS: dict[str, frozenset[str]] = {
    RoleKind.SYSTEM_ADMIN: frozenset(
        {
            "core.view_user",
            "core.add_user",
            "core.change_user",
            "core.view_unit",
            "core.view_approvalrequest",
            # Failed deliveries of notifications: channel, host, error — never a message.
            "notifications.view_delivery",
        }
    ),
    RoleKind.SECURITY_ADMIN: frozenset(
        {
            "core.view_user",
            "core.view_role",
            "core.add_role",
            "core.change_role",
            "core.delete_role",
            *UNIT_PERMISSIONS,
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accessfailurelog",
            "otp_totp.view_totpdevice",
            "otp_totp.delete_totpdevice",
            "core.view_approvalrequest",
            "core.decide_approvalrequest",
        }
    ),
}
# Apps and models whose permissions belong to administration: never held by a business role.
ADMIN_ONLY_APPS = frozenset(
    {"audit", "axes", "otp_totp", "otp_static", "auth", "admin", "sessions", "contenttypes",
     "accounts"}
)  # fmt: skip
ADMIN_ONLY_MODELS = frozenset(
    {("core", "user"), ("core", "role"), ("core", "approvalrequest"), ("core", "historicaluser"),
     ("core", "historicalrole"), ("notifications", "delivery")}
)  # fmt: skip
KIND_LABELS = dict(RoleKind.choices)


def permission_key(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _is_audit_view(permission: Permission) -> bool:
    return permission.content_type.app_label == "audit" and permission.codename.startswith("view_")


def _is_admin_only(permission: Permission) -> bool:
    app = permission.content_type.app_label
    return app in ADMIN_ONLY_APPS or (app, permission.content_type.model) in ADMIN_ONLY_MODELS


def may_hold(kind: str, permission: Permission) -> bool:
    """Whether a role of ``kind`` may hold ``permission``."""
    if kind == RoleKind.AUDITOR:
        return _is_audit_view(permission)
    if kind in ADMIN_PERMISSIONS:
        return permission_key(permission) in ADMIN_PERMISSIONS[kind]
    return not _is_admin_only(permission)


def _owners(permission: Permission) -> list[str]:
    """The administrator kinds that may hold ``permission``."""
    return [k for k in ADMIN_KINDS if may_hold(k, permission)]


def check_role_permissions(kind: str, permissions: Iterable[Permission]) -> None:
    """Refuse a permission set that breaks 三员分立 (a ``DomainError`` on ``permissions``)."""
    refused = [p for p in permissions if not may_hold(kind, p)]
    if not refused:
        return
    names = "、".join(sorted(permission_key(p) for p in refused)[:5])
    if kind == RoleKind.AUDITOR:
        code, field = "auditor_rights", _("安全审计员只能有“查看”审计日志的权限")
    elif any(_is_audit_view(p) or p.content_type.app_label == "audit" for p in refused):
        code, field = "audit_rights", _("审计日志只授予安全审计员")
    elif kind in ADMIN_KINDS and any(not _is_admin_only(p) for p in refused):
        code, field = "admin_rights", _("管理员角色不能有业务数据权限")
    elif kind in ADMIN_KINDS:
        others = sorted({KIND_LABELS[o] for p in refused for o in _owners(p)})
        code = "admin_rights"
        field = _("%(kind)s角色不能有%(others)s的权限") % {
            "kind": KIND_LABELS[kind],
            "others": "、".join(others) or _("任何角色都不授予"),
        }
    else:
        code, field = (
            "business_rights",
            _("业务角色不能有账户、角色、锁定、动态口令或审计等管理权限"),
        )
    raise DomainError(code, f"{field}（{names}）", {"permissions": field})


# Pages and API routes an administrator may open ------------------------------------------------

# URL namespaces of administration (the Django admin checks its own staff flag).
ADMIN_APPS = frozenset({"accounts", "audit", "notifications", "admin"})
# Core pages of the unit tree (people are business data), and their own background exports.
ADMIN_CORE_PAGES = frozenset(
    {"login", "logout", "health", "help", "unit_list", "unit_new", "unit_options", "unit_detail",
     "unit_edit", "unit_revert", "export_job_list", "export_job_detail", "export_job_download"}
)  # fmt: skip


@cache
def _api_apps() -> dict[str, str]:
    """URL name of each API operation → label of the app whose router declares it."""
    names: dict[str, str] = {}
    for app, module in modules("api"):
        for path_view in module.router.path_operations.values():
            for operation in path_view.operations:
                name = getattr(operation, "url_name", None) or operation.view_func.__name__
                names[name] = app.label
    return names


def admin_may_open(match: ResolverMatch) -> bool:
    """Whether an administrator may open the route ``match`` (deny by default)."""
    namespace = match.namespaces[0] if match.namespaces else ""
    name = match.url_name or ""
    if namespace == "api":
        app = _api_apps().get(name)
        # Routes no app declares are the API's own (schema, docs).
        return app is None or app in ADMIN_APPS or (app == "core" and "unit" in name)
    if namespace == "core":
        return name in ADMIN_CORE_PAGES
    return namespace in ADMIN_APPS or (not namespace and name == "set_language")
