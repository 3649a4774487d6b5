"""Pages of closed-loop supervision: the state of every base, the leader's page, work plans
and milestones (with their Excel import and export), scheduling rounds and reports, the
problem list and its moves, meeting decisions, and the records behind indicator figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yanzhen.assessment.selectors import latest_scores, unit_scores
from yanzhen.cooperation.selectors import activity_qs, base_get, base_list
from yanzhen.core import imports
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import download, export_format, export_response, paginate, render_list
from yanzhen.core.models import User
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.views import require_perm
from yanzhen.supervision import excel, records, selectors, services
from yanzhen.supervision.forms import (
    ActionItemFilterForm,
    ActionItemForm,
    ActionItemMoveForm,
    MilestoneFilterForm,
    MilestoneForm,
    ProblemFilterForm,
    ProblemForm,
    ProblemMoveForm,
    ReportForm,
    RoundEditForm,
    RoundFilterForm,
    RoundForm,
    UploadForm,
    WorkPlanForm,
)
from yanzhen.supervision.models import (
    ActionItem,
    ActionItemState,
    Milestone,
    ProblemAction,
    ProblemSource,
    Report,
    Round,
    RoundState,
    WorkPlan,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_response(field: Any, name: str = "") -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name or Path(field.name).name)


# The state of every base, and the leader's page -----------------------------------------------


def board(request: HttpRequest) -> HttpResponse:
    require_perm(request, "supervision.view_milestone")
    today = timezone.localdate()
    states = selectors.board(user=request.user, today=today)
    context = {"states": states, "today": today}
    return render(request, "supervision/board.html", context)


def leader(request: HttpRequest) -> HttpResponse:
    """My bases, my overdue items, my units' scores."""
    require_perm(request, "supervision.view_milestone")

    today = timezone.localdate()
    view = selectors.leader_view(user=request.user, today=today)
    scores = latest_scores(user=request.user, bases=[s.base.pk for s in view.bases])
    context = {
        "view": view,
        "today": today,
        "rows": [(s, scores.get(s.base.pk)) for s in view.bases],
        "unit_scores": unit_scores(user=request.user, units=[u.pk for u in view.units]),
    }
    return render(request, "supervision/leader.html", context)


# Work plans and milestones ----------------------------------------------------------------------


def work_plan_edit(request: AuthenticatedHttpRequest, base_pk: int) -> HttpResponse:
    require_perm(request, "supervision.change_workplan")
    user = request.user
    base = base_get(user, base_pk)
    plan = WorkPlan.objects.filter(base=base).first()
    initial = (
        {"title": plan.title, "adopted_on": plan.adopted_on, "summary": plan.summary}
        if plan
        else {}
    )
    form = WorkPlanForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_plan_save(actor=user, base=base, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "工作方案已保存")
            return redirect("cooperation:base_detail", pk=base.pk)
    return render(
        request, "supervision/work_plan_form.html", {"form": form, "base": base, "plan": plan}
    )


def work_plan_document(request: AuthenticatedHttpRequest, base_pk: int) -> FileResponse:
    require_perm(request, "supervision.view_workplan")
    plan = selectors.work_plan_get(request.user, base_pk)
    return _file_response(plan.document)


def _milestone_form(
    request: HttpRequest, user: User, initial: dict[str, Any] | None = None
) -> MilestoneForm:
    return MilestoneForm(
        request.POST or None, initial=initial, units=unit_qs(user), people=person_qs(user)
    )


def _save(
    request: HttpRequest, user: User, form: MilestoneForm, base: Any, milestone: Milestone | None
) -> HttpResponse | None:
    d = form.cleaned_data
    try:
        services.milestone_save(
            actor=user,
            milestone=milestone,
            base=base,
            title=d["title"],
            owner_unit=d["owner_unit"],
            owner_person=d["owner_person"],
            due_date=d["due_date"],
            deliverable=d["deliverable"],
            status=d["status"],
            done_date=d["done_date"],
            sort_order=d["sort_order"] or 0,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, "节点任务已保存")
    return redirect("cooperation:base_detail", pk=base.pk)


