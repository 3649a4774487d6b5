"""Accounts, passwords, roles (三员分立), sessions and unlocking — each write logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth import password_validation
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from yanzhen.accounts import lockout
from yanzhen.accounts.models import UserSession
from yanzhen.audit.models import EventKind
from yanzhen.audit.services import record
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ADMIN_KINDS, Role, RoleKind, Unit, User
from yanzhen.core.scope import forget_scope
from yanzhen.core.services import validate

# Permissions an auditor may hold: reading logs and accounts, nothing else.
AUDITOR_APPS = {"audit"}
# Business data no administrator role may read (三员分立: administrators do not see it).
BUSINESS_APPS = {"cooperation", "supervision", "assessment", "demand", "talent"}


def check_password_rules(password: str, user: User | None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        message = "；".join(error.messages)
        raise DomainError("weak_password", message, {"password": message}) from error


def password_set(*, user: User, password: str, must_change: bool) -> None:
    check_password_rules(password, user)
    user.set_password(password)
    user.must_change_password = must_change
    user.save()


@transaction.atomic
def password_change(*, request: HttpRequest, user: User, old: str, new: str) -> None:
    """The user changes their own password (the old one is checked first)."""
    if not user.check_password(old):
        raise DomainError("wrong_password", "原密码不正确", {"old_password": "原密码不正确"})
    password_set(user=user, password=new, must_change=False)
    record(EventKind.PASSWORD_CHANGE, request=request, user=user)


@transaction.atomic
def password_reset(*, request: HttpRequest, actor: User, user: User, new: str) -> None:
    """An administrator sets a temporary password; the user must change it at next login."""
    password_set(user=user, password=new, must_change=True)
    end_sessions(user)
    record(EventKind.PASSWORD_RESET, request=request, user=actor, detail={"account": user.username})


def roles_of(user: User) -> list[Role]:
    """The user's active roles, read once per user object."""
    cached: list[Role] | None = getattr(user, "_yanzhen_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(users=user, is_active=True))
        setattr(user, "_yanzhen_roles", cached)  # noqa: B010 (a per-object cache)
    return cached


def check_role_mix(roles: Sequence[Role]) -> None:
    """三员分立: at most one administrator role, and never together with business roles."""
    admin = [r for r in roles if r.kind in ADMIN_KINDS]
    if len(admin) > 1:
        names = "、".join(r.name for r in admin)
        raise DomainError(
            "role_mix",
            f"系统管理员、安全管理员、安全审计员三者只能担任其一（选择了{names}）",
            {"roles": "三员角色只能选择其一"},
        )
    if admin and len(admin) != len(roles):
        raise DomainError(
            "role_mix",
            "管理员角色不能与业务角色同时授予同一账户",
            {"roles": "管理员角色不能与业务角色同时授予"},
        )


@transaction.atomic
def account_create(
    *,
    request: HttpRequest,
    actor: User,
    username: str,
    full_name: str,
    unit: Unit | None,
    email: str,
    password: str,
) -> User:
    """A new account (no roles yet: the security administrator grants them). The password
    is a temporary one to be changed at first login."""
    if User.objects.filter(username=username).exists():
        raise DomainError("duplicate", f"账户名“{username}”已存在", {"username": "账户名已存在"})
    user = User(username=username, full_name=full_name, unit=unit, email=email)
    validate(user, exclude=["password"])
    check_password_rules(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    record(EventKind.USER_CHANGE, request=request, user=actor, detail={"created": username})
    return user


@transaction.atomic
def account_update(
    *,
    request: HttpRequest,
    actor: User,
    user: User,
    full_name: str,
    unit: Unit | None,
    email: str,
) -> User:
    user.full_name = full_name
    user.unit = unit
    user.email = email
    validate(user, exclude=["password"])
    user.save(update_fields=["full_name", "unit", "email"])
    forget_scope(user)
    record(EventKind.USER_CHANGE, request=request, user=actor, detail={"updated": user.username})
    return user


@transaction.atomic
def roles_assign(*, request: HttpRequest, actor: User, user: User, roles: Sequence[Role]) -> None:
    if user.pk == actor.pk:
        raise DomainError("self_grant", "不能给自己授予或撤销角色", {"roles": "不能修改自己的角色"})
    check_role_mix(roles)
    before = sorted(r.code for r in user.roles.all())
    user.roles.set(list(roles))
    forget_scope(user)
    if hasattr(user, "_yanzhen_roles"):
        del user._yanzhen_roles
    after = sorted(r.code for r in roles)
    record(
        EventKind.ROLE_CHANGE,
        request=request,
        user=actor,
        detail={"account": user.username, "before": before, "after": after},
    )


def end_sessions(user: User) -> int:
    """Log the user out everywhere."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def account_disable(*, request: HttpRequest | None, actor: User | None, user: User) -> None:
    if actor is not None and user.pk == actor.pk:
        raise DomainError("self_disable", "不能停用自己的账户")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    record(
        EventKind.USER_CHANGE,
        request=request,
        user=actor,
        username="system" if actor is None else "",
        detail={"disabled": user.username, "sessions_ended": ended},
    )


@transaction.atomic
def account_enable(*, request: HttpRequest, actor: User, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(EventKind.USER_CHANGE, request=request, user=actor, detail={"enabled": user.username})


@transaction.atomic
def unlock(*, request: HttpRequest, actor: User, username: str) -> None:
    lockout.unlock(username)
    record(EventKind.UNLOCK, request=request, user=actor, detail={"account": username})


def _check_role_permissions(kind: str, permissions: Iterable[Permission]) -> None:
    perms = list(permissions)
    if kind == RoleKind.AUDITOR:
        writable = [p for p in perms if not p.codename.startswith("view_")]
        outside = [p for p in perms if p.content_type.app_label not in AUDITOR_APPS | {"core"}]
        if writable or outside:
            raise DomainError(
                "auditor_rights",
                "安全审计员只能查看审计日志，不能有任何修改权限",
                {"permissions": "安全审计员只能有“查看”审计日志的权限"},
            )
    if kind in ADMIN_KINDS:
        business = [
            p
            for p in perms
            if p.content_type.app_label in BUSINESS_APPS or p.codename == "view_personal_data"
            or (p.content_type.app_label == "core" and p.codename.endswith("_person"))
        ]  # fmt: skip
        if business:
            raise DomainError(
                "admin_rights",
                "管理员角色不能访问业务数据和个人信息",
                {"permissions": "管理员角色不能有业务数据权限"},
            )
    if kind in (RoleKind.SYSTEM_ADMIN, RoleKind.BUSINESS):
        audit = [p for p in perms if p.content_type.app_label == "audit"]
        if audit:
            raise DomainError(
                "audit_rights",
                "只有安全审计员能查看审计日志",
                {"permissions": "审计日志只授予安全审计员"},
            )


@transaction.atomic
def role_save(
    *,
    request: HttpRequest,
    actor: User,
    role: Role | None,
    code: str,
    name: str,
    kind: str,
    data_scope: str,
    permissions: Sequence[Permission],
    custom_units: Sequence[Unit] = (),
    requires_otp: bool = False,
    password_max_age_days: int | None = None,
    description: str = "",
) -> Role:
    _check_role_permissions(kind, permissions)
    if kind in ADMIN_KINDS and not requires_otp:
        raise DomainError(
            "otp_required", "管理员角色必须启用双因素认证", {"requires_otp": "管理员角色必须启用"}
        )
    instance = role or Role(created_by=actor)
    before = (
        sorted(f"{p.content_type.app_label}.{p.codename}" for p in instance.permissions.all())
        if role is not None
        else []
    )
    instance.code = code
    instance.name = name
    instance.kind = kind
    instance.data_scope = data_scope
    instance.requires_otp = requires_otp
    instance.password_max_age_days = password_max_age_days
    instance.description = description
    instance.updated_by = actor
    validate(instance)
    instance.save()
    instance.permissions.set(list(permissions))
    instance.custom_units.set(list(custom_units))
    for user in instance.users.all():
        check_role_mix(roles_of(user))
    record(
        EventKind.ROLE_CHANGE,
        request=request,
        user=actor,
        detail={
            "role": code,
            "kind": kind,
            "scope": instance.data_scope,
            "before": before,
            "after": sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions),
        },
    )
    return instance


def unused_accounts(*, days: int = 90, now: dt.datetime | None = None) -> QuerySet[User]:
    """Active accounts without a login for ``days`` (or never, and older than that)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )


def disable_unused(*, days: int = 90) -> list[str]:
    names = []
    for user in unused_accounts(days=days).order_by("username"):
        account_disable(request=None, actor=None, user=user)
        names.append(user.username)
    return names


def password_expired(user: User, *, now: dt.datetime | None = None) -> bool:
    ages = [r.password_max_age_days for r in roles_of(user) if r.password_max_age_days]
    if not ages:
        return False
    changed = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed > dt.timedelta(days=min(ages))


def requires_otp(user: User) -> bool:
    return any(r.requires_otp or r.kind in ADMIN_KINDS for r in roles_of(user))


def is_administrator(user: User) -> bool:
    return any(r.kind in ADMIN_KINDS for r in roles_of(user))
