"""The pages of the one import flow, the same for every register (``core.importing``).

upload → (sheet, mapping: confirm or change, save by name) → preview with every error →
commit (all or nothing, or the valid rows when asked) → the batch, undoable for 30 days.
The file waits encrypted between the steps (``core.imports``); every step is in the
security log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from yanzhen.core import import_jobs, importing, imports
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column as ExcelColumn
from yanzhen.core.excel import write_xlsx
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest, require_perm
from yanzhen.core.listing import download
from yanzhen.core.models import ImportJob
from yanzhen.core.selectors import import_mapping_names

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件"),
        help_text=gettext_lazy("支持 .xlsx、.xls、.csv（UTF-8 或 GBK）；可以是本单位自己的表格"),
    )
    mapping = forms.ChoiceField(label=gettext_lazy("列对应方案"), required=False)

    def __init__(self, *args: Any, register: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = import_mapping_names(register)
        choice = self.fields["mapping"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", _("自动识别")), *((n, n) for n in names)]


@dataclass(frozen=True)
class Page:
    """Where a register's flow is shown. By default the core pages (``core:import_*``); an
    app's own page (a programme's) fixes values for every row (``fixed``, see
    ``importing.run``), binds its previews to itself (``key``: a preview of one programme
    cannot be confirmed on another's page), keeps its URLs and adds to the template."""

    fixed: Mapping[str, object] = field(default_factory=dict)
    key: str = ""
    label: str = ""
    urls: Mapping[str, str] = field(default_factory=dict)
    template: str = "core/import.html"
    context: Mapping[str, Any] = field(default_factory=dict)
    form_class: type[UploadForm] = UploadForm
    done: str = ""


CORE_PAGE = Page()


def _key(register: importing.Register[Any, Any], page: Page) -> str:
    return page.key or register.name


def _label(register: importing.Register[Any, Any], page: Page) -> str:
    return page.label or register.title


def _register(request: AuthenticatedHttpRequest, name: str) -> importing.Register[Any, Any]:
    try:
        register = importing.register_named(name)
    except DomainError:
        raise Http404 from None
    require_perm(request, register.permission)
    return register


def _urls(register: importing.Register[Any, Any], page: Page) -> dict[str, str]:
    name = register.name
    return {
        "upload": reverse("core:import_upload", args=[name]),
        "confirm": reverse("core:import_confirm", args=[name]),
        "errors": reverse("core:import_errors", args=[name]),
        "template": reverse("core:import_template", args=[name]),
        "batches": reverse("core:import_batches"),
        **page.urls,
    }


def _upload_url(register: importing.Register[Any, Any], page: Page) -> str:
    return _urls(register, page)["upload"]


def _check(
    request: AuthenticatedHttpRequest,
    register: importing.Register[Any, Any],
    pending: imports.Pending,
    page: Page,
) -> importing.ImportResult:
    extra = pending.extra
    result = importing.run(
        register,
        user=request.user,
        data=pending.content,
        filename=pending.name,
        sheet=extra.get("sheet") or None,
        mapping=extra.get("mapping") or None,
        fixed=page.fixed,
    )
    imports.import_logged(
        request,
        register=_label(register, page),
        content=pending.content,
        commit=False,
        report=result,
    )
    return result


def _page(
    request: AuthenticatedHttpRequest,
    register: importing.Register[Any, Any],
    *,
    form: UploadForm,
    page: Page,
    result: importing.ImportResult | None = None,
    token: str = "",
    job: ImportJob | None = None,
    status: import_jobs.Status | None = None,
) -> HttpResponse:
    specs = tuple(s for s in register.specs() if s.key not in page.fixed)
    columns: list[dict[str, Any]] = []
    if result is not None and result.header is not None and result.mapping is not None:
        chosen = {m.column: m for m in result.mapping.matches}
        for index, name in enumerate(result.header.names):
            if not name:
                continue
            match = chosen.get(index)
            columns.append(
                {
                    "index": index,
                    "header": name,
                    "field": match.field if match else "",
                    "confidence": match.confidence if match else None,
                }
            )
    return render(
        request,
        page.template,
        {
            **page.context,
            "register": register,
            "specs": specs,
            "form": form,
            "result": result,
            "token": token,
            "columns": columns,
            "urls": _urls(register, page),
            "may_skip": result is not None and result.valid > 0 and not result.ok,
            "job": job,
            "status": status,
        },
    )


def _job_url(register: importing.Register[Any, Any], page: Page, job: ImportJob) -> str:
    upload = _upload_url(register, page)
    return f"{upload}{'&' if '?' in upload else '?'}job={job.pk}"


def _job_of(
    request: AuthenticatedHttpRequest, register: importing.Register[Any, Any], page: Page, pk: str
) -> ImportJob:
    """The user's own job of this register on this page (else 404)."""
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(
        ImportJob, pk=int(pk), created_by=request.user, register=register.name,
        page=_key(register, page),
    )  # fmt: skip


def _in_background(content: bytes, name: str, sheet: str | None = None) -> int:
    """The sheet's rows when the worker is to import it (more than the threshold), else 0."""
    rows = import_jobs.sheet_rows(content, name, sheet)
    return rows if rows > import_jobs.background_rows() else 0


def _submit(
    request: AuthenticatedHttpRequest,
    register: importing.Register[Any, Any],
    page: Page,
    pending: imports.Pending,
    rows: int,
    *,
    commit: bool = False,
    skip_invalid: bool = False,
) -> HttpResponse:
    job = import_jobs.job_submit(
        user=request.user,
        register=register,
        page=_key(register, page),
        label=_label(register, page),
        token=pending.token,
        filename=pending.name,
        rows=rows,
        sheet=pending.extra.get("sheet") or None,
        mapping=pending.extra.get("mapping") or None,
        fixed=page.fixed,
        commit=commit,
        skip_invalid=skip_invalid,
    )
    return redirect(_job_url(register, page, job))


def _job_page(
    request: AuthenticatedHttpRequest,
    register: importing.Register[Any, Any],
    page: Page,
    pk: str,
) -> HttpResponse:
    """A background import: its progress (polled by htmx until it ends), then its result as
    an import done in the request shows it."""
    job = _job_of(request, register, page, pk)
    status = import_jobs.job_status(job)
    if request.htmx and request.GET.get("progress"):
        if not status.running:
            return HttpResponseClientRefresh()
        return render(
            request,
            "core/import.html#import_progress",
            {"job": job, "status": status, "urls": _urls(register, page)},
        )
    form = page.form_class(register=register.name)
    result = None if job.result is None else import_jobs.result_load(job.result)
    token = ""
    kept = imports.preview_load(request, token=job.token, register=_key(register, page))
    if result is not None and kept is not None and not (result.committed and not result.errors):
        token = job.token
        extra = {"sheet": result.sheet, "mapping": job.options.get("mapping") or {}}
        imports.preview_update(request, token=token, extra=extra)
    return _page(request, register, form=form, page=page, result=result, token=token, job=job,
                 status=status)  # fmt: skip


def import_upload(
    request: AuthenticatedHttpRequest, register: str, page: Page = CORE_PAGE
) -> HttpResponse:
    """Upload a file (or change the sheet and mapping of one uploaded) and see its preview:
    every error of every row at once; nothing is written."""
    found = _register(request, register)
    if request.method == "GET" and request.GET.get("job"):
        return _job_page(request, found, page, request.GET["job"])
    form = page.form_class(request.POST or None, request.FILES or None, register=found.name)
    token = request.POST.get("token", "") if request.method == "POST" else ""
    if request.method == "POST" and token:
        return _recheck(request, found, token, page)
    if request.method != "POST" or not form.is_valid():
        return _page(request, found, form=form, page=page)
    upload = form.cleaned_data["file"]
    content = b""
    mapping: dict[str, str] = {}
    try:
        content = imports.receive(upload)
        if form.cleaned_data["mapping"]:
            mapping = importing.saved_mapping(found.name, form.cleaned_data["mapping"])
        rows = _in_background(content, upload.name or "")
        if rows:
            extra: dict[str, Any] = {"sheet": "", "mapping": mapping}
            kept = imports.preview_save(request, register=_key(found, page),
                                        name=upload.name or "", content=content, extra=extra)  # fmt: skip
            pending = imports.Pending(kept, _key(found, page), upload.name or "", content, extra)
            return _submit(request, found, page, pending, rows)
        result = importing.run(
            found,
            user=request.user,
            data=content,
            filename=upload.name or "",
            mapping=mapping,
            fixed=page.fixed,
        )
    except DomainError as error:
        size = len(content) if content else upload.size
        imports.import_logged(
            request,
            register=_label(found, page),
            content=content,
            commit=False,
            error=error,
            size=size,
        )
        apply_domain_error(form, error)
        return _page(request, found, form=form, page=page)
    imports.import_logged(
        request, register=_label(found, page), content=content, commit=False, report=result
    )
    token = imports.preview_save(
        request,
        register=_key(found, page),
        name=upload.name or "",
        content=content,
        extra={"sheet": result.sheet, "mapping": mapping},
    )
    fresh = page.form_class(register=found.name)
    return _page(request, found, form=fresh, page=page, result=result, token=token)


def _recheck(
    request: AuthenticatedHttpRequest,
    register: importing.Register[Any, Any],
    token: str,
    page: Page,
) -> HttpResponse:
    """The same file again, with the sheet and the column mapping the user chose (and the
    mapping saved by name when asked)."""
    pending = imports.preview_load(request, token=token, register=_key(register, page))
    if pending is None:
        raise Http404
    keys = {s.key for s in register.specs() if s.key not in page.fixed}
    headers = request.POST.getlist("header")
    fields = request.POST.getlist("field")
    mapping = {h: f for h, f in zip(headers, fields, strict=False) if f == "" or f in keys}
    sheet = request.POST.get("sheet", "") or pending.extra.get("sheet", "")
    if sheet != pending.extra.get("sheet"):
        mapping = {}  # another sheet has other columns
    extra = {"sheet": sheet, "mapping": mapping}
    imports.preview_update(request, token=token, extra=extra)
    pending = imports.Pending(pending.token, pending.register, pending.name, pending.content, extra)
    form = page.form_class(register=register.name)
    rows = _in_background(pending.content, pending.name, sheet or None)
    if rows:
        name = request.POST.get("mapping_name", "").strip()
        if name and request.POST.get("save_mapping"):
            wanted = dict(zip(headers, fields, strict=False))
            try:
                importing.mapping_save(actor=request.user, register=register.name, name=name,
                                       mapping=wanted)  # fmt: skip
            except DomainError as error:
                messages.error(request, error.message)
                return _page(request, register, form=form, page=page)
            messages.success(request, _("已保存列对应方案“%(name)s”") % {"name": name})
        return _submit(request, register, page, pending, rows)
    try:
        result = _check(request, register, pending, page)
        name = request.POST.get("mapping_name", "").strip()
        if name and request.POST.get("save_mapping"):
            assert result.mapping is not None
            wanted = {**{n: "" for _i, n in result.mapping.unused}, **result.mapping.as_dict()}
            importing.mapping_save(actor=request.user, register=register.name, name=name,
                                   mapping=wanted)  # fmt: skip
            messages.success(request, _("已保存列对应方案“%(name)s”") % {"name": name})
    except DomainError as error:
        messages.error(request, error.message)
        return _page(request, register, form=form, page=page)
    return _page(request, register, form=form, page=page, result=result, token=token)


@require_POST
def import_confirm(
    request: AuthenticatedHttpRequest, register: str, page: Page = CORE_PAGE
) -> HttpResponse:
    """Commit a previewed file: all or nothing, or — when asked — the valid rows."""
    found = _register(request, register)
    token = request.POST.get("token", "")
    if request.POST.get("cancel_job"):
        job = _job_of(request, found, page, request.POST.get("job", ""))
        if import_jobs.job_cancel(job=job):
            messages.info(
                request, _("已请求取消后台导入：已写入的部分将整体撤回，不会留下半个导入")
            )
        return redirect(_job_url(found, page, job))
    if request.POST.get("cancel"):
        imports.preview_discard(request, token=token)
        messages.info(request, _("已取消导入，上传的文件已删除"))
        return redirect(_upload_url(found, page))
    pending = imports.preview_load(request, token=token, register=_key(found, page))
    if pending is None:
        raise Http404
    skip = bool(request.POST.get("skip_invalid"))
    extra = pending.extra
    rows = _in_background(pending.content, pending.name, extra.get("sheet") or None)
    if rows:
        return _submit(request, found, page, pending, rows, commit=True, skip_invalid=skip)
    try:
        result = importing.run(
            found,
            user=request.user,
            data=pending.content,
            filename=pending.name,
            sheet=extra.get("sheet") or None,
            mapping=extra.get("mapping") or None,
            commit=True,
            skip_invalid=skip,
            fixed=page.fixed,
        )
    except DomainError as error:
        imports.import_logged(
            request,
            register=_label(found, page),
            content=pending.content,
            commit=True,
            error=error,
        )
        imports.preview_discard(request, token=token)
        messages.error(request, error.message)
        return redirect(_upload_url(found, page))
    imports.import_logged(
        request,
        register=_label(found, page),
        content=pending.content,
        commit=True,
        report=result,
        skip_invalid=skip,
    )
    fresh = page.form_class(register=found.name)
    if not result.committed:
        return _page(request, found, form=fresh, page=page, result=result, token=token)
    if not result.errors:
        imports.preview_discard(request, token=token)
    messages.success(
        request,
        _("导入完成：新增 %(created)s 项，更新 %(updated)s 项，未变 %(unchanged)s 项")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    if result.errors:
        messages.warning(
            request,
            _("%(n)s 行有错误未导入，可下载错误行修改后再导入") % {"n": result.left_out},
        )
        return _page(request, found, form=fresh, page=page, result=result, token=token)
    return redirect(page.done or reverse("core:import_batches"))


def import_errors(
    request: AuthenticatedHttpRequest, register: str, page: Page = CORE_PAGE
) -> HttpResponse:
    """The rows with errors of a previewed file, with a column 错误说明, to fix and upload."""
    found = _register(request, register)
    token = request.GET.get("token", "")
    pending = imports.preview_load(request, token=token, register=_key(found, page))
    if pending is None:
        messages.error(request, _("预览已过期或已导入，请重新上传文件"))
        return _page(request, found, form=page.form_class(register=found.name), page=page)
    try:
        if request.GET.get("job"):
            job = _job_of(request, found, page, request.GET["job"])
            if job.result is None:
                raise Http404
            result = import_jobs.result_load(job.result)
        else:
            result = _check(request, found, pending, page)
        content = importing.error_workbook(pending.content, pending.name, result)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_upload_url(found, page))
    return download(content, XLSX, _("%(title)s错误行.xlsx") % {"title": found.title})


def import_template(request: AuthenticatedHttpRequest, register: str) -> HttpResponse:
    found = _register(request, register)
    columns = [
        ExcelColumn(
            s.key,
            s.label,
            kind=s.kind,
            required=s.required,
            choices=tuple(c.label for c in s.choices),
        )
        for s in found.specs()
    ]
    notes = (
        "1. 带 * 的列必填；也可以直接上传本单位自己的表格，系统自动识别表头和列名。",
        "2. 日期可写成 2021-03-05、2021.3.5、2021/03/05 或 2021年3月5日。",
        "3. 上传后先预览，列出每一行的每个错误；确认后整表导入，重复导入不会重复新增。",
    )
    content = write_xlsx(found.title, columns, [], notes=notes, mark_required=True)
    return download(content, XLSX, _("%(title)s导入模板.xlsx") % {"title": found.title})


def import_batches(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own import batches, each undoable as a whole within 30 days."""
    batches = list(importing.batches_of(request.user)[:100])
    titles = {n: r.title for n, r in importing.registers().items()}
    rows = [(b, titles.get(b.register, b.register), importing.may_undo(b)) for b in batches]
    return render(
        request,
        "core/import_batches.html",
        {"rows": rows, "days": importing.UNDO_DAYS},
    )


@require_POST
def import_batch_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(importing.batches_of(request.user), pk=pk)
    try:
        count = importing.batch_undo(actor=request.user, batch=batch)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤销该批导入（%(n)s 条记录）") % {"n": count})
    return redirect("core:import_batches")
