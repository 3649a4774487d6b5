"""Writes of the portal: registrations (open, limited per address, checked codes), their
decision by the county office in the shared review inbox (``core.workflow``), which creates the
organisation's unit and the account, and the account's activation through a one-time link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from yanzhen.accounts.services import password_set, roles_of
from yanzhen.audit.services import record
from yanzhen.core.counties import settings_for
from yanzhen.core.errors import DomainError
from yanzhen.core.models import (
    ApprovalRequest,
    CountySettings,
    DataScope,
    Role,
    Unit,
    UnitKind,
    User,
)
from yanzhen.core.services import unit_create
from yanzhen.core.trail import EventKind
from yanzhen.core.workflow import Flow, anonymous_requester, register_flow, review_submit
from yanzhen.engines.credit_code import check_credit_code, normalize_credit_code
from yanzhen.engines.idcard import check_mobile
from yanzhen.portal.models import OutsideAccount, PartyKind, Registration, RegistrationState
from yanzhen.reference.models import University, UniversityCategory

REGISTRATIONS_PER_HOUR = 10
REVIEW_PERMISSION = "portal.review_registration"
ACCESS_PERMISSION = "portal.access_portal"

# The roles of the outside parties (created when first needed): code → name, scope, two
# factors, permissions. A university's account signs agreements for its institution, so it
# signs in with two factors.
OUTSIDE_ROLES: dict[str, tuple[str, bool, tuple[str, ...], str]] = {
    "university": (
        "高校（科研院所）",
        True,
        (ACCESS_PERMISSION, "portal.view_outsideaccount"),
        "对接门户：本机构的成果、对接与账户",
    ),
    "expert": ("专家", False, (ACCESS_PERMISSION,), "对接门户：本人的对接"),
    # A staff sub-account acts for its university but does not manage its accounts.
    "university_staff": (
        "高校（科研院所）工作人员",
        False,
        (ACCESS_PERMISSION,),
        "对接门户：代表本机构揭榜与对接（不管理账户）",
    ),
}
# The existing role an approved enterprise gets (the county's enterprises hold it).
ENTERPRISE_ROLE = "enterprise"
ROLE_OF_KIND = {
    PartyKind.ENTERPRISE: ENTERPRISE_ROLE,
    PartyKind.UNIVERSITY: "university",
    PartyKind.EXPERT: "expert",
}
OUTSIDE_ROLE_CODES = frozenset(OUTSIDE_ROLES)

FIELD_LABELS = {
    "kind": "注册类型",
    "name": "名称",
    "credit_code": "统一社会信用代码",
    "school_code": "学校标识码",
    "university_id": "所在高校（科研院所）",
    "contact": "联系人",
    "mobile": "手机号",
    "email": "电子邮箱",
}
# The fields each kind fills (the others must stay empty).
KIND_FIELDS: dict[str, frozenset[str]] = {
    PartyKind.ENTERPRISE: frozenset({"credit_code"}),
    PartyKind.UNIVERSITY: frozenset({"school_code"}),
    PartyKind.EXPERT: frozenset({"university_id"}),
}
TEXT_MAX = {"name": 100, "contact": 50, "email": 100}


@dataclass(frozen=True)
class RegistrationData:
    kind: str
    name: str
    contact: str
    mobile: str
    email: str
    credit_code: str = ""
    school_code: str = ""
    university_id: int | None = None


def ensure_roles() -> dict[str, Role]:
    """The roles of universities and experts, created with their permissions if missing."""
    roles = {}
    for code, (name, otp, perms, description) in OUTSIDE_ROLES.items():
        role, created = Role.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "data_scope": DataScope.UNIT,
                "requires_otp": otp,
                "description": description,
            },
        )
        if created:
            role.permissions.set(_permissions(perms))
        roles[code] = role
    return roles


def _permissions(codes: tuple[str, ...]) -> list[Permission]:
    found = []
    for code in codes:
        app_label, codename = code.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def portal_county() -> Unit | None:
    """The county whose office decides the portal's registrations: the one named by
    ``YANZHEN_PORTAL_COUNTY``, else the first county with an office."""
    qs = CountySettings.objects.filter(office__isnull=False).select_related("county")
    name = str(getattr(settings, "YANZHEN_PORTAL_COUNTY", ""))
    if name:
        qs = qs.filter(county__name=name)
    first = qs.order_by("pk").first()
    return first.county if first is not None else None


def _check(data: RegistrationData) -> tuple[dict[str, str], University | None, str]:
    """The registration's problems by field, the university it names, the normalised code."""
    problems: dict[str, str] = {}
    if data.kind not in KIND_FIELDS:
        return {"kind": "应为 enterprise（企业）、university（高校）或 expert（专家）"}, None, ""
    given = {
        "credit_code": bool(data.credit_code.strip()),
        "school_code": bool(data.school_code.strip()),
        "university_id": data.university_id is not None,
    }
    for field, present in given.items():
        if present and field not in KIND_FIELDS[data.kind]:
            problems[field] = f"{PartyKind(data.kind).label}注册不填写此项"
    for field in ("name", "contact", "email"):
        value = str(getattr(data, field)).strip()
        if not value:
            problems[field] = "必填"
        elif len(value) > TEXT_MAX[field]:
            problems[field] = f"不能超过{TEXT_MAX[field]}字"
    mobile_problem = check_mobile(data.mobile.strip())
    if mobile_problem:
        problems["mobile"] = mobile_problem
    if "email" not in problems:
        try:
            validate_email(data.email.strip())
        except ValidationError:
            problems["email"] = "格式不正确"
    university: University | None = None
    code = ""
    if data.kind == PartyKind.ENTERPRISE and "credit_code" not in problems:
        code = normalize_credit_code(data.credit_code)
        problem = check_credit_code(code) if code else "必填"
        if problem:
            problems["credit_code"] = problem
    elif data.kind == PartyKind.UNIVERSITY and "school_code" not in problems:
        code = data.school_code.strip()
        university = University.objects.filter(code=code).first() if code else None
        if not code:
            problems["school_code"] = "必填"
        elif university is None:
            problems["school_code"] = f"“{code[:20]}”不在全国高校名单中"
        elif "name" not in problems and data.name.strip() != university.name:
            problems["name"] = f"与学校标识码不符（{code}为“{university.name}”）"
    elif data.kind == PartyKind.EXPERT and "university_id" not in problems:
        if data.university_id is None:
            problems["university_id"] = "必填"
        else:
            university = University.objects.filter(pk=data.university_id).first()
            if university is None:
                problems["university_id"] = "不在全国高校和科研院所名单中"
    return problems, university, code


