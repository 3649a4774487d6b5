"""Pages of accounts and security: own password and two factors; accounts (system
administrator); roles, role grants, unlocking, second-factor resets and the approval of
requests (security administrator)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.accounts import delegation, lockout, otp, selectors, services
from yanzhen.accounts.forms import (
    AccountForm,
    DecisionForm,
    DisableForm,
    OtpForm,
    OtpRebindForm,
    PasswordChangeForm,
    PiiRequestForm,
    RoleForm,
    RolesForm,
    TemporaryPasswordForm,
)
from yanzhen.accounts.separation import admin_may_open
from yanzhen.core import masking, workflow
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest, require_perm
from yanzhen.core.models import ApprovalRequest, RequestState, Role, User
from yanzhen.core.pages import (
    Action,
    Col,
    Export,
    TablePage,
    form_page,
    form_view,
    initial_of,
    post_button,
    render_table,
    submit,
    url,
)
from yanzhen.core.scope import scope_of


def _may_open(user: User, target: str) -> bool:
    """Whether ``target`` (a local URL) is a page the user may be sent to: administrators are
    not sent to business pages (they would get a 403)."""
    if not services.is_administrator(user):
        return True
    try:
        match = resolve(target.split("?", 1)[0])
    except Resolver404:
        return False
    return admin_may_open(match)


def _next(request: AuthenticatedHttpRequest) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        and _may_open(request.user, target)
    ):
        return redirect(target)
    return redirect(services.home(request.user))


# Own account -------------------------------------------------------------------------------


def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                request=request,
                user=user,
                old=form.cleaned_data["old_password"],
                new=form.cleaned_data["new_password"],
            )
        except DomainError as error:
            error.fields = {
                ("new_password" if k == "password" else k): v for k, v in error.fields.items()
            }
            apply_domain_error(form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改"))
            return _next(request)
    context = {
        "form": form,
        "forced": user.must_change_password or services.password_expired(user),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/password_change.html", context)


def otp_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Verify a code; enrol first when the user has no confirmed device — only then (a user
    with a device changes it on the security page, with a code of the old one)."""
    user = request.user
    enrolling = otp.confirmed_device(user) is None
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if enrolling:
                otp.enrol(request, user, form.cleaned_data["token"])
            else:
                otp.verify(request, user, form.cleaned_data["token"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("双因素认证已完成"))
            return _next(request)
    context: dict[str, Any] = {
        "form": form,
        "enrolling": enrolling,
        "next": request.GET.get("next", ""),
    }
    if enrolling:
        device = otp.pending_device(user)
        context["qr"] = otp.qr_svg(device)
    return render(request, "accounts/otp.html", context)


def otp_rebind(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Replace the confirmed device by a new one: a code of the old device and one of the new
    device are both needed (a lost device is reset by a security administrator)."""
    user = request.user
    if otp.confirmed_device(user) is None:
        return redirect("accounts:otp")
    form = OtpRebindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp.rebind(request, user, form.cleaned_data["old_token"], form.cleaned_data["token"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已更换动态口令设备，原设备不再有效"))
            return redirect("accounts:security")
    context = {"form": form, "qr": otp.qr_svg(otp.pending_device(user))}
    return render(request, "accounts/otp_rebind.html", context)


def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "account": user,
        "roles": services.roles_of(user),
        "device": otp.confirmed_device(user),
        "requires_otp": services.requires_otp(user),
    }
    return render(request, "accounts/security.html", context)


# Accounts (system administrator) ------------------------------------------------------------

USER_COLUMNS = (
    Column("username", "账户名", width=16),
    Column("full_name", "姓名", width=12),
    Column("unit", "所属单位", width=28),
    Column("roles", "角色", kind="list", width=24),
    Column("active", "有效", kind="bool", width=8),
    Column("last_login", "最近登录", width=20),
)


def _last_login(u: User) -> str:
    moment = u.last_login
    return timezone.localtime(moment).isoformat(sep=" ", timespec="minutes") if moment else ""


def _user_row(u: User) -> tuple[object, ...]:
    unit = u.unit.name if u.unit else ""
    return (u.username, u.full_name, unit, [r.name for r in u.roles.all()], u.is_active,
            _last_login(u))  # fmt: skip


def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.view_user")
    user = request.user
    form = filter_form(selectors.AccountFilters)(request.GET or None)
    columns: list[Col[User]] = [
        Col(_("账户名"), lambda u: u.username, lambda u: url("accounts:user_detail", u.pk)),
        Col(_("姓名"), lambda u: u.full_name),
        Col(_("所属单位"), lambda u: u.unit.name if u.unit else None),
        Col(_("角色"), lambda u: [r.name for r in u.roles.all()], tag=lambda u: ""),
        Col(
            _("状态"),
            lambda u: _("有效") if u.is_active else _("停用"),
            tag=lambda u: "" if u.is_active else "gap",
        ),
        Col(_("最近登录"), lambda u: timezone.localtime(u.last_login) if u.last_login else None),
    ]
    may_add = user.has_perm("core.add_user")
    actions = [Action(_("新建账户"), url("accounts:user_new"), primary=True)] if may_add else []
    return render_table(
        request,
        TablePage(
            title=_("账户管理"),
            columns=columns,
            rows=selectors.account_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            export=Export(USER_COLUMNS, _user_row),
            empty=_("没有符合条件的账户"),
        ),
    )


def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.view_user")
    user = request.user
    account = selectors.account_get(user, pk)
    context = {
        "account": account,
        "roles": (roles := selectors.account_roles(account)),
        "locked_until": lockout.locked_until(account.username),
        "is_admin_account": services.is_administrator(account),
        "device": otp.confirmed_device(account),
        "pending": workflow.pending_for_target(account),
        "can_change": user.has_perm("core.change_user"),
        "can_grant": user.has_perm("core.change_role"),
        "can_reset_otp": user.has_perm("otp_totp.delete_totpdevice"),
        "roles_form": RolesForm(
            initial={"roles": roles}, roles=selectors.assignable_roles(user, account)
        ),
        "password_form": TemporaryPasswordForm(),
        "disable_form": DisableForm(),
    }
    return render(request, "accounts/user_detail.html", context)


def user_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.add_user")
    user = request.user
    form = AccountForm(request.POST or None, units=scope_of(user).units())
    return form_view(
        request,
        form,
        lambda: services.account_create(request=request, actor=user, **form.cleaned_data),
        lambda a: redirect("accounts:user_detail", pk=a.pk),
        lambda a: _("已创建账户“%(name)s”，首次登录须修改密码") % {"name": a.username},
        title=_("新建账户"),
        back=url("accounts:user_list"),
    )


def user_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.change_user")
    user = request.user
    account = selectors.account_get(user, pk)
    initial = initial_of(account, "username", "full_name", "unit", "email")
    form = AccountForm(
        request.POST or None, initial=initial, editing=True, units=scope_of(user).units()
    )

    def save() -> User:
        data = form.cleaned_data
        services.account_update(
            request=request, actor=user, user=account,
            full_name=data["full_name"], unit=data["unit"], email=data["email"],
        )  # fmt: skip
        return account

    return form_view(
        request,
        form,
        save,
        lambda a: redirect("accounts:user_detail", pk=a.pk),
        _("已保存"),
        title=_("编辑账户：%(name)s") % {"name": account.username},
        back=url("accounts:user_detail", account.pk),
    )


@require_POST
def user_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.change_user")
    account = selectors.account_get(request.user, pk)
    form = DisableForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if request.POST.get("active") == "1":
            services.account_enable(request=request, actor=request.user, user=account)
            messages.success(request, _("账户已启用"))
        elif services.account_disable(
            request=request, actor=request.user, user=account, reason=reason
        ):
            messages.success(request, _("已提交停用申请，经安全管理员批准后生效"))
        else:
            messages.success(request, _("账户已停用，其所有会话已结束"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("accounts:user_detail", pk=account.pk)


@require_POST
def user_password(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask for a temporary password: it takes effect when a security administrator approves."""
    require_perm(request, "core.change_user")
    account = selectors.account_get(request.user, pk)
    form = TemporaryPasswordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写临时密码和申请理由"))
        return redirect("accounts:user_detail", pk=account.pk)
    try:
        services.password_reset_request(
            request=request,
            actor=request.user,
            user=account,
            new=form.cleaned_data["new_password"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已提交重置密码申请，经安全管理员批准后生效"))
    return redirect("accounts:user_detail", pk=account.pk)


def user_otp_reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A security administrator resets an account's second factor (asked to confirm first)."""
    require_perm(request, "otp_totp.delete_totpdevice")
    account = selectors.account_get(request.user, pk)
    if request.method != "POST":
        context = {"account": account, "device": otp.confirmed_device(account)}
        return render(request, "accounts/otp_reset.html", context)
    try:
        services.otp_reset(request=request, actor=request.user, user=account)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已重置动态口令并结束该账户的所有会话；用户下次登录时重新绑定"))
    return redirect("accounts:user_detail", pk=account.pk)


@require_POST
def user_roles(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.change_role")
    account = selectors.account_get(request.user, pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            services.roles_assign(
                request=request,
                actor=request.user,
                user=account,
                roles=list(form.cleaned_data["roles"]),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("角色已更新"))
    return redirect("accounts:user_detail", pk=account.pk)


# Roles and unlocking (security administrator) ----------------------------------------------


def role_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.view_role")
    columns: list[Col[Role]] = [
        Col(
            _("角色"),
            lambda r: r.name,
            lambda r: url("accounts:role_edit", r.pk),
            note=lambda r: r.code,
        ),
        Col(_("类别"), lambda r: r.get_kind_display()),
        Col(_("所属"), lambda r: r.unit.name if r.unit else _("省级（各县继承）")),
        Col(_("数据范围"), lambda r: r.get_data_scope_display()),
        Col(_("权限数"), lambda r: len(r.permissions.all())),
        Col(_("双因素"), lambda r: r.requires_otp),
        Col(_("密码期限"), lambda r: r.password_max_age_days),
    ]
    may_add = request.user.has_perm("core.add_role")
    actions = [Action(_("新建角色"), url("accounts:role_new"), primary=True)] if may_add else []
    return render_table(
        request,
        TablePage(
            title=_("角色与权限"),
            columns=columns,
            rows=selectors.role_list(user=request.user),
            actions=actions,
            exportable=False,
        ),
    )


def _role_data(form: RoleForm) -> services.RoleData:
    data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
    return services.RoleData(
        **{
            **data,
            "permissions": list(data["permissions"]),
            "custom_units": list(data["custom_units"]),
        }
    )


def _role_form(
    request: AuthenticatedHttpRequest, *, initial: dict[str, Any] | None = None, editing: bool
) -> RoleForm:
    user = request.user
    return RoleForm(
        request.POST or None,
        initial=initial,
        editing=editing,
        counties=delegation.counties_of(user),
        county_only=not delegation.is_province_admin(user),
    )


def _role_saved(role: Role) -> str:
    return _("角色“%(name)s”已保存") % {"name": role.name}


def role_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "core.add_role")
    user = request.user
    county = delegation.county_of(user.unit)
    initial = None if delegation.is_province_admin(user) else {"unit": county}
    form = _role_form(request, initial=initial, editing=False)
    return form_view(
        request,
        form,
        lambda: services.role_create(
            request=request, actor=user, code=form.cleaned_data["code"], data=_role_data(form)
        ),
        lambda r: redirect("accounts:role_list"),
        _role_saved,
        title=_("新建角色"),
        back=url("accounts:role_list"),
    )


def role_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "core.change_role")
    user = request.user
    role = selectors.role_get(user, pk)
    editable = delegation.may_edit_role(user, role)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("省级角色（各县继承）只能由省级管理员修改"))
    initial = {
        **initial_of(
            role,
            "code",
            "name",
            "kind",
            "data_scope",
            "requires_otp",
            "password_max_age_days",
            "description",
            "unit",
        ),
        "custom_units": role.custom_units.all(),
        "permissions": role.permissions.all(),
    }
    form = _role_form(request, initial=initial, editing=True)
    done = submit(
        request,
        form,
        lambda: services.role_update(request=request, actor=user, role=role, data=_role_data(form)),
        lambda r: redirect("accounts:role_list"),
        _role_saved,
    )
    held = selectors.role_held(role, user)
    warnings = [_("您担任此角色，不能修改它；请由另一位安全管理员修改。")] if held else []
    if not editable:
        warnings.append(_("这是省级角色（各县继承），只能由省级管理员修改。"))
    return done or form_page(
        request,
        form,
        title=_("编辑角色：%(name)s") % {"name": role.name},
        back=url("accounts:role_list"),
        warnings=warnings,
    )


# Requests that need a second person (core.workflow) -----------------------------------------


def _request_state(r: ApprovalRequest) -> str:
    return "gap" if r.state == RequestState.REQUESTED else ""


def _admin_kinds() -> list[str]:
    """The requests the security administrator decides (requests for personal data are the
    business's: :func:`pii_request_list`)."""
    return workflow.kinds_decided_with("core.decide_approvalrequest")


def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The requests to decide (those waiting first shown; ``state=`` for all)."""
    require_perm(request, "core.view_approvalrequest")
    query = request.GET.copy()
    query.setdefault("state", RequestState.REQUESTED)
    form = filter_form(selectors.RequestFilters)(query)
    columns: list[Col[ApprovalRequest]] = [
        Col(
            _("申请时间"),
            lambda r: timezone.localtime(r.requested_at).strftime("%Y-%m-%d %H:%M %z"),
            lambda r: url("accounts:request_detail", r.pk),
        ),
        Col(_("申请类型"), lambda r: workflow.kind_label(r.kind)),
        Col(_("对象"), lambda r: r.target_label),
        Col(_("申请人"), lambda r: r.requester.username),
        Col(_("理由"), lambda r: r.reason),
        Col(_("状态"), lambda r: r.get_state_display(), tag=_request_state),
        Col(_("审批人"), lambda r: r.approver.username if r.approver else None),
    ]
    return render_table(
        request,
        TablePage(
            title=_("审批申请"),
            columns=columns,
            rows=workflow.request_list(
                user=request.user, state=form.filters().state, kinds=_admin_kinds()
            ),
            form=form,
            exportable=False,
            empty=_("没有符合条件的申请"),
            note=_(
                "重置账户密码、停用管理员账户须由安全管理员批准后生效；申请人不能审批自己的申请。"
            ),
        ),
    )


def request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A request, and the security administrator's decision on it (POST)."""
    require_perm(request, "core.view_approvalrequest")
    approval = workflow.request_get(request.user, pk, kinds=_admin_kinds())
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "core.decide_approvalrequest")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "approve":
                    workflow.request_approve(
                        approval=approval, approver=request.user, note=data["note"],
                        request=request,
                    )  # fmt: skip
                    messages.success(request, _("已批准，申请已生效"))
                else:
                    workflow.request_refuse(
                        approval=approval, approver=request.user, note=data["note"],
                        request=request,
                    )  # fmt: skip
                    messages.success(request, _("已拒绝该申请"))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return redirect("accounts:request_list")
    context = {
        "approval": approval,
        "kind_label": workflow.kind_label(approval.kind),
        "form": form,
        "can_decide": (
            approval.state == RequestState.REQUESTED
            and request.user.has_perm("core.decide_approvalrequest")
            and approval.requester_id != request.user.pk
        ),
    }
    return render(request, "accounts/request_detail.html", context)


Locked = tuple[str, dt.datetime]


def lockout_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "axes.view_accessattempt")
    may_unlock = request.user.has_perm("axes.delete_accessattempt")

    def unlock_button(row: Locked) -> SafeString:
        if not may_unlock:
            return format_html("{}", "")
        return post_button(
            request, url("accounts:unlock"), _("解除锁定"), fields={"username": row[0]}
        )

    columns: list[Col[Locked]] = [
        Col(_("账户名"), lambda row: row[0]),
        Col(_("锁定至"), lambda row: timezone.localtime(row[1]).strftime("%Y-%m-%d %H:%M %z")),
        Col("", lambda row: None, html=unlock_button),
    ]
    return render_table(
        request,
        TablePage(
            title=_("锁定账户"),
            columns=columns,
            rows=selectors.locked_accounts(user=request.user),
            exportable=False,
            empty=_("当前没有被锁定的账户"),
            note=_(
                "同一账户名15分钟内登录失败5次将锁定30分钟；到期自动解除，安全管理员也可提前解除。"
            ),
        ),
    )


# Requests for full personal data (G25: a second person approves) ------------------------------


def _may_read_pii_requests(request: AuthenticatedHttpRequest) -> None:
    """Requesters (``core.view_personal_data``) read their own requests, approvers
    (``core.approve_personal_data``) those of their data scope."""
    user = request.user
    if not (
        user.has_perm(masking.PERSONAL_DATA_PERMISSION) or user.has_perm(masking.APPROVE_PERMISSION)
    ):
        raise PermissionDenied


def _pii_expires(r: ApprovalRequest) -> str | None:
    expires = masking.grant_expires(r)
    if expires is None:
        return None
    shown = timezone.localtime(expires).strftime("%Y-%m-%d %H:%M %z")
    return shown + _("（已过期）") if expires <= timezone.now() else shown


def _pii_purpose(r: ApprovalRequest) -> str:
    label = str(masking.PURPOSE_LABELS.get(r.payload.get("purpose", ""), ""))
    listed = r.payload.get("list")
    return f"{label}：{listed}" if listed else label


def pii_request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _may_read_pii_requests(request)
    user = request.user
    form = filter_form(selectors.PiiRequestFilters)(request.GET or None)
    columns: list[Col[ApprovalRequest]] = [
        Col(
            _("申请时间"),
            lambda r: timezone.localtime(r.requested_at).strftime("%Y-%m-%d %H:%M %z"),
            lambda r: url("accounts:pii_request_detail", r.pk),
            width=22,
        ),
        Col(
            _("申请人"),
            lambda r: f"{r.requester.username} · {r.unit.name}" if r.unit else r.requester.username,
            width=24,
        ),
        Col(_("用途"), _pii_purpose, width=24),
        Col(_("理由"), lambda r: r.reason, width=30),
        Col(_("状态"), lambda r: r.get_state_display(), tag=_request_state, width=10),
        Col(_("审批人"), lambda r: r.approver.username if r.approver else None, width=12),
        Col(_("有效至"), _pii_expires, width=24),
    ]
    actions = []
    if user.has_perm(masking.PERSONAL_DATA_PERMISSION):
        actions.append(
            Action(_("申请查看完整信息"), url("accounts:pii_request_create"), primary=True)
        )
    return render_table(
        request,
        TablePage(
            title=_("完整个人信息申请"),
            columns=columns,
            rows=selectors.pii_request_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            empty=_("没有符合条件的申请"),
            above="accounts/pii_request_intro.html",
            context={
                "hours": masking.grant_hours(),
                "approval_needed": masking.approval_needed(),
            },
        ),
    )


def pii_request_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The request form, filled in from the page that refused (``?purpose=…&list_title=…``)."""
    require_perm(request, masking.PERSONAL_DATA_PERMISSION)
    initial = {
        k: request.GET.get(k, "")[: masking.LIST_TITLE_MAX] for k in ("purpose", "list_title")
    }
    form = PiiRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            approval = masking.pii_access_request(
                requester=request.user, purpose=data["purpose"], reason=data["reason"],
                list_title=data["list_title"], request=request,
            )  # fmt: skip
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已提交申请，经他人批准后生效"))
            return redirect("accounts:pii_request_detail", pk=approval.pk)
    context = {"form": form, "hours": masking.grant_hours()}
    return render(request, "accounts/pii_request_form.html", context)


def pii_request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A request for full values, and an approver's decision on it (POST): never the
    requester's own (403 ``self_approval``)."""
    _may_read_pii_requests(request)
    user = request.user
    approval = masking.pii_request_get(user, pk)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require_perm(request, masking.APPROVE_PERMISSION)
        if form.is_valid():
            data = form.cleaned_data
            decide = (
                workflow.request_approve
                if data["decision"] == "approve"
                else workflow.request_refuse
            )
            try:
                decide(approval=approval, approver=user, note=data["note"], request=request)
            except DomainError as error:
                apply_domain_error(form, error)
                status = error.status if error.status in (403, 409) else 200
            else:
                done = _("已批准") if data["decision"] == "approve" else _("已拒绝该申请")
                messages.success(request, done)
                return redirect("accounts:pii_request_list")
    context = {
        "approval": approval,
        "purpose": masking.PURPOSE_LABELS.get(str(approval.payload.get("purpose", "")), ""),
        "list_title": approval.payload.get("list", ""),
        "expires": masking.grant_expires(approval),
        "now": timezone.now(),
        "form": form,
        "can_decide": (
            approval.state == RequestState.REQUESTED
            and user.has_perm(masking.APPROVE_PERMISSION)
            and approval.requester_id != user.pk
        ),
    }
    return render(request, "accounts/pii_request_detail.html", context, status=status)


@require_POST
def unlock(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "axes.delete_accessattempt")
    username = request.POST.get("username", "").strip()
    if not username:
        raise Http404
    try:
        services.unlock(request=request, actor=request.user, username=username)
    except DomainError as error:
        if error.status == 404:
            raise Http404(error.message) from error
        raise
    messages.success(request, _("已解除“%(username)s”的锁定") % {"username": username})
    return redirect("accounts:lockout_list")


@login_not_required
def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes' answer while a user name is locked (the same for every name)."""
    context = {"locked": True, "form": None}
    return render(request, "core/login.html", context, status=429)
