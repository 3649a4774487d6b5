"""The imports of the survey spreadsheet and of expert lists (upload → preview → confirm),
and the rows held for a person to confirm the university of."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yanzhen.core import imports
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import download
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    form_page,
    render_table,
    require_perm,
    submit,
    url,
)
from yanzhen.demand import excel, selectors
from yanzhen.demand.forms import HeldForm, ImportUploadForm
from yanzhen.demand.models import Expert, HeldRow, ImportKind, TalentNeed
from yanzhen.demand.views.common import XLSX, local_time

# Imports (needs and experts) -----------------------------------------------------------------


REGISTERS = {"need": "人才需求", "expert": "专家名单"}  # the names of the stored previews


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
            messages.info(request, _("已取消导入，上传的文件已删除"))
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
            held = len({row for row, _column in done.held})
            counts = {"c": report.created, "u": report.updated, "n": report.unchanged}
            text = _("导入完成：新增 %(c)s 条，更新 %(u)s 条，未变 %(n)s 条") % counts
            if held:
                text += _("，%(held)s 行待人工确认高校") % {"held": held}
            messages.success(request, text)
            return redirect(url("demand:held_list") if held else done_url)
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
        template_url=url("demand:need_import_template"),
        done_url=url("demand:need_list"),
        title=_("导入人才需求调查表"),
    )


def need_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_talentneed")
    return download(excel.need_template(request.user), XLSX, _("人才需求调查表模板.xlsx"))


def expert_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.import_expert")
    return _import_page(
        request,
        kind="expert",
        run=excel.import_experts,
        template_url=url("demand:expert_import_template"),
        done_url=url("demand:expert_list"),
        title=_("导入专家名单"),
    )


def expert_import_template(request: HttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_expert")
    return download(excel.expert_template(), XLSX, _("专家名单模板.xlsx"))


# Held rows -----------------------------------------------------------------------------------

HELD_EXPORT_PERMS = {
    ImportKind.NEED.value: "demand.export_talentneed",
    ImportKind.EXPERT.value: "demand.export_expert",
}


def _pending(held: HeldRow) -> list[str]:
    return [
        f"{p['written']}：" + "/".join(str(c["name"]) for c in p["candidates"])
        for p in held.pending
    ]


def _pending_html(held: HeldRow) -> SafeString:
    lines = [
        (p["written"], "、".join(str(c["name"]) for c in p["candidates"])) for p in held.pending
    ]
    return format_html_join(SafeString("<br>"), '<span class="tag">{}</span> {}', lines)


def _handling(held: HeldRow, may_change: bool) -> SafeString:
    if held.resolved_at:
        when = local_time(held.resolved_at)[:10]
        return format_html("{} <small>{}</small>", held.outcome, when)
    if may_change:
        return format_html(
            '<a href="{}">{}</a>', url("demand:held_resolve", held.pk), _("确认高校")
        )
    return format_html("{}", _("待处理"))


def held_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_heldrow")
    user = request.user
    form = filter_form(selectors.HeldFilters)(request.GET or None)
    filters = form.filters()
    state = filters.state or "pending"
    may_change = user.has_perm("demand.change_heldrow")
    columns: list[Col[HeldRow]] = [
        Col(_("导入类型"), lambda h: h.get_kind_display(), width=10),
        Col(_("文件"), lambda h: h.filename, width=30),
        Col(_("行号"), lambda h: h.row_number, kind="int", width=8),
        Col(_("待确认的高校名称"), _pending, kind="list", width=50, html=_pending_html),
        Col(_("导入单位"), lambda h: h.unit.name, width=24),
        Col(_("导入人"), lambda h: str(h.created_by or ""), width=12, page=False),
        Col(_("导入时间"), lambda h: local_time(h.created_at), width=18),
        Col(_("处理时间"), lambda h: local_time(h.resolved_at), width=18, page=False),
        Col(_("处理结果"), lambda h: h.outcome, width=30, page=False),
        Col(_("处理"), lambda h: None, html=lambda h: _handling(h, may_change), export=False),
    ]
    actions = [
        Action(label, url("demand:held_list", query={"state": value}), primary=state == value)
        for value, label in selectors.HELD_STATES
    ]
    # Held rows carry needs or experts: exporting them takes the export right of each kind.
    perms = [HELD_EXPORT_PERMS[k] for k in ([filters.kind] if filters.kind else HELD_EXPORT_PERMS)]
    missing = next((perm for perm in perms if not user.has_perm(perm)), None)
    return render_table(
        request,
        TablePage(
            title=_("待确认导入"),
            columns=columns,
            rows=selectors.held_list(user=user, filters=filters),
            form=form,
            actions=actions,
            export_perm=missing,
            empty=_("没有待确认的导入行"),
            note=_(
                "导入时无法确定是哪所高校的行（简称对应多所高校、名称只是相似）不会被猜测，"
                "而是放在这里，由人工从候选高校中选择后再导入。"
            ),
        ),
    )


def held_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.change_heldrow")
    user = request.user
    held = selectors.held_get(user, pk)
    if held.resolved_at is not None:
        messages.info(request, _("该行已处理：%(outcome)s") % {"outcome": held.outcome})
        return redirect("demand:held_list")
    form = HeldForm(request.POST if request.method == "POST" else None, held=held)

    def save() -> TalentNeed | Expert | None:
        drop = bool(form.cleaned_data.get("drop"))
        if not drop:
            require_perm(
                request, "demand.add_expert" if held.kind == "expert" else "demand.add_talentneed"
            )
        return excel.held_resolve(user=user, held=held, choices=form.choices(), drop=drop)

    def done(record: TalentNeed | Expert | None) -> HttpResponse:
        if record is None:
            return redirect("demand:held_list")
        if isinstance(record, Expert):
            return redirect("demand:expert_detail", pk=record.pk)
        return redirect("demand:need_detail", pk=record.pk)

    answered = submit(
        request,
        form,
        save,
        done,
        lambda r: _("已舍弃该行") if r is None else _("已确认高校并导入"),
    )
    columns = excel.EXPERT_COLUMNS if held.kind == "expert" else excel.need_columns(user)
    facts = [
        (c.header, "、".join(map(str, value)) if isinstance(value, list) else value)
        for c in columns
        if (value := held.values.get(c.key))
    ]
    return answered or form_page(
        request,
        form,
        title=_("确认高校：%(file)s 第 %(row)s 行")
        % {"file": held.filename, "row": held.row_number},
        back=url("demand:held_list"),
        submit_label=_("确认并导入"),
        facts=facts,
    )
