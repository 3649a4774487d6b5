"""Pages of the reporting tasks: the list, design and issue, a task's submissions with the
late and missing units and 催报, the roll-up (and its Excel), a submission filled in online
or through its own Excel, and its review."""

from __future__ import annotations

from collections.abc import Callable, Sized
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import download, export_format, export_response
from yanzhen.core.models import User
from yanzhen.core.pages import (
    Action,
    Col,
    Figure,
    TablePage,
    Tag,
    form_page,
    render_table,
    require_perm,
    require_true,
    submit,
    url,
)
from yanzhen.core.selectors import active_units
from yanzhen.reporting import excel, selectors, services
from yanzhen.reporting.fields import shown
from yanzhen.reporting.forms import (
    ConfirmForm,
    ReviewForm,
    SubmissionForm,
    TaskEditForm,
    TaskForm,
    UploadForm,
)
from yanzhen.reporting.models import MISSING_STATES, Submission, SubmissionState, Task, TaskState
from yanzhen.reporting.periods import period_label

STATE_TAGS: dict[str, str] = {
    SubmissionState.NOT_STARTED: "gap",
    SubmissionState.DRAFT: "",
    SubmissionState.SUBMITTED: "soon",
    SubmissionState.RETURNED: "gap",
    SubmissionState.APPROVED: "ok",
}


def _count(task: Task, name: str) -> int:
    return int(getattr(task, name, 0))


def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "reporting.view_task")
    user = request.user
    form = filter_form(selectors.TaskFilters)(request.GET or None)

    def detail(t: Task, part: str = "") -> str:
        return url("reporting:task_detail", t.pk) + part

    columns: list[Col[Task]] = [
        Col("任务名称", lambda t: t.title, detail, width=36),
        Col("统计期", lambda t: period_label(t.period_start, t.period_end), width=14),
        Col("截止日期", lambda t: t.deadline, kind="date", width=12, sort="deadline"),
        Col("重复", lambda t: t.get_recurrence_display(), width=8),
        Col("状态", lambda t: t.get_state_display(), width=8),
        Col("填报单位", lambda t: _count(t, "n_units"), kind="int", width=10),
        Col("待审核", lambda t: _count(t, "n_submitted"), kind="int", width=8),
        Col("已通过", lambda t: _count(t, "n_approved"), kind="int", width=8),
        Col(
            "未报",
            lambda t: _count(t, "n_missing"),
            lambda t: detail(t, "#missing"),
            kind="int",
            width=8,
        ),
    ]
    actions = []
    if user.has_perm("reporting.add_task"):
        actions.append(Action("新建填报任务", url("reporting:task_new"), primary=True))
    rows = selectors.task_list(user=user, filters=form.filters())
    page = TablePage("数据填报", columns, rows, form, actions=actions, empty="暂无填报任务")
    return render_table(request, page)


def task_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office designs a task; it is kept unissued until the office issues it."""
    require_perm(request, "reporting.add_task")
    user = request.user
    today = timezone.localdate()
    form = TaskForm(
        request.POST or None,
        units=active_units(user),
        initial={"recurrence": "none", "deadline": today, "target_kinds": ["town", "street"]},
    )

    def save() -> Task:
        d = form.cleaned_data
        return services.task_create(
            actor=user,
            title=d["title"],
            description=d["description"],
            deadline=d["deadline"],
            recurrence=d["recurrence"],
            fields=d["form_fields"],
            target_kinds=d["target_kinds"],
            target_units=list(d["target_units"]),
        )

    done = submit(
        request,
        form,
        save,
        lambda t: redirect("reporting:task_detail", pk=t.pk),
        lambda t: f"已保存“{t.title}”，核对后请下发",
    )
    if request.method == "POST" and not done and form.is_valid():
        _spec_errors_beside(form)
    return done or form_page(
        request, form, title="新建填报任务", back=url("reporting:task_list"), submit_label="保存"
    )


def _spec_errors_beside(form: TaskForm) -> None:
    """The design's errors (``fields.<n>.<attribute>``, each naming its field) shown beside
    the form's fields textarea, all of them."""
    errors = form.errors.get("__all__")
    if errors is None:
        return
    del form.errors["__all__"]
    for message in errors:
        form.add_error("form_fields", message)


