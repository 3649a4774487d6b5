"""Pages of a university's staff sub-accounts (``/portal/staff/``): the list of the
organisation's accounts, the invitation and the deactivation (its institution account only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.core.errors import DomainError
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import require_perm
from yanzhen.portal import selectors, staff_services
from yanzhen.portal.call_forms import StaffForm

VIEW_PERMISSION = "portal.view_outsideaccount"


def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, VIEW_PERMISSION)
    accounts = list(selectors.organisation_accounts(request.user))
    return render(
        request,
        "portal/staff_list.html",
        {
            "accounts": accounts,
            "manager": staff_services.manager_account(request.user) is not None,
        },
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


@require_POST
def staff_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(selectors.organisation_accounts(request.user), pk=pk)
    try:
        staff_services.staff_deactivate(actor=request.user, account=account, request=request)
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("子账户已停用"))
    return redirect("portal:staff_list")
