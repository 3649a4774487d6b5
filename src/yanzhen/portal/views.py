"""Pages of the portal: its home, the open registration and the account's activation (for
outside parties, on ``templates/portal/base.html``), and the county office's list of the
registrations it decides (decided in the shared review inbox)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.masking import pii
from yanzhen.core.pages import Col, TablePage, render_table, require_perm, url
from yanzhen.core.trail import client_ip
from yanzhen.core.workflow import reviews_for
from yanzhen.portal import selectors, services
from yanzhen.portal.forms import ActivationForm, RegistrationForm
from yanzhen.portal.models import Registration, RegistrationState
from yanzhen.portal.services import REVIEW_PERMISSION

STATE_TAGS: dict[str, str] = {
    RegistrationState.PENDING: "warn",
    RegistrationState.APPROVED: "ok",
    RegistrationState.RETURNED: "gap",
}


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The portal's home: the user's organisation and its accounts."""
    require_perm(request, services.ACCESS_PERMISSION)
    user = request.user
    accounts = list(selectors.organisation_accounts(user))
    return render(
        request,
        "portal/home.html",
        {
            "organisation": user.unit,
            "accounts": accounts if user.has_perm("portal.view_outsideaccount") else [],
        },
    )


@login_not_required
def register(request: HttpRequest) -> HttpResponse:
    """The open registration (anonymous; 10 an hour per address)."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        university = data["university"]
        try:
            registration = services.registration_create(
                data=services.RegistrationData(
                    kind=data["kind"],
                    name=data["name"],
                    credit_code=data["credit_code"],
                    school_code=data["school_code"],
                    university_id=university.pk if university is not None else None,
                    contact=data["contact"],
                    mobile=data["mobile"],
                    email=data["email"],
                ),
                address=client_ip(request),
                request=request,
            )
        except DomainError as error:
            fields = dict(error.fields)
            if "university_id" in fields:
                fields["university"] = fields.pop("university_id")
            apply_domain_error(
                form, DomainError(error.code, error.message, fields, status=error.status)
            )
            status = 429 if error.status == 429 else 200
            return render(request, "portal/register.html", {"form": form}, status=status)
        return render(request, "portal/registered.html", {"registration": registration})
    return render(request, "portal/register.html", {"form": form})


@login_not_required
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The one-time link of an approved registration: the account's first password."""
    user = services.activation_user(uidb64, token)
    if user is None:
        return render(request, "portal/activate.html", {"invalid": True})
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_activate(
                user=user, password=form.cleaned_data["password"], request=request
            )
        except DomainError as error:
            fields = {"password": error.message}
            apply_domain_error(form, DomainError(error.code, error.message, fields))
        else:
            messages.success(request, "密码已设置，请登录")
            return redirect("core:login")
    return render(request, "portal/activate.html", {"form": form, "account": user})


def _when(registration: Registration) -> str:
    return timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M")


# The office's side ---------------------------------------------------------------------------


def registration_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, REVIEW_PERMISSION)
    form = filter_form(selectors.RegistrationFilters)(request.GET or None)
    columns: list[Col[Registration]] = [
        Col(
            "名称",
            lambda r: r.name,
            lambda r: url("portal:registration_detail", r.pk),
            width=30,
        ),
        Col("注册类型", lambda r: r.get_kind_display(), width=12),
        Col("联系人", lambda r: r.contact, width=10),
        Col("注册时间", lambda r: _when(r), width=18, sort="created_at"),
        Col(
            "状态",
            lambda r: r.get_state_display(),
            tag=lambda r: STATE_TAGS.get(r.state, ""),
            width=8,
        ),
    ]
    return render_table(
        request,
        TablePage(
            title="门户注册",
            columns=columns,
            rows=selectors.registration_list(user=request.user, filters=form.filters()),
            form=form,
            exportable=False,
            note="注册在“待审核”中审核；通过后创建单位和账户，并把设置密码的一次性链接发到注册邮箱。",
        ),
    )


def registration_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, REVIEW_PERMISSION)
    registration = selectors.registration_get(request.user, pk)
    facts: list[tuple[str, object]] = [
        ("注册类型", registration.get_kind_display()),
        ("名称", registration.name),
    ]
    if registration.credit_code:
        facts.append(("统一社会信用代码", registration.credit_code))
    if registration.school_code:
        facts.append(("学校标识码", registration.school_code))
    if registration.university is not None:
        facts.append(("所在高校（科研院所）", registration.university.name))
    facts += [
        ("联系人", registration.contact),
        ("手机号", pii(request.user, registration.mobile, "mobile")),
        ("电子邮箱", registration.email),
        ("受理县", registration.county.name),
        ("注册时间", _when(registration)),
        ("状态", registration.get_state_display()),
    ]
    if registration.unit is not None:
        facts.append(("创建的单位", registration.unit.name))
    if registration.user is not None:
        facts.append(("创建的账户", registration.user.username))
    return render(
        request,
        "portal/registration_detail.html",
        {
            "registration": registration,
            "facts": facts,
            "reviews": list(reviews_for(registration, flow=services.REGISTRATION_FLOW)),
        },
    )
