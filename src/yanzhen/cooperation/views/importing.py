"""The ledger's import: the template, the upload with its preview, and the commit."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yanzhen.cooperation import excel
from yanzhen.cooperation.forms import ImportUploadForm
from yanzhen.core import imports
from yanzhen.core.errors import DomainError
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import download
from yanzhen.core.pages import require_perm

REGISTER = "合作台账"


def import_template(request: HttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.import_cooperation")
    return download(
        excel.template_bytes(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("合作台账导入模板.xlsx"),
    )


def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload → preview: the file is checked in a transaction that is rolled back."""
    require_perm(request, "cooperation.import_cooperation")
    user = request.user
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    token = ""
    if request.method == "POST" and form.is_valid():
        try:
            report, token = imports.dry_run(
                request,
                register=REGISTER,
                upload=form.cleaned_data["file"],
                run=lambda data, name: excel.import_file(
                    user=user, data=data, filename=name, commit=False
                ),
                report=lambda r: r,
            )
        except DomainError as error:
            apply_domain_error(form, error)
    return render(
        request, "cooperation/import.html", {"form": form, "report": report, "token": token}
    )


@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "cooperation.import_cooperation")
    user = request.user
    token = request.POST.get("token", "")
    if request.POST.get("cancel"):
        imports.preview_discard(request, token=token)
        messages.info(request, _("已取消导入，上传的文件已删除"))
        return redirect("cooperation:import_upload")
    pending = imports.preview_load(request, token=token, register=REGISTER)
    if pending is None:
        raise Http404
    try:
        report = imports.commit(
            request,
            pending=pending,
            run=lambda data, name: excel.import_file(
                user=user, data=data, filename=name, commit=True
            ),
            report=lambda r: r,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cooperation:import_upload")
    if not report.ok:
        return render(
            request,
            "cooperation/import.html",
            {"form": ImportUploadForm(), "report": report, "token": ""},
        )
    messages.success(
        request,
        _("导入完成：新增 %(created)s 项，更新 %(updated)s 项，未变 %(unchanged)s 项")
        % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("cooperation:cooperation_list")
