"""Pages of a university's staff sub-accounts (``/portal/staff/``): the list of the
organisation's accounts, the invitation and the deactivation (its institution account only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import Action, Col, TablePage, form_page, render_table, require_perm, url
from yanzhen.portal import selectors, staff_services
from yanzhen.portal.call_forms import StaffForm
from yanzhen.portal.models import OutsideAccount

VIEW_PERMISSION = "portal.view_outsideaccount"


def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, VIEW_PERMISSION)
    manager = staff_services.manager_account(request.user) is not None
    form = filter_form(selectors.StaffFilters)(request.GET or None)

    def deactivate(account: OutsideAccount) -> str | None:
        may = manager and not account.is_manager and account.user.is_active
        return url("portal:staff_deactivate", account.pk) if may else None

    columns: list[Col[OutsideAccount]] = [
        Col("账户名", lambda a: a.user.username, width=24),
        Col("姓名", lambda a: a.user.full_name, width=12),
        Col("类型", lambda a: a.get_kind_display(), width=12),
        Col("机构账户", lambda a: "是" if a.is_manager else "否", width=8),
        Col("状态", selectors.staff_state, width=8),
        Col("停用", lambda a: "停用" if deactivate(a) else "", deactivate, width=6),
    ]
    actions = [Action(_("开通子账户"), url("portal:staff_new"), primary=True)] if manager else []
    return render_table(
        request,
        TablePage(
            title="工作人员子账户",
            columns=columns,
            rows=selectors.staff_list(user=request.user, filters=form.filters()),
            form=form,
            actions=actions,
            note="子账户代表本机构揭榜与对接，不能管理账户。",
            empty="没有门户账户",
            context={"base_template": "portal/base.html"},
            above="portal/_hall_nav.html",
        ),
    )


def staff_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, VIEW_PERMISSION)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_services.staff_invite(
                actor=request.user,
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                request=request,
            )
        except DomainError as error:
            if error.status == 403:
                raise PermissionDenied(error.message) from error
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("已开通子账户 %(name)s，激活链接已发到其邮箱") % {"name": user.username}
            )
            return redirect("portal:staff_list")
    return render(request, "portal/staff_form.html", {"form": form})


def staff_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Deactivate a sub-account (its sessions end): GET asks to confirm, POST does it."""
    account = get_object_or_404(selectors.organisation_accounts(request.user), pk=pk)
    if request.method != "POST":
        return form_page(
            request,
            forms.Form(),
            title=_("停用子账户 %(name)s") % {"name": account.user.username},
            back=url("portal:staff_list"),
            submit_label=_("停用"),
            intro=_("停用后该账户立即退出登录，不能再登录门户。"),
            context={"base_template": "portal/base.html"},
        )
    try:
        staff_services.staff_deactivate(actor=request.user, account=account, request=request)
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("子账户已停用"))
    return redirect("portal:staff_list")