@transaction.atomic
def registration_create(
    *, data: RegistrationData, address: str, request: HttpRequest | None = None
) -> Registration:
    """Register on the portal (anonymous): at most ``REGISTRATIONS_PER_HOUR`` from one address
    in an hour (429), every field checked (422 naming the first field in Chinese, every field
    in ``fields``), then the county office is asked to review it."""
    since = timezone.now() - dt.timedelta(hours=1)
    if Registration.objects.filter(address=address or None, created_at__gte=since).count() >= (
        REGISTRATIONS_PER_HOUR
    ):
        message = f"同一地址每小时最多注册{REGISTRATIONS_PER_HOUR}次，请一小时后再试"
        raise DomainError("rate_limited", message, {"__all__": message}, status=429)
    problems, university, code = _check(data)
    email = data.email.strip().lower()
    if "email" not in problems and (
        User.objects.filter(username__iexact=email).exists()
        or Registration.objects.filter(
            email__iexact=email, state=RegistrationState.PENDING
        ).exists()
    ):
        problems["email"] = "已注册（每个电子邮箱只能注册一个账户）"
    if problems:
        message = "；".join(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in problems.items())
        raise DomainError("invalid", message, problems, status=422)
    county = portal_county()
    if county is None:
        message = "平台尚未设置受理注册的县级合作办，请联系县合作办"
        raise DomainError("no_reviewer", message, {"__all__": message}, status=503)
    registration = Registration.objects.create(
        kind=data.kind,
        name=university.name
        if data.kind == PartyKind.UNIVERSITY and university
        else data.name.strip(),
        credit_code=code if data.kind == PartyKind.ENTERPRISE else "",
        school_code=code if data.kind == PartyKind.UNIVERSITY else "",
        university=university,
        contact=data.contact.strip(),
        mobile=data.mobile.strip(),
        email=email,
        county=county,
        address=address or None,
    )
    review_submit(
        flow=REGISTRATION_FLOW,
        target=registration,
        actor=anonymous_requester(),
        unit=None,
        note=f"{registration.get_kind_display()}注册",
        request=request,
    )
    return registration


# The decision (the review flow) -----------------------------------------------------------------


def _reviewer(registration: Registration, _unit: Unit | None) -> Unit | None:
    county_settings = settings_for(registration.county)
    return county_settings.office if county_settings is not None else None


def _conditions(registration: Registration, _payload: object) -> dict[str, str]:
    if registration.state != RegistrationState.PENDING:
        return {"__all__": "该注册已处理"}
    taken = User.objects.filter(username__iexact=registration.email).exists()
    return {"email": "电子邮箱已被其他账户使用"} if taken else {}


