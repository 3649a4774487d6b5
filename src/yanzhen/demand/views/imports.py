"""The imports of the survey spreadsheet and of expert lists — the pages of the one import
flow (``core.importing``, registers ``needs`` and ``experts``) at their URLs — and the rows
an earlier import held for a person to confirm the university of."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yanzhen.core import import_views
from yanzhen.core.filters import filter_form
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
from yanzhen.demand.forms import HeldForm
from yanzhen.demand.models import Expert, HeldRow, ImportKind, TalentNeed
from yanzhen.demand.views.common import XLSX, local_time

# Imports (needs and experts) -----------------------------------------------------------------


def need_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The survey spreadsheet through the one import flow (register ``needs``), kept here."""
    require_perm(request, "demand.import_talentneed")
    return import_views.import_upload(request, "needs")


def need_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_talentneed")
    return download(excel.need_template(request.user), XLSX, _("人才需求调查表模板.xlsx"))


def expert_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Expert lists through the one import flow (register ``experts``), kept here."""
    require_perm(request, "demand.import_expert")
    return import_views.import_upload(request, "experts")


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