def milestone_create(request: AuthenticatedHttpRequest, base_pk: int) -> HttpResponse:
    require_perm(request, "supervision.add_milestone")
    user = request.user
    base = base_get(user, base_pk)
    form = _milestone_form(request, user, {"owner_unit": base.lead_department_id})
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save(request, user, form, base, None))
    ):
        return done
    return render(
        request, "supervision/milestone_form.html", {"form": form, "base": base, "milestone": None}
    )


def milestone_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "supervision.change_milestone")
    user = request.user
    milestone = selectors.milestone_get(user, pk)
    initial = {
        "title": milestone.title,
        "owner_unit": milestone.owner_unit_id,
        "owner_person": milestone.owner_person_id,
        "due_date": milestone.due_date,
        "deliverable": milestone.deliverable,
        "status": milestone.status,
        "done_date": milestone.done_date,
        "sort_order": milestone.sort_order,
    }
    form = _milestone_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save(request, user, form, milestone.base, milestone))
    ):
        return done
    context = {"form": form, "base": milestone.base, "milestone": milestone}
    return render(request, "supervision/milestone_form.html", context)


def milestone_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every visible base's milestones; the export is the work plans in the import layout."""
    require_perm(request, "supervision.view_milestone")
    user = request.user
    today = timezone.localdate()
    form = MilestoneFilterForm(request.GET or None, bases=base_list(user=user))
    filters = form.filters()
    milestones = selectors.milestone_list(user=user, filters=filters, today=today)
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="工作方案节点",
            columns=excel.columns(),
            objects=excel.export_rows(milestones.iterator(chunk_size=2000), user=user),
            row=lambda r: r,
        )
    context = {
        "form": form,
        "filters": filters,
        "page": paginate(request, milestones),
        "today": today,
        "can_import": user.has_perm("supervision.change_milestone")
        and user.has_perm("supervision.add_milestone"),
    }
    return render_list(request, "supervision/milestone_list.html", context)


MILESTONE_REGISTER = "工作方案节点"


def milestone_bulk_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import the work plans' milestones from Excel: upload → preview → confirm (one page)."""
    require_perm(request, "supervision.add_milestone")
    require_perm(request, "supervision.change_milestone")
    user = request.user
    if request.GET.get("template"):
        return download(excel.template_bytes(), XLSX, "工作方案节点导入模板.xlsx")
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    token = ""
    if request.method == "POST" and (confirm := request.POST.get("token", "")):
        if request.POST.get("cancel"):
            imports.preview_discard(request, token=confirm)
            messages.info(request, "已取消导入，上传的文件已删除")
            return redirect("supervision:milestone_bulk_edit")
        pending = imports.preview_load(request, token=confirm, register=MILESTONE_REGISTER)
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
            return redirect("supervision:milestone_bulk_edit")
        if report.ok:
            messages.success(
                request,
                f"导入完成：新增 {report.created} 个节点，更新 {report.updated} 个，"
                f"未变 {report.unchanged} 个",
            )
            return redirect("supervision:milestone_list")
        form = UploadForm()
    elif request.method == "POST" and form.is_valid():
        try:
            checked, token = imports.dry_run(
                request,
                register=MILESTONE_REGISTER,
                upload=form.cleaned_data["file"],
                run=lambda data, name: excel.import_file(
                    user=user, data=data, filename=name or "import.xlsx", commit=False
                ),
                report=lambda r: r,
            )
            report = checked
        except DomainError as error:
            apply_domain_error(form, error)
    context = {"form": form, "report": report, "token": token}
    return render(request, "supervision/milestone_import.html", context)


# Rounds and reports ---------------------------------------------------------------------------

ROUND_COLUMNS = (
    Column("title", "调度名称", width=32),
    Column("kind", "调度类型", width=10),
    Column("opened_on", "发起日期", kind="date", width=12),
    Column("deadline", "报送截止日期", kind="date", width=12),
    Column("bases", "参加基地", kind="int", width=10),
    Column("reported", "已报送", kind="int", width=10),
    Column("late", "逾期报送", kind="int", width=10),
    Column("missing", "未报送", kind="int", width=10),
    Column("state", "状态", width=10),
)