def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "reporting.view_task")
    user = request.user
    task = selectors.task_get(user, pk)
    form = filter_form(selectors.SubmissionFilters)(request.GET or None)
    rows = selectors.task_submissions(user=user, task=task, filters=form.filters())
    everything = selectors.task_submissions(user=user, task=task)
    today = timezone.localdate()
    missing = [s for s in everything if s.state in MISSING_STATES]
    late = [s for s in everything if s.late]
    columns: list[Col[Submission]] = [
        Col(
            "填报单位",
            lambda s: s.unit.name,
            lambda s: url("reporting:submission_detail", s.pk),
            width=24,
        ),
        Col(
            "状态",
            lambda s: s.get_state_display(),
            tag=lambda s: STATE_TAGS[s.state],
            marks=lambda s: [Tag("逾期", "gap")] if s.late else [],
            width=12,
        ),
        Col("提交时间", lambda s: s.submitted_at, kind="text", width=18),
        Col("审核单位", lambda s: s.reviewer_unit.name, width=20),
        Col("审核意见", lambda s: s.comment, width=30),
    ]
    figures = [
        Figure("填报单位", len(everything)),
        Figure("已通过", sum(1 for s in everything if s.state == SubmissionState.APPROVED)),
        Figure("待审核", sum(1 for s in everything if s.state == SubmissionState.SUBMITTED)),
        Figure("未报", len(missing), "#missing"),
        Figure("逾期提交", len(late)),
    ]
    actions = [Action("汇总", url("reporting:task_rollup", task.pk))]
    if user.has_perm("reporting.change_task"):
        actions.append(Action("编辑", url("reporting:task_edit", task.pk)))
    context: dict[str, Any] = {
        "task": task,
        "missing": missing,
        "overdue": today > task.deadline,
        "late": late,
        "can_issue": user.has_perm("reporting.issue_task") and task.state == TaskState.DRAFT,
        "can_remind": user.has_perm("reporting.issue_task")
        and task.state == TaskState.ISSUED
        and bool(missing),
        "specs": services.specs_of(task),
    }
    page = TablePage(
        task.title,
        columns,
        rows,
        form,
        actions=actions,
        figures=figures,
        empty="尚未下发，或没有您可见的填报单位",
        template="reporting/task_detail.html",
        context=context,
    )
    return render_table(request, page)


def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a task's title, description or deadline (e.g. extend the deadline)."""
    require_perm(request, "reporting.change_task")
    user = request.user
    task = selectors.task_get(user, pk)
    initial = {name: getattr(task, name) for name in services.TASK_FIELDS}
    form = TaskEditForm(request.POST or None, initial=initial)
    back = url("reporting:task_detail", task.pk)
    done = submit(
        request,
        form,
        lambda: services.task_update(actor=user, task=task, **form.cleaned_data),
        lambda t: redirect(back),
    )
    return done or form_page(request, form, title=f"{task.title} · 编辑", back=back)


def _confirm(
    request: AuthenticatedHttpRequest, task: Task, title: str, intro: str, label: str
) -> HttpResponse:
    return form_page(
        request,
        ConfirmForm(),
        title=title,
        intro=intro,
        back=url("reporting:task_detail", task.pk),
        submit_label=label,
    )


