"""Staff sub-accounts of a university: its institution account (the 科研院/合作处 contact,
``OutsideAccount.is_manager``) invites them with a one-time activation link (as a
registration's), and deactivates them. A sub-account acts for the same organisation (it
applies, answers, reads the organisation's records) but manages no account."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest

from yanzhen.accounts.services import end_sessions
from yanzhen.audit.services import record
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import Role, User
from yanzhen.core.trail import EventKind
from yanzhen.portal.models import OutsideAccount, PartyKind, Registration, RegistrationState
from yanzhen.portal.services import activation_path, ensure_roles

STAFF_ROLE = "university_staff"


def manager_account(user: User) -> OutsideAccount | None:
    """The user's institution account of a university (None for anyone else)."""
    account = OutsideAccount.objects.filter(user_id=user.pk).select_related("organisation").first()
    if account is None or not account.is_manager or account.kind != PartyKind.UNIVERSITY:
        return None
    return account


def _require_manager(actor: User) -> OutsideAccount:
    account = manager_account(actor)
    if account is None:
        raise ForbiddenError("只有本机构的机构账户可以管理工作人员子账户")
    return account


def _send(user: User, organisation: str) -> None:
    link = f"{str(settings.YANZHEN_SITE_URL).rstrip('/')}{activation_path(user)}"
    body = (
        f"{user.full_name}：您好！\n\n{organisation}为您开通了对接门户的工作人员账户，"
        f"账户名为 {user.username}。请在三日内打开以下链接设置密码（链接只能使用一次）：\n"
        f"{link}\n"
    )
    send_mail("【雁阵】对接门户工作人员账户，请设置密码", body, None, [user.email])


@transaction.atomic
def staff_invite(
    *, actor: User, full_name: str, email: str, request: HttpRequest | None = None
) -> User:
    """A staff sub-account of the actor's university; the activation link goes to ``email``."""
    manager = _require_manager(actor)
    errors: dict[str, str] = {}
    name = full_name.strip()
    address = email.strip().lower()
    if not name:
        errors["full_name"] = "姓名不能为空"
    elif len(name) > 50:
        errors["full_name"] = "姓名不能超过50字"
    try:
        validate_email(address)
    except ValidationError:
        errors["email"] = "电子邮箱格式不正确"
    if "email" not in errors and (
        User.objects.filter(username__iexact=address).exists()
        or Registration.objects.filter(
            email__iexact=address, state=RegistrationState.PENDING
        ).exists()
    ):
        errors["email"] = "该电子邮箱已有账户或待审核的注册"
    if errors:
        raise DomainError("invalid", "；".join(errors.values()), errors, status=422)
    ensure_roles()
    role = Role.objects.get(code=STAFF_ROLE)
    user = User(username=address, full_name=name, email=address, unit=manager.organisation)
    user.set_unusable_password()
    user.save()
    user.roles.set([role])
    OutsideAccount.objects.create(
        user=user, kind=PartyKind.UNIVERSITY, organisation=manager.organisation, is_manager=False
    )
    record(
        EventKind.USER_CHANGE,
        request=request,
        user=actor,
        detail={"created": user.username, "role": STAFF_ROLE, "unit": manager.organisation.name},
    )
    organisation = manager.organisation.name
    transaction.on_commit(lambda: _send(user, organisation))
    return user


@transaction.atomic
def staff_deactivate(
    *, actor: User, account: OutsideAccount, request: HttpRequest | None = None
) -> None:
    """Deactivate a staff sub-account of the actor's university (its sessions end)."""
    manager = _require_manager(actor)
    if account.organisation_id != manager.organisation_id or account.is_manager:
        raise ForbiddenError("只能停用本机构的工作人员子账户")
    user = User.objects.select_for_update().get(pk=account.user_id)
    if not user.is_active:
        message = "该子账户已停用"
        raise DomainError("inactive", message, {"__all__": message}, status=409)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    record(
        EventKind.USER_CHANGE,
        request=request,
        user=actor,
        detail={"disabled": user.username, "sessions_ended": ended},
    )