def _round_row(r: Round) -> tuple[Any, ...]:
    return (
        r.title,
        r.get_kind_display(),
        r.opened_on,
        r.deadline,
        r.n_bases,  # type: ignore[attr-defined]
        r.n_reported,  # type: ignore[attr-defined]
        r.n_late,  # type: ignore[attr-defined]
        r.n_missing,  # type: ignore[attr-defined]
        r.get_state_display(),
    )


def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The rounds, and (POST) the office opens a new one."""
    require_perm(request, "supervision.view_round")
    user = request.user
    bases = base_list(user=user)
    form = None
    if user.has_perm("supervision.add_round"):
        today = timezone.localdate()
        initial = {
            "kind": "monthly",
            "opened_on": today,
            "deadline": today + dt.timedelta(days=5),
            "title": f"{today.year}年{today.month}月省校合作工作调度",
            "bases": list(bases),
        }
        form = RoundForm(request.POST or None, bases=bases, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                created = services.round_open(actor=user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, f"已发起“{created.title}”")
                return redirect("supervision:round_detail", pk=created.pk)
    elif request.method == "POST":
        require_perm(request, "supervision.add_round")
    filter_form = RoundFilterForm(request.GET or None)
    filters = filter_form.filters()
    rounds = selectors.round_list(user=user, filters=filters)
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="工作调度",
            columns=ROUND_COLUMNS,
            objects=rounds.iterator(chunk_size=2000),
            row=_round_row,
        )
    context = {
        "page": paginate(request, rounds),
        "form": form,
        "filter_form": filter_form,
        "filters": filters,
    }
    return render_list(request, "supervision/round_list.html", context)


def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The round's scheduling summary: who reported (late or not), progress, problems."""
    require_perm(request, "supervision.view_round")
    user = request.user
    round = selectors.round_get(user, pk)
    summary = selectors.round_summary(user=user, round=round)
    if export_format(request):
        return export_response(
            fmt="xlsx",
            title=f"{round.title}调度汇总"[:31],
            columns=excel.summary_columns(),
            objects=excel.summary_rows(summary),
            row=lambda r: r,
        )
    context = {
        "round": round,
        "summary": summary,
        "can_report": user.has_perm("supervision.add_report") and round.state == RoundState.OPEN,
        "can_change": user.has_perm("supervision.change_round"),
        "problems_url": reverse("supervision:problem_list") + f"?round={round.pk}",
    }
    return render(request, "supervision/round_detail.html", context)


def round_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "supervision.change_round")
    user = request.user
    round = selectors.round_get(user, pk)
    initial = {
        "title": round.title,
        "deadline": round.deadline,
        "state": round.state,
        "note": round.note,
    }
    form = RoundEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=user, round=round, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("supervision:round_detail", pk=round.pk)
    return render(request, "supervision/round_form.html", {"form": form, "round": round})


