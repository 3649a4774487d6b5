"""Needs: list, detail with recommendations, form, delete and restore; the imports of the
survey spreadsheet and of expert lists; the rows held for a person to confirm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yanzhen.core import imports
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error, edited_version
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import download, export_format, export_response, paginate, render_list
from yanzhen.core.models import User
from yanzhen.core.schemas import as_id
from yanzhen.core.views import require_perm
from yanzhen.demand import excel, recommendations, selectors, services
from yanzhen.demand.forms import (
    HeldFilterForm,
    HeldForm,
    ImportUploadForm,
    NeedFilterForm,
    NeedForm,
    TrashFilterForm,
)
from yanzhen.demand.models import Expert, HeldRow, ImportKind, NeedSource
from yanzhen.demand.views.common import XLSX

# Needs ---------------------------------------------------------------------------------------


def need_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_talentneed")
    user = request.user
    form = NeedFilterForm(request.GET or None, campaigns=selectors.campaign_qs(user))
    filters = form.filters()
    needs = selectors.need_list(user=user, filters=filters)
    if fmt := export_format(request):
        require_perm(request, "demand.export_talentneed")
        return export_response(
            fmt=fmt,
            title="人才需求",
            columns=excel.need_columns(user),
            objects=excel.need_export_rows(
                selectors.with_universities(needs).iterator(chunk_size=2000), user=user
            ),
            row=lambda r: r,
        )
    context = {
        "form": form,
        "filters": filters,
        "query": urlencode(filters.as_query()),
        "page": paginate(request, needs),
        "can_add": user.has_perm("demand.add_talentneed"),
        "can_import": user.has_perm("demand.import_talentneed"),
        "can_export": user.has_perm("demand.export_talentneed"),
    }
    return render_list(request, "demand/need_list.html", context)


def need_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.view_talentneed")
    user = request.user
    need = selectors.need_get(user, pk)
    found = recommendations.recommend_need(user=user, need=need, top=10)
    context = {
        "need": need,
        "disciplines": need.disciplines.order_by("code"),
        "preferred": need.preferred_universities.all(),
        "universities": found.universities,
        "experts": found.experts,
        "history": need.history.select_related("history_user")[:20],
        "can_change": user.has_perm("demand.change_talentneed"),
        "can_delete": user.has_perm("demand.delete_talentneed"),
    }
    return render(request, "demand/need_detail.html", context)


def _need_form(
    request: HttpRequest, user: User, *, initial: dict[str, Any] | None = None
) -> NeedForm:
    return NeedForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        enterprises=selectors.need_enterprises(user),
        campaigns=selectors.campaign_qs(user).order_by("-opens_on", "-id"),
    )


def _need_data(form: NeedForm, user: User, source: str) -> services.NeedData:
    d = form.cleaned_data
    return services.NeedData(
        enterprise=d["enterprise"],
        campaign=d["campaign"],
        position=d["position"],
        disciplines=d["disciplines"],
        majors=d["majors"],
        degree=d["degree"],
        number=d["number"],
        urgency=d["urgency"],
        salary_min=d["salary_min"],
        salary_max=d["salary_max"],
        deadline=d["deadline"],
        description=d["description"],
        preferred_universities=d["preferred_universities"],
        status=d["status"],
        source=source,
    )


def need_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.add_talentneed")
    user = request.user
    initial: dict[str, Any] = {}
    if selectors.need_enterprises(user).filter(pk=user.unit_id).exists():
        initial["enterprise"] = user.unit_id
    campaign = as_id(request.GET.get("campaign", ""))
    if campaign is not None and selectors.campaign_qs(user).filter(pk=campaign).exists():
        initial["campaign"] = campaign
    form = _need_form(request, user, initial=initial)
    if request.method == "POST" and form.is_valid():
        own = form.cleaned_data["enterprise"].pk == user.unit_id
        source = NeedSource.ENTERPRISE if own else NeedSource.OFFICE
        try:
            need = services.need_create(actor=user, data=_need_data(form, user, source))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"已登记人才需求“{need.position}”（{need.code}）")
            return redirect("demand:need_detail", pk=need.pk)
    return render(request, "demand/need_form.html", {"form": form, "need": None})


def need_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.change_talentneed")
    user = request.user
    need = selectors.need_get(user, pk)
    initial = {
        "enterprise": need.enterprise_id,
        "campaign": need.campaign_id,
        "position": need.position,
        "disciplines": [d.code for d in need.disciplines.all()],
        "majors": need.majors,
        "degree": need.degree,
        "number": need.number,
        "urgency": need.urgency,
        "salary_min": need.salary_min,
        "salary_max": need.salary_max,
        "deadline": need.deadline,
        "description": need.description,
        "preferred_universities": "、".join(u.name for u in need.preferred_universities.all()),
        "status": need.status,
        "version": need.version,
    }
    form = _need_form(request, user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(
                actor=user,
                need=need,
                data=_need_data(form, user, need.source),
                expected_version=edited_version(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("demand:need_detail", pk=need.pk)
    return render(request, "demand/need_form.html", {"form": form, "need": need})


def need_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.delete_talentneed")
    user = request.user
    need = selectors.need_get(user, pk)
    if request.method == "POST":
        services.need_delete(actor=user, need=need)
        messages.success(request, f"已删除人才需求“{need.position}”（{need.code}）")
        return redirect("demand:need_list")
    return render(
        request,
        "demand/delete.html",
        {
            "object": need,
            "label": f"人才需求 {need.code} {need.position}",
            "back": reverse("demand:need_detail", args=[need.pk]),
        },
    )


# Imports (needs and experts) -----------------------------------------------------------------


REGISTERS = {"need": "人才需求", "expert": "专家名单"}


def _import_page(
    request: AuthenticatedHttpRequest,
    *,
    kind: str,
    run: Callable[..., excel.DemandImport],
    template_url: str,
    done_url: str,
    title: str,
) -> HttpResponse:
    """Upload → preview (the same import, rolled back) → confirm with the stored file."""
    user = request.user
    register = REGISTERS[kind]
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    result: excel.DemandImport | None = None
    token = ""
    if request.method == "POST" and (confirm := request.POST.get("token", "")):
        if request.POST.get("cancel"):
            imports.preview_discard(request, token=confirm)
            messages.info(request, "已取消导入，上传的文件已删除")
            return redirect(request.path)
        pending = imports.preview_load(request, token=confirm, register=register)
        if pending is None:
            raise Http404
        try:
            done = imports.commit(
                request,
                pending=pending,
                run=lambda data, name: run(user=user, data=data, filename=name, commit=True),
                report=lambda r: r.report,
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        result = done
        if done.ok:
            report = done.report
            held = len({row for row, _ in done.held})
            messages.success(
                request,
                f"导入完成：新增 {report.created} 条，更新 {report.updated} 条，未变 {report.unchanged} 条"
                + (f"，{held} 行待人工确认高校" if held else ""),
            )
            return redirect(reverse("demand:held_list") if held else done_url)
        form = ImportUploadForm()
    elif request.method == "POST" and form.is_valid():
        try:
            checked, token = imports.dry_run(
                request,
                register=register,
                upload=form.cleaned_data["file"],
                run=lambda data, name: run(user=user, data=data, filename=name, commit=False),
                report=lambda r: r.report,
            )
            result = checked
        except DomainError as error:
            apply_domain_error(form, error)
    context = {
        "form": form,
        "result": result,
        "token": token,
        "title": title,
        "template_url": template_url,
    }
    return render(request, "demand/import.html", context)


def need_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.import_talentneed")
    return _import_page(
        request,
        kind="need",
        run=excel.import_needs,
        template_url=reverse("demand:need_import_template"),
        done_url=reverse("demand:need_list"),
        title="导入人才需求调查表",
    )


def need_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_talentneed")
    return download(excel.need_template(request.user), XLSX, "人才需求调查表模板.xlsx")


def expert_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.import_expert")
    return _import_page(
        request,
        kind="expert",
        run=excel.import_experts,
        template_url=reverse("demand:expert_import_template"),
        done_url=reverse("demand:expert_list"),
        title="导入专家名单",
    )


def expert_import_template(request: HttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_expert")
    return download(excel.expert_template(), XLSX, "专家名单模板.xlsx")


# Held rows -----------------------------------------------------------------------------------


HELD_COLUMNS = (
    Column("kind", "导入类型", width=10),
    Column("filename", "文件", width=30),
    Column("row_number", "行号", kind="int", width=8),
    Column("pending", "待确认的高校名称", kind="list", width=50),
    Column("unit", "导入单位", width=24),
    Column("created_by", "导入人", width=12),
    Column("created_at", "导入时间", width=18),
    Column("resolved_at", "处理时间", width=18),
    Column("outcome", "处理结果", width=30),
)

HELD_EXPORT_PERMS = {
    ImportKind.NEED.value: "demand.export_talentneed",
    ImportKind.EXPERT.value: "demand.export_expert",
}


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _held_row(held: HeldRow) -> tuple[object, ...]:
    return (
        held.get_kind_display(),
        held.filename,
        held.row_number,
        [
            f"{p['written']}：" + "/".join(str(c["name"]) for c in p["candidates"])
            for p in held.pending
        ],
        held.unit.name,
        str(held.created_by or ""),
        _when(held.created_at),
        _when(held.resolved_at),
        held.outcome,
    )


def held_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_heldrow")
    user = request.user
    form = HeldFilterForm(request.GET or None)
    state = form.value("state") or "pending"
    kind = form.value("kind") or ""
    pending = {"pending": True, "done": False}.get(state)
    rows = selectors.held_list(user=user, pending=pending, kind=kind, q=form.value("q") or "")
    # Held rows carry needs or experts: exporting them takes the export right of each kind.
    export_perms = [HELD_EXPORT_PERMS[k] for k in ([kind] if kind else HELD_EXPORT_PERMS)]
    if fmt := export_format(request):
        for perm in export_perms:
            require_perm(request, perm)
        return export_response(
            fmt=fmt, title="待确认导入", columns=HELD_COLUMNS, objects=rows, row=_held_row
        )
    context = {
        "form": form,
        "page": paginate(request, rows),
        "state": state,
        "can_change": user.has_perm("demand.change_heldrow"),
        "can_export": all(user.has_perm(perm) for perm in export_perms),
    }
    return render_list(request, "demand/held_list.html", context)


def held_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.change_heldrow")
    user = request.user
    held = selectors.held_get(user, pk)
    if held.resolved_at is not None:
        messages.info(request, f"该行已处理：{held.outcome}")
        return redirect("demand:held_list")
    form = HeldForm(request.POST if request.method == "POST" else None, held=held)
    if request.method == "POST" and form.is_valid():
        drop = bool(form.cleaned_data.get("drop"))
        needed = "demand.add_expert" if held.kind == "expert" else "demand.add_talentneed"
        if not drop:
            require_perm(request, needed)
        try:
            record = excel.held_resolve(user=user, held=held, choices=form.choices(), drop=drop)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if record is None:
                messages.success(request, "已舍弃该行")
                return redirect("demand:held_list")
            messages.success(request, "已确认高校并导入")
            if isinstance(record, Expert):
                return redirect("demand:expert_detail", pk=record.pk)
            return redirect("demand:need_detail", pk=record.pk)
    columns = excel.EXPERT_COLUMNS if held.kind == "expert" else excel.need_columns(user)
    fields = [
        (
            c.header,
            "、".join(map(str, value))
            if isinstance(value := held.values.get(c.key), list)
            else value,
        )
        for c in columns
    ]
    return render(request, "demand/held_form.html", {"form": form, "held": held, "fields": fields})


# The trash: softly deleted needs and experts, restorable -----------------------------------


TRASH_NEED_COLUMNS = (
    Column("code", "需求编号", width=16),
    Column("enterprise", "需求单位", width=30),
    Column("position", "岗位名称", width=24),
    Column("number", "需求人数", kind="int", width=10),
    Column("deleted_at", "删除时间", width=18),
    Column("deleted_by", "删除人", width=12),
)
TRASH_EXPERT_COLUMNS = (
    Column("name", "姓名", width=12),
    Column("university", "所在高校", width=26),
    Column("department", "院系", width=20),
    Column("title", "职称", width=12),
    Column("deleted_at", "删除时间", width=18),
    Column("deleted_by", "删除人", width=12),
)


def trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The softly deleted needs (or experts, ``?kind=expert``), filtered, paginated, exported."""
    require_perm(request, "demand.view_talentneed")
    user = request.user
    form = TrashFilterForm(request.GET or None)
    kind = form.value("kind") or "need"
    filters = {
        "q": form.value("q") or "",
        "deleted_from": form.value("deleted_from"),
        "deleted_to": form.value("deleted_to"),
    }
    rows: QuerySet[Any]
    row: Callable[[Any], tuple[object, ...]]
    if kind == "expert":
        require_perm(request, "demand.view_expert")
        rows = selectors.deleted_expert_list(user=user, **filters)
        title, columns, export_perm = "已删除的专家", TRASH_EXPERT_COLUMNS, "demand.export_expert"

        def row(e: Any) -> tuple[object, ...]:
            return (e.name, e.university.name, e.department, e.title,
                    _when(e.deleted_at), str(e.deleted_by or ""))  # fmt: skip
    else:
        rows = selectors.deleted_need_list(user=user, **filters)
        title, columns = "已删除的人才需求", TRASH_NEED_COLUMNS
        export_perm = "demand.export_talentneed"

        def row(n: Any) -> tuple[object, ...]:
            return (n.code, n.enterprise.name, n.position, n.number,
                    _when(n.deleted_at), str(n.deleted_by or ""))  # fmt: skip

    if fmt := export_format(request):
        require_perm(request, export_perm)
        return export_response(fmt=fmt, title=title, columns=columns, objects=rows, row=row)
    page: Page[Any] = paginate(request, rows)
    can_export = user.has_perm(export_perm)
    context = {
        "form": form,
        "kind": kind,
        "page": page,
        "can_see_experts": user.has_perm("demand.view_expert"),
        "can_restore": user.has_perm(
            "demand.delete_expert" if kind == "expert" else "demand.delete_talentneed"
        ),
        "can_export": can_export,
    }
    return render_list(request, "demand/trash.html", context)


def need_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.delete_talentneed")
    user = request.user
    need = selectors.deleted_need_get(user, pk)
    if request.method == "POST":
        try:
            services.need_restore(actor=user, need=need)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("demand:trash")
        messages.success(request, f"已恢复人才需求“{need.position}”（{need.code}）")
        return redirect("demand:need_detail", pk=need.pk)
    label = f"人才需求 {need.code} {need.position}"
    return render(request, "demand/restore.html", {"label": label})


def expert_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.delete_expert")
    user = request.user
    expert = selectors.deleted_expert_get(user, pk)
    if request.method == "POST":
        try:
            services.expert_restore(actor=user, expert=expert)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("demand:trash")
        messages.success(request, f"已恢复专家“{expert.name}”")
        return redirect("demand:expert_detail", pk=expert.pk)
    return render(request, "demand/restore.html", {"label": f"专家 {expert}"})
