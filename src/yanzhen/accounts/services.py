"""Accounts, passwords, second factors, roles (三员分立), sessions and unlocking — each write
logged. Acts that would let one administrator take an account over need a second person
(``core.workflow``): the reset of a password (any account) and the disabling of an
administrator are requested by the system administrator and take effect when a security
administrator approves them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from yanzhen.accounts import delegation, lockout
from yanzhen.accounts.models import UserSession
from yanzhen.accounts.separation import check_role_permissions
from yanzhen.audit.services import record
from yanzhen.core import workflow
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ADMIN_KINDS, ApprovalRequest, Role, Unit, User
from yanzhen.core.scope import active_roles, forget_scope
from yanzhen.core.services import validate
from yanzhen.core.trail import EventKind

# Names that say nothing about who uses the account (G08: no default or shared accounts).
RESERVED_USERNAMES = frozenset(
    {"admin", "administrator", "root", "test", "sa", "guest", "user", "system", "superuser",
     "demo", "manager", "operator", "管理员", "超级管理员"}
)  # fmt: skip
# The longest password age a role with two factors (leaders, administrators) may set.
STRICT_PASSWORD_MAX_AGE_DAYS = 90
CHANGE_STEP = "password_change"  # the step of the security-log rows of this check
CHECK_LOCKED = "原密码错误次数过多，已锁定30分钟，请稍后再试或联系安全管理员"


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


def password_change(*, request: HttpRequest, user: User, old: str, new: str) -> None:
    """The user changes their own password. The old one is checked first, limited like the
    login: 5 wrong within 15 minutes refuse the check for 30 minutes (each failure and the
    lock in the security log, committed even though the change is refused)."""
    locked = {"old_password": CHECK_LOCKED}
    if lockout.event_locked_until(user.username, lock_kind=EventKind.LOCKOUT, step=CHANGE_STEP):
        raise DomainError("password_check_locked", CHECK_LOCKED, locked, status=429)
    if not user.check_password(old):
        if lockout.event_failure(
            request,
            user,
            fail_kind=EventKind.LOGIN_FAILED,
            lock_kind=EventKind.LOCKOUT,
            step=CHANGE_STEP,
        ):
            raise DomainError("password_check_locked", CHECK_LOCKED, locked, status=429)
        raise DomainError("wrong_password", _("原密码不正确"), {"old_password": _("原密码不正确")})
    with transaction.atomic():
        password_set(user=user, password=new, must_change=False)
        record(EventKind.PASSWORD_CHANGE, request=request, user=user)


# Resets and disabling by a second person (core.workflow) --------------------------------------


def _target_account(approval: ApprovalRequest) -> User:
    return User.objects.select_for_update().get(pk=approval.target_id)


def _apply_password_reset(
    approval: ApprovalRequest, approver: User, request: HttpRequest | None
) -> None:
    user = _target_account(approval)
    user.password = str(approval.payload["password_hash"])
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    # Keeps the password history and the date of the change (the validators' hook).
    password_validation.password_changed("", user)
    ended = end_sessions(user)
    record(
        EventKind.PASSWORD_RESET,
        request=request,
        user=approver,
        detail={
            "account": user.username,
            "request": approval.pk,
            "requested_by": approval.requester.username,
            "sessions_ended": ended,
        },
    )


def _apply_disable(approval: ApprovalRequest, approver: User, request: HttpRequest | None) -> None:
    _disable(
        request=request, actor=approver, user=_target_account(approval), request_id=approval.pk
    )


PASSWORD_RESET = workflow.register(
    workflow.RequestKind(
        code="accounts.password_reset",
        label="重置密码",
        decide_perm="core.decide_approvalrequest",
        event_kind=EventKind.USER_CHANGE,
        apply=_apply_password_reset,
    )
)
ACCOUNT_DISABLE = workflow.register(
    workflow.RequestKind(
        code="accounts.disable_admin",
        label="停用管理员账户",
        decide_perm="core.decide_approvalrequest",
        event_kind=EventKind.USER_CHANGE,
        apply=_apply_disable,
    )
)


def password_reset_request(
    *, request: HttpRequest | None, actor: User, user: User, new: str, reason: str
) -> ApprovalRequest:
    """Ask for a temporary password on ``user`` (any account): it takes effect when a
    security administrator approves; then the user must change it at the next login and all
    its sessions end. The password is checked now and kept only as its hash."""
    if user.pk == actor.pk:
        message = _("自己的密码请在“修改密码”中修改")
        raise DomainError("own_account", message, {"new_password": message})
    check_password_rules(new, user)
    return workflow.request_submit(
        kind=PASSWORD_RESET,
        target=user,
        requester=actor,
        reason=reason,
        unit=user.unit,
        payload={"password_hash": make_password(new)},
        request=request,
    )


def roles_of(user: User) -> list[Role]:
    """The user's active roles, read once per user object (shared with the data scope)."""
    return active_roles(user)