def _task_confirmed(
    request: AuthenticatedHttpRequest,
    pk: int,
    act: Callable[[Task], Sized],
    said: Callable[[int], str],
) -> tuple[Task, ConfirmForm, HttpResponse | None]:
    """An issuer's action on the task ``pk`` once confirmed: the task, the confirmation form,
    and on a confirmed POST the answer (``act`` done, ``said`` of the number of units it
    reached, back to the task); ``None`` otherwise, for the view to ask."""
    require_perm(request, "reporting.issue_task")
    task = selectors.task_get(request.user, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    done = submit(
        request,
        form,
        lambda: act(task),
        lambda _reached: redirect("reporting:task_detail", pk=task.pk),
        lambda reached: said(len(reached)),
    )
    return task, form, done


@require_http_methods(["GET", "POST"])
def task_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue the task: one submission per target unit, each told at once."""
    task, form, done = _task_confirmed(
        request,
        pk,
        lambda task: services.task_issue(actor=request.user, task=task),
        lambda count: f"已下发给 {count} 个单位",
    )
    if done:
        return done
    if form.errors or task.state != TaskState.DRAFT:
        return form_page(
            request,
            form,
            title=f"下发“{task.title}”",
            back=url("reporting:task_detail", task.pk),
            warnings=[] if task.state == TaskState.DRAFT else ["该任务已下发"],
        )
    units = services.targets_of(task)
    intro = f"将下发给 {len(units)} 个单位：{'、'.join(u.name for u in units[:30])}" + (
        "等" if len(units) > 30 else ""
    )
    return _confirm(request, task, f"下发“{task.title}”", intro, "下发")


@require_http_methods(["GET", "POST"])
def task_remind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """催报: every unit that has not handed in is told (once a day)."""
    task, form, done = _task_confirmed(
        request,
        pk,
        lambda task: services.task_remind(actor=request.user, task=task),
        lambda count: f"已催报 {count} 个单位",
    )
    if done:
        return done
    if form.errors:
        return form_page(
            request, form, title=f"催报“{task.title}”", back=url("reporting:task_detail", task.pk)
        )
    return _confirm(
        request,
        task,
        f"催报“{task.title}”",
        "向尚未提交（未填报、填报中、被退回）的单位发送提醒（站内消息、邮件和工作群机器人）；"
        "同一单位每天只提醒一次。",
        "催报",
    )


def task_rollup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Totals per field of the approved submissions, per reviewing unit, per unit; missing."""
    require_perm(request, "reporting.view_submission")
    task = selectors.task_get(request.user, pk)
    r = selectors.rollup(user=request.user, task=task)
    summed = selectors.summed_keys(r.specs)
    if export_format(request):
        columns = [
            Column("unit", "填报单位", width=24),
            Column("state", "状态", width=12),
            Column("late", "逾期", kind="bool", width=8),
            *(
                Column(key, label, kind="int" if kind == "integer" else "decimal")
                for key, label, kind in summed
            ),
        ]
        lines: list[list[Any]] = [
            [
                s.unit.name,
                s.get_state_display(),
                s.late,
                *(_figure(s.values, key) for key, _l, _k in summed),
            ]
            for s in r.rows
        ]
        lines.append(["合计（已通过）", "", "", *(r.totals[key] for key, _l, _k in summed)])
        return export_response(
            fmt="xlsx",
            title=f"{task.title}汇总",
            columns=columns,
            objects=lines,
            row=lambda line: line,
        )
    specs = {s.key: s for s in r.specs}
    rows = [
        (
            s,
            [
                shown(specs[key], s.values.get(key)) if key in specs else _figure(s.values, key)
                for key, _l, _k in summed
            ],
        )
        for s in r.rows
    ]
    context = {
        "task": task,
        "summed": summed,
        "totals": [r.totals[key] for key, _l, _k in summed],
        "choices": [(s, r.totals[s.key]) for s in r.specs if s.type in ("choice", "multichoice")],
        "subtotals": [
            (r.reviewers[pk], [sub[key] for key, _l, _k in summed])
            for pk, sub in r.subtotals.items()
        ],
        "rows": rows,
        "missing": r.missing,
        "export": url("reporting:task_rollup", task.pk, query={"export": "xlsx"}),
    }
    return render(request, "reporting/rollup.html", context)


def _figure(values: dict[str, Any], key: str) -> Any:
    """A summed figure of one submission: a field's value, or a table column's sum."""
    if "." not in key:
        return values.get(key)
    table, column = key.split(".", 1)
    cells = [row.get(column) for row in values.get(table) or [] if row.get(column) is not None]
    if not cells:
        return None
    return str(sum((Decimal(str(c)) for c in cells), Decimal(0)).quantize(Decimal("0.01")))


def submission_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "reporting.view_submission")
    user = request.user
    submission = selectors.submission_get(user, pk)
    specs = services.specs_of(submission.task)
    items = [
        (
            spec,
            shown(spec, submission.values.get(spec.key)),
            submission.field_comments.get(spec.key, ""),
            _file_url(spec.type, submission.values.get(spec.key)),
        )
        for spec in specs
    ]
    tables = [
        (spec, submission.values.get(spec.key) or []) for spec in specs if spec.type == "table"
    ]
    context = {
        "submission": submission,
        "task": submission.task,
        "items": items,
        "tables": tables,
        "can_fill": selectors.can_fill(user, submission),
        "can_review": selectors.can_review(user, submission),
        "tag": STATE_TAGS[submission.state],
    }
    return render(request, "reporting/submission_detail.html", context)