def report_edit(request: AuthenticatedHttpRequest, pk: int, base_pk: int) -> HttpResponse:
    """A base's lead department reports to the round (again, to update it, while it is open)."""
    require_perm(request, "supervision.add_report")
    user = request.user
    round = selectors.round_get(user, pk)
    base = selectors.round_base_get(user, round, base_pk)
    milestones = list(services.round_milestones(round, base))
    report = Report.objects.filter(round=round, base=base).first()
    initial: dict[str, Any] = {"summary": report.summary if report else ""}
    items = {i.milestone_id: i for i in report.items.all()} if report else {}
    for m in milestones:
        item = items.get(m.pk)
        initial[f"percent_{m.pk}"] = item.percent if item else 0
        initial[f"progress_{m.pk}"] = item.progress if item else ""
    form = ReportForm(
        request.POST or None, request.FILES or None, milestones=milestones, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        progress = [
            services.ProgressInput(
                milestone=m,
                percent=d[f"percent_{m.pk}"],
                progress=d[f"progress_{m.pk}"],
                evidence=d[f"evidence_{m.pk}"],
            )
            for m in milestones
        ]
        try:
            services.report_submit(
                actor=user,
                round=round,
                base=base,
                summary=d["summary"],
                items=progress,
                problems=d["problems"].splitlines(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{base.name}的调度报告已报送")
            return redirect("supervision:round_detail", pk=round.pk)
    context = {
        "form": form,
        "round": round,
        "base": base,
        "report": report,
        "items": items,
        "closed": round.state != RoundState.OPEN,
    }
    return render(request, "supervision/report_form.html", context)


def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "supervision.view_report")
    evidence = selectors.evidence_get(request.user, pk)
    return _file_response(evidence.file, evidence.name)


# Problems ----------------------------------------------------------------------------------------

PROBLEM_COLUMNS = (
    Column("title", "问题", width=36),
    Column("base", "基地", width=24),
    Column("source", "来源", width=10),
    Column("raised_by", "提出单位", width=20),
    Column("unit", "责任单位", width=20),
    Column("deadline", "办理时限", kind="date", width=12),
    Column("state", "状态", width=12),
    Column("resolved_on", "办结日期", kind="date", width=12),
    Column("escalation", "督办", width=14),
)
ESCALATION_LABELS = {0: "", 1: "已督办", 2: "已报领导督办"}


def problem_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The problem list, and (POST) a problem raised directly."""
    require_perm(request, "supervision.view_problem")
    user = request.user
    today = timezone.localdate()
    bases = base_list(user=user)
    form = None
    if user.has_perm("supervision.add_problem"):
        form = ProblemForm(
            request.POST or None,
            bases=bases,
            units=unit_qs(user).order_by("sort_order", "id"),
            initial={"raised_by_unit": user.unit_id},
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                created = services.problem_raise(
                    actor=user,
                    title=d["title"],
                    description=d["description"],
                    base=d["base"],
                    raised_by_unit=d["raised_by_unit"],
                    source=ProblemSource.DIRECT,
                    responsible_unit=d["responsible_unit"],
                    deadline=d["deadline"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, "问题已列入清单")
                return redirect("supervision:problem_detail", pk=created.pk)
    elif request.method == "POST":
        require_perm(request, "supervision.add_problem")
    filter_form = ProblemFilterForm(request.GET or None, bases=bases)
    filters = filter_form.filters()
    problems = selectors.problem_list(user=user, filters=filters, today=today)
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="问题清单",
            columns=PROBLEM_COLUMNS,
            objects=problems.iterator(chunk_size=2000),
            row=lambda p: (
                p.title,
                p.base.name if p.base else "",
                p.get_source_display(),
                p.raised_by_unit.name,
                p.responsible_unit.name if p.responsible_unit else "",
                p.deadline,
                p.get_state_display() + ("（逾期）" if p.is_overdue(today) else ""),
                p.resolved_on,
                ESCALATION_LABELS.get(p.escalation_level, ""),
            ),
        )
    context = {
        "form": form,
        "filter_form": filter_form,
        "filters": filters,
        "page": paginate(request, problems),
        "today": today,
    }
    return render_list(request, "supervision/problem_list.html", context)


def problem_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "supervision.view_problem")
    user = request.user
    problem = selectors.problem_get(user, pk)
    context = {
        "problem": problem,
        "today": timezone.localdate(),
        "events": problem.events.select_related("actor", "responsible_unit"),
        "escalations": problem.escalations.select_related("unit", "leader", "actor"),
        "actions": services.allowed_actions(user, problem),
    }
    return render(request, "supervision/problem_detail.html", context)


def problem_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Assign, start, resolve, verify, return or escalate a problem."""
    require_perm(request, "supervision.change_problem")
    user = request.user
    problem = selectors.problem_get(user, pk)
    actions = services.allowed_actions(user, problem)
    initial = {
        "action": request.GET.get("action", actions[0] if actions else ""),
        "responsible_unit": problem.responsible_unit_id,
        "deadline": problem.deadline,
    }
    form = ProblemMoveForm(
        request.POST or None,
        actions=actions,
        units=unit_qs(user).order_by("sort_order", "id"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.problem_move(
                actor=user,
                problem=problem,
                action=d["action"],
                note=d["note"],
                responsible_unit=d["responsible_unit"],
                deadline=d["deadline"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"已{ProblemAction(d['action']).label}")
            return redirect("supervision:problem_detail", pk=problem.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "problem": problem, "actions": actions}
    return render(request, "supervision/problem_move.html", context, status=status)


# Meeting decisions ------------------------------------------------------------------------------

ACTION_ITEM_COLUMNS = (
    Column("meeting", "会议", width=30),
    Column("meeting_date", "会议日期", kind="date", width=12),
    Column("decision", "决定事项", width=40),
    Column("base", "基地", width=24),
    Column("unit", "责任单位", width=20),
    Column("deadline", "完成时限", kind="date", width=12),
    Column("state", "状态", width=10),
    Column("result", "落实情况", width=20),
)


def _action_item_row(a: ActionItem) -> tuple[Any, ...]:
    if a.problem is not None:
        result = f"问题：{a.problem.get_state_display()}"
    elif a.milestone is not None:
        result = f"节点任务：{a.milestone.get_status_display()}"
    else:
        result = ""
    return (
        a.meeting_title,
        a.meeting_date,
        a.decision,
        a.base.name if a.base else "",
        a.responsible_unit.name,
        a.deadline,
        a.get_state_display(),
        result,
    )


def action_item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The decisions of meetings, and (POST) a new one."""
    require_perm(request, "supervision.view_actionitem")
    user = request.user
    form = None
    if user.has_perm("supervision.add_actionitem"):
        form = ActionItemForm(
            request.POST or None,
            meetings=activity_qs(user).order_by("-date"),
            bases=base_list(user=user),
            units=unit_qs(user).order_by("sort_order", "id"),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.action_item_create(actor=user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, "决定事项已登记")
                return redirect("supervision:action_item_list")
    elif request.method == "POST":
        require_perm(request, "supervision.add_actionitem")
    filter_form = ActionItemFilterForm(request.GET or None, bases=base_list(user=user))
    filters = filter_form.filters()
    items = selectors.action_item_list(user=user, filters=filters)
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="会议决定事项",
            columns=ACTION_ITEM_COLUMNS,
            objects=items.iterator(chunk_size=2000),
            row=_action_item_row,
        )
    context = {
        "form": form,
        "filter_form": filter_form,
        "filters": filters,
        "page": paginate(request, items),
        "can_convert": user.has_perm("supervision.change_actionitem"),
    }
    return render_list(request, "supervision/action_item_list.html", context)


def action_item_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Turn a decision into a problem or a milestone."""
    require_perm(request, "supervision.change_actionitem")
    user = request.user
    item = selectors.action_item_get(user, pk)
    form = ActionItemMoveForm(
        request.POST or None, initial={"target": "milestone" if item.base_id else "problem"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_convert(actor=user, item=item, target=form.cleaned_data["target"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已转办")
            if item.problem_id:
                return redirect("supervision:problem_detail", pk=item.problem_id)
            return redirect("cooperation:base_detail", pk=item.base_id)
    context = {"form": form, "item": item, "done": item.state != ActionItemState.OPEN}
    return render(request, "supervision/action_item_move.html", context)


# The records behind an indicator's figure -------------------------------------------------------


def indicator_records(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Exactly the records an indicator counted for a subject and a period (each linked)."""
    if not (
        request.user.has_perm("supervision.view_milestone")
        or request.user.has_perm("assessment.view_score")
    ):
        require_perm(request, "supervision.view_milestone")
    listing = records.listing(
        user=request.user,
        code=request.GET.get("code", ""),
        subject=request.GET.get("subject", ""),
        start=request.GET.get("start", ""),
        end=request.GET.get("end", ""),
    )
    context = {"listing": listing, "query": urlencode(request.GET)}
    return render(request, "supervision/indicator_records.html", context)