def check_role_mix(roles: Sequence[Role]) -> None:
    """三员分立: at most one administrator role, and never together with business roles."""
    admin = [r for r in roles if r.kind in ADMIN_KINDS]
    if len(admin) > 1:
        names = "、".join(r.name for r in admin)
        raise DomainError(
            "role_mix",
            _("系统管理员、安全管理员、安全审计员三者只能担任其一（选择了%(names)s）")
            % {"names": names},
            {"roles": _("三员角色只能选择其一")},
        )
    if admin and len(admin) != len(roles):
        raise DomainError(
            "role_mix",
            _("管理员角色不能与业务角色同时授予同一账户"),
            {"roles": _("管理员角色不能与业务角色同时授予")},
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
    is a temporary one to be changed at first login. Names that say nothing of who uses the
    account (``admin``, ``root``, ``test``…) are refused."""
    if username.strip().lower() in RESERVED_USERNAMES:
        message = _(
            "账户名“%(username)s”不能使用：账户须对应到具体的人，不能用 admin、root、test 等通用名称"
        ) % {"username": username}
        raise DomainError("reserved_username", message, {"username": _("不能使用通用账户名")})
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            "duplicate",
            _("账户名“%(username)s”已存在") % {"username": username},
            {"username": _("账户名已存在")},
        )
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
        raise DomainError(
            "self_grant", _("不能给自己授予或撤销角色"), {"roles": _("不能修改自己的角色")}
        )
    check_role_mix(roles)
    delegation.check_role_grant(actor=actor, account=user, roles=roles)
    before = sorted(r.code for r in user.roles.all())
    user.roles.set(list(roles))
    forget_scope(user)
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


def _disable(
    *, request: HttpRequest | None, actor: User | None, user: User, request_id: int | None = None
) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    detail: dict[str, object] = {"disabled": user.username, "sessions_ended": ended}
    if request_id is not None:
        detail["request"] = request_id
    record(
        EventKind.USER_CHANGE,
        request=request,
        user=actor,
        username="system" if actor is None else "",
        detail=detail,
    )


@transaction.atomic
def account_disable(
    *, request: HttpRequest | None, actor: User | None, user: User, reason: str = ""
) -> ApprovalRequest | None:
    """Disable an account and end its sessions. An administrator's account (system or
    security administrator, auditor) is not disabled by one person: this files a request that
    a security administrator approves (returned; None when the account was disabled now)."""
    if actor is not None and user.pk == actor.pk:
        raise DomainError("self_disable", _("不能停用自己的账户"))
    if actor is not None and is_administrator(user):
        return workflow.request_submit(
            kind=ACCOUNT_DISABLE,
            target=user,
            requester=actor,
            reason=reason,
            unit=user.unit,
            request=request,
        )
    _disable(request=request, actor=actor, user=user)
    return None


@transaction.atomic
def account_enable(*, request: HttpRequest, actor: User, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(EventKind.USER_CHANGE, request=request, user=actor, detail={"enabled": user.username})


@transaction.atomic
def unlock(*, request: HttpRequest, actor: User, username: str) -> None:
    """End the locks of ``username``: the login's, the second factor's and the old-password
    check's (the last two end at this event). A county administrator unlocks only the accounts
    of its county (any other name is a 404, nothing unlocked)."""
    if not delegation.is_province_admin(actor) and not (
        delegation.administered_accounts(actor).filter(username=username).exists()
    ):
        raise DomainError(
            "not_found", _("没有找到该账户：%(username)s") % {"username": username}, status=404
        )
    lockout.unlock(username)
    record(EventKind.UNLOCK, request=request, user=actor, detail={"account": username})


@transaction.atomic
def otp_reset(*, request: HttpRequest, actor: User, user: User) -> int:
    """A security administrator resets the second factor of ``user`` (a lost phone): its
    devices are removed and all its sessions end; at the next login, after the password, the
    user enrols a new device. Nobody resets their own factor this way."""
    if user.pk == actor.pk:
        raise DomainError("own_account", _("不能重置自己的动态口令"))
    if not actor.has_perm("otp_totp.delete_totpdevice"):
        raise DomainError("forbidden", _("没有重置动态口令的权限"), status=403)
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    ended = end_sessions(user)
    record(
        EventKind.USER_CHANGE,
        request=request,
        user=actor,
        detail={"otp_reset": user.username, "devices_removed": removed, "sessions_ended": ended},
    )
    return ended


@dataclass(frozen=True)
class RoleData:
    """What a role is made of (its code aside, which never changes)."""

    name: str
    kind: str
    data_scope: str
    permissions: Sequence[Permission]
    custom_units: Sequence[Unit] = ()
    requires_otp: bool = False
    password_max_age_days: int | None = None
    description: str = ""
    # The county the role belongs to; None for a province role (inherited by every county).
    unit: Unit | None = None


def role_create(*, request: HttpRequest, actor: User, code: str, data: RoleData) -> Role:
    """A new role (the rules of :func:`role_update`)."""
    return _role_save(
        request=request, actor=actor, role=Role(created_by=actor, code=code), data=data
    )


def role_update(*, request: HttpRequest, actor: User, role: Role, data: RoleData) -> Role:
    """Change a role (its code stays). Nobody changes a role they hold; the permission set
    follows 三员分立 (``accounts.separation``); administrator roles need two factors; a role
    with two factors (leaders, administrators) sets a password age of at most 90 days."""
    if role.users.filter(pk=actor.pk).exists():
        message = _("不能修改自己担任的角色")
        raise DomainError("own_role", message, {"__all__": message}, status=403)
    return _role_save(request=request, actor=actor, role=role, data=data)


@transaction.atomic
def _role_save(*, request: HttpRequest, actor: User, role: Role, data: RoleData) -> Role:
    kind, permissions, requires_otp = data.kind, data.permissions, data.requires_otp
    password_max_age_days = data.password_max_age_days
    check_role_permissions(kind, permissions)
    delegation.check_role_save(
        actor=actor,
        role=role,
        unit=data.unit,
        kind=kind,
        data_scope=data.data_scope,
        permissions=permissions,
        custom_units=data.custom_units,
    )
    if kind in ADMIN_KINDS and not requires_otp:
        raise DomainError(
            "otp_required",
            _("管理员角色必须启用双因素认证"),
            {"requires_otp": _("管理员角色必须启用")},
        )
    if requires_otp and not (
        password_max_age_days and password_max_age_days <= STRICT_PASSWORD_MAX_AGE_DAYS
    ):
        message = _("须双因素认证的角色（领导、管理员），密码最长使用天数须在1至%(days)s天之间") % {
            "days": STRICT_PASSWORD_MAX_AGE_DAYS
        }
        raise DomainError("password_age", message, {"password_max_age_days": message})
    instance = role
    before = (
        sorted(f"{p.content_type.app_label}.{p.codename}" for p in instance.permissions.all())
        if instance.pk is not None
        else []
    )
    instance.name = data.name
    instance.kind = kind
    instance.data_scope = data.data_scope
    instance.requires_otp = requires_otp
    instance.password_max_age_days = password_max_age_days
    instance.description = data.description
    instance.unit = data.unit
    instance.updated_by = actor
    validate(instance)
    instance.save()
    instance.permissions.set(list(permissions))
    instance.custom_units.set(list(data.custom_units))
    for user in instance.users.all():
        check_role_mix(roles_of(user))
    record(
        EventKind.ROLE_CHANGE,
        request=request,
        user=actor,
        detail={
            "role": instance.code,
            "kind": kind,
            "scope": instance.data_scope,
            "unit": instance.unit.name if instance.unit else "",
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


def home(user: User) -> str:
    """The URL name of the user's first page: the dashboard, or an administrator's own page
    (administrators open no business page)."""
    if not is_administrator(user):
        return "reports:dashboard"
    for name, perm in (
        ("accounts:request_list", "core.decide_approvalrequest"),
        ("audit:event_list", "audit.view_securityevent"),
        ("accounts:user_list", "core.view_user"),
    ):
        if user.has_perm(perm):
            return name
    return "accounts:security"