def _organisation(registration: Registration, approver: User) -> Unit:
    """The unit of the registering organisation: an enterprise below the county (found by its
    code, else created), a university or institute outside every county tree (found by its
    entry of the national list, else created)."""
    if registration.kind == PartyKind.ENTERPRISE:
        existing = Unit.objects.filter(code=registration.credit_code).first()
        if existing is not None:
            return existing
        return unit_create(
            actor=None,
            parent=registration.county,
            name=registration.name,
            kind=UnitKind.ENTERPRISE,
            code=registration.credit_code,
        )
    university = registration.university
    if university is None:  # the check at registration requires it
        raise DomainError("invalid", "注册缺少高校", {"university_id": "必填"})
    kind = (
        UnitKind.INSTITUTE
        if university.category == UniversityCategory.INSTITUTE
        else UnitKind.UNIVERSITY
    )
    found = Unit.objects.filter(university=university, parent__isnull=True).order_by("pk").first()
    if found is not None:
        return found
    return unit_create(
        actor=None,
        parent=None,
        name=university.name,
        kind=kind,
        university=university,
        code=university.code,
    )


def activation_path(user: User) -> str:
    """The one-time link that sets the account's first password (it expires after
    ``PASSWORD_RESET_TIMEOUT`` and once a password is set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("portal:activate", kwargs={"uidb64": uid, "token": token})


def _send_activation(user: User, registration: Registration) -> None:
    link = f"{str(settings.YANZHEN_SITE_URL).rstrip('/')}{activation_path(user)}"
    body = (
        f"{registration.contact}：您好！\n\n{registration.name}在对接门户的注册已通过审核。"
        f"您的账户名为 {user.username}。请在三日内打开以下链接设置密码（链接只能使用一次）：\n"
        f"{link}\n"
    )
    send_mail("【雁阵】门户注册已通过，请设置密码", body, None, [registration.email])


def _approve(approval: ApprovalRequest, approver: User) -> None:
    registration = Registration.objects.select_for_update().get(pk=approval.target_id)
    organisation = _organisation(registration, approver)
    ensure_roles()
    role = Role.objects.get(code=ROLE_OF_KIND[PartyKind(registration.kind)])
    user = User(
        username=registration.email,
        full_name=registration.contact,
        email=registration.email,
        unit=organisation,
    )
    user.set_unusable_password()
    user.save()
    user.roles.set([role])
    OutsideAccount.objects.create(
        user=user,
        kind=registration.kind,
        organisation=organisation,
        is_manager=registration.kind != PartyKind.EXPERT,
        registration=registration,
    )
    registration.state = RegistrationState.APPROVED
    registration.decided_at = timezone.now()
    registration.unit = organisation
    registration.user = user
    registration.save(update_fields=["state", "decided_at", "unit", "user"])
    record(
        EventKind.USER_CHANGE,
        user=approver,
        detail={
            "created": user.username,
            "role": role.code,
            "unit": organisation.name,
            "registration": registration.pk,
        },
    )
    transaction.on_commit(lambda: _send_activation(user, registration))


def _return(approval: ApprovalRequest, approver: User) -> None:
    registration = Registration.objects.get(pk=approval.target_id)
    registration.state = RegistrationState.RETURNED
    registration.decided_at = timezone.now()
    registration.save(update_fields=["state", "decided_at"])
    body = (
        f"{registration.contact}：您好！\n\n{registration.name}在对接门户的注册未通过审核。"
        f"审核意见：{approval.decision_note}\n"
    )
    email = registration.email
    transaction.on_commit(lambda: send_mail("【雁阵】门户注册未通过", body, None, [email]))


REGISTRATION_FLOW = register_flow(
    Flow(
        code="portal.registration",
        label="门户注册",
        model=Registration,
        permission=REVIEW_PERMISSION,
        reviewer=_reviewer,
        title=lambda r: f"{r.get_kind_display()}：{r.name}",
        url=lambda r: reverse("portal:registration_detail", args=[r.pk]),
        conditions=_conditions,
        apply=_approve,
        on_return=_return,
        notify_decision=False,
    )
)


# Activation ----------------------------------------------------------------------------------


def activation_user(uidb64: str, token: str) -> User | None:
    """The account a valid one-time link opens (None for a used, expired or forged link)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True, outside_account__isnull=False).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def account_activate(*, user: User, password: str, request: HttpRequest | None) -> None:
    """Set the first password of an approved account (the password rules apply; the link
    is then used up)."""
    password_set(user=user, password=password, must_change=False)
    record(EventKind.PASSWORD_CHANGE, request=request, user=user, detail={"activation": True})


def is_outside(user: User) -> bool:
    """Whether ``user`` is a university's or an expert's account (confined to the portal)."""
    return any(r.code in OUTSIDE_ROLE_CODES for r in roles_of(user))