def _file_url(kind: str, value: Any) -> str:
    if kind != "file" or not isinstance(value, dict) or "id" not in value:
        return ""
    return url("reporting:file_download", value["id"])


def submission_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A unit fills in its own submission online: save, or save and submit."""
    require_perm(request, "reporting.change_submission")
    user = request.user
    submission = selectors.submission_get(user, pk)
    own = user.unit_id == submission.unit_id
    require_true(own or request.method == "GET")
    specs = services.specs_of(submission.task)
    form = SubmissionForm(
        request.POST or None, request.FILES or None, specs=specs, values=submission.values
    )
    if request.method == "POST" and form.is_valid():
        submit_too = request.POST.get("action") == "submit"
        try:
            with transaction.atomic():
                _save(user, submission, form, submit_too=submit_too)
        except DomainError as error:
            form.show_error(error)
        else:
            messages.success(request, "已提交，等待审核" if submit_too else "已保存")
            return redirect("reporting:submission_detail", pk=submission.pk)
    context = {
        "form": form,
        "submission": submission,
        "task": submission.task,
        "locked": submission.state not in MISSING_STATES,
        "own": own,
        "comments": submission.field_comments,
    }
    return render(request, "reporting/submission_form.html", context)


def _save(user: User, submission: Submission, form: SubmissionForm, *, submit_too: bool) -> None:
    services.submission_save(actor=user, submission=submission, values=form.values())
    for key, upload in form.files_given().items():
        services.submission_attach(actor=user, submission=submission, key=key, upload=upload)
    if submit_too:
        services.submission_submit(actor=user, submission=submission)


def submission_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The reviewing unit approves (locked) or returns it with comments."""
    require_perm(request, "reporting.review_submission")
    user = request.user
    submission = selectors.submission_get(user, pk)
    specs = services.specs_of(submission.task)
    form = ReviewForm(request.POST or None, specs=specs)
    done = submit(
        request,
        form,
        lambda: services.submission_review(
            submission=submission,
            reviewer=user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            field_comments=form.field_comments(),
            request=request,
        ),
        lambda s: redirect("reporting:submission_detail", pk=s.pk),
        lambda s: "已通过" if s.state == SubmissionState.APPROVED else "已退回",
    )
    facts = [(spec.label, shown(spec, submission.values.get(spec.key))) for spec in specs]
    return done or form_page(
        request,
        form,
        title=f"审核：{submission.unit.name} · {submission.task.title}",
        back=url("reporting:submission_detail", submission.pk),
        facts=facts,
        submit_label="确定",
    )


def submission_excel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The unit's own workbook, pre-filled (drop-downs, protected structure)."""
    require_perm(request, "reporting.view_submission")
    submission = selectors.submission_get(request.user, pk)
    content = excel.write_submission(submission, services.specs_of(submission.task))
    name = f"{submission.task.title}-{submission.unit.name}.xlsx"
    return download(content, excel.CONTENT_TYPE, name)


def submission_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Upload the filled-in workbook: saved whole, or not at all with every error named."""
    require_perm(request, "reporting.change_submission")
    user = request.user
    submission = selectors.submission_get(user, pk)
    own = user.unit_id == submission.unit_id
    require_true(own or request.method == "GET")
    form = UploadForm(request.POST or None, request.FILES or None)

    def save() -> Submission:
        upload = form.cleaned_data["file"]
        return services.submission_upload(
            actor=user, submission=submission, data=upload.read(), filename=upload.name or ""
        )

    done = submit(
        request,
        form,
        save,
        lambda s: redirect("reporting:submission_detail", pk=s.pk),
        "已按上传的文件保存，请核对后提交",
    )
    return done or form_page(
        request,
        form,
        title=f"上传填报表：{submission.task.title}",
        intro="请先下载本单位的填报表（已预填），在黄色格子中填写后上传。文件有误时不保存任何内容。",
        back=url("reporting:submission_detail", submission.pk),
        submit_label="上传",
        warnings=[] if own else [f"只有{submission.unit.name}的用户可以上传本单位的填报表"],
    )


def file_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "reporting.view_submission")
    attached = selectors.submission_file_get(request.user, pk)
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attached.name)
