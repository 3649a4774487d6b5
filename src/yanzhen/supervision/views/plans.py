"""Work plans and milestones, with their Excel import and export."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from yanzhen.cooperation.selectors import base_get
from yanzhen.core import import_views
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import download
from yanzhen.core.pages import (
    Action,
    Col,
    Export,
    TablePage,
    Tag,
    form_page,
    form_view,
    initial_of,
    render_table,
    require_perm,
    submit,
    url,
)
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.supervision import excel, selectors, services
from yanzhen.supervision.forms import (
    MilestoneForm,
    WorkPlanForm,
)
from yanzhen.supervision.models import (
    Milestone,
)
from yanzhen.supervision.selectors import (
    MilestoneFilters,
)
from yanzhen.supervision.views.common import (
    file_response,
)


def work_plan_edit(request: AuthenticatedHttpRequest, base_pk: int) -> HttpResponse:
    """The base's work plan: written the first time, changed afterwards."""
    require_perm(request, "supervision.change_workplan")
    user = request.user
    base = base_get(user, base_pk)
    plan = selectors.work_plan_of(base)
    initial = initial_of(plan, "title", "adopted_on", "summary") if plan else {}
    form = WorkPlanForm(request.POST or None, request.FILES or None, initial=initial)

    def save() -> object:
        if plan is None:
            return services.work_plan_create(actor=user, base=base, **form.cleaned_data)
        return services.work_plan_update(actor=user, work_plan=plan, **form.cleaned_data)

    back = url("cooperation:base_detail", base.pk)
    done = submit(request, form, save, lambda _plan: redirect(back), _("工作方案已保存"))
    facts = []
    if plan is not None and plan.document:
        document = format_html(
            '<a href="{}">{}</a>',
            url("supervision:work_plan_document", base.pk),
            plan.document.name,
        )
        facts.append((_("当前文件"), document))
    return done or form_page(
        request, form, title=f"{base.name} · {_('工作方案')}", back=back, facts=facts
    )


def work_plan_document(request: AuthenticatedHttpRequest, base_pk: int) -> FileResponse:
    require_perm(request, "supervision.view_workplan")
    plan = selectors.work_plan_get(request.user, base_pk)
    return file_response(plan.document)


def _milestone_form(request: AuthenticatedHttpRequest, initial: dict[str, Any]) -> MilestoneForm:
    user = request.user
    return MilestoneForm(
        request.POST or None, initial=initial, units=unit_qs(user), people=person_qs(user)
    )


def milestone_new(request: AuthenticatedHttpRequest, base_pk: int) -> HttpResponse:
    require_perm(request, "supervision.add_milestone")
    user = request.user
    base = base_get(user, base_pk)
    form = _milestone_form(request, {"owner_unit": base.lead_department_id})
    back = url("cooperation:base_detail", base.pk)
    return form_view(
        request,
        form,
        lambda: services.milestone_create(actor=user, base=base, **form.cleaned_data),
        lambda _m: redirect(back),
        _("节点任务已保存"),
        title=" · ".join((base.name, _("新增节点任务"))),
        back=back,
    )


def milestone_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "supervision.change_milestone")
    user = request.user
    milestone = selectors.milestone_get(user, pk)
    initial = {
        name: getattr(milestone, name)
        for name in services.MILESTONE_FIELDS
        if name not in ("owner_unit", "owner_person")
    }
    initial.update(owner_unit=milestone.owner_unit_id, owner_person=milestone.owner_person_id)
    form = _milestone_form(request, initial)
    back = url("cooperation:base_detail", milestone.base_id)
    return form_view(
        request,
        form,
        lambda: services.milestone_update(actor=user, milestone=milestone, **form.cleaned_data),
        lambda _m: redirect(back),
        _("节点任务已保存"),
        title=" · ".join((milestone.base.name, _("编辑节点任务"))),
        back=back,
    )


def milestone_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every visible base's milestones; the export is the work plans in the import layout."""
    require_perm(request, "supervision.view_milestone")
    user = request.user
    today = timezone.localdate()
    form = filter_form(MilestoneFilters)(request.GET or None, user=user)
    columns: list[Col[Milestone]] = [
        Col(
            _("基地"),
            lambda m: m.base.name,
            lambda m: url("cooperation:base_detail", m.base_id) + "#milestones",
        ),
        Col(_("节点任务"), lambda m: m.title),
        Col(
            _("责任单位"),
            lambda m: m.owner_unit.label + (f" · {m.owner_person.name}" if m.owner_person else ""),
        ),
        Col(_("完成时限"), lambda m: m.due_date, sort="due_date"),
        Col(_("预期成果"), lambda m: m.deliverable),
        Col(
            _("状态"),
            lambda m: m.get_status_display(),
            marks=lambda m: [Tag(_("逾期"), "gap")] if m.is_overdue(today) else [],
            note=lambda m: m.done_date,
        ),
    ]
    actions = []
    if user.has_perm("supervision.change_milestone") and user.has_perm("supervision.add_milestone"):
        actions.append(Action(_("Excel 导入"), url("supervision:milestone_bulk_edit")))
    rows = selectors.milestone_list(user=user, filters=form.filters(), today=today)
    export = Export(excel.columns(), excel.export_row(user=user))  # the import template's
    empty = _("没有符合条件的节点任务")
    page = TablePage(
        _("工作方案节点"), columns, rows, form, actions=actions, export=export, empty=empty
    )
    return render_table(request, page)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def milestone_bulk_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import the work plans' milestones from Excel: the page of the one import flow
    (``core.importing``, register ``milestones``) at this URL; ``?template=1`` downloads the
    template (the columns of the milestones' export)."""
    require_perm(request, "supervision.add_milestone")
    require_perm(request, "supervision.change_milestone")
    if request.GET.get("template"):
        return download(excel.template_bytes(), XLSX, _("工作方案节点导入模板.xlsx"))
    return import_views.import_upload(request, "milestones")
