"""Writes of the reporting tasks: design, issue, fill in, submit, review, remind, recur.

States of a submission::

    not_started ─save─▶ draft ─submit─▶ submitted ─approve─▶ approved (locked)
         └──────────submit───────────▶     │
                                           └─return─▶ returned ─save/submit─▶ …

A unit fills in only its own submission; the reviewer is the unit above it that asked for it
(the issuing office; for a village, its town) and never the unit that submitted
(``self_approval``). Each step is in the submission's history and notifies whom it hands
work to (``notifications.services.notify``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from yanzhen.cooperation.models import Cooperation, CooperationLink
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.models import ApprovalRequest, RequestState, Unit, UnitClosure, UnitKind, User
from yanzhen.core.scope import scope_of
from yanzhen.core.services import validate
from yanzhen.core.uploads import check_upload
from yanzhen.core.workflow import Flow, register_flow, review_decide, review_submit, reviews_for
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify, robot_batch
from yanzhen.reporting.excel import read_submission
from yanzhen.reporting.fields import (
    FieldSpec,
    check_complete,
    clean_values,
    invalid,
    parse_specs,
    specs_from_json,
)
from yanzhen.reporting.models import (
    EDITABLE_STATES,
    MISSING_STATES,
    Recurrence,
    Submission,
    SubmissionFile,
    SubmissionState,
    Task,
    TaskState,
)
from yanzhen.reporting.periods import period_label, period_of, quarter_of

TARGET_KINDS: dict[str, str] = {
    UnitKind.TOWN: "镇",
    UnitKind.STREET: "街道",
    UnitKind.DEPARTMENT: "部门",
    UnitKind.ZONE: "开发区",
    UnitKind.VILLAGE: "村（社区）",
}
# A village reports to its town (or street), which checks it; every other unit to the office.
VILLAGE_REVIEWERS = (UnitKind.TOWN, UnitKind.STREET)
COMMENT_MAX = 500
FIELD_COMMENT_MAX = 200


def _require(actor: User | None, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise ForbiddenError()


def _stamp(instance: Task | Submission, actor: User | None) -> None:
    if instance._state.adding:
        instance.created_by = actor
    instance.updated_by = actor
    setattr(instance, "_history_user", actor)  # noqa: B010 (read by the history)


def specs_of(task: Task) -> list[FieldSpec]:
    return specs_from_json(task.fields)


# Design and issue ---------------------------------------------------------------------------


def _county_of(unit: Unit) -> Unit:
    """The county (or the top of the tree) ``unit`` belongs to: the bound of "all towns"."""
    current = unit
    while current.kind != UnitKind.COUNTY and current.parent_id is not None:
        assert current.parent is not None
        current = current.parent
    return current


def _check_targets(actor: User | None, kinds: Sequence[str], units: Sequence[Unit]) -> None:
    wrong = [k for k in kinds if k not in TARGET_KINDS]
    if wrong:
        names = "、".join(f"{k}（{v}）" for k, v in TARGET_KINDS.items())
        message = f"填报单位类型应为 {names} 之一"
        raise DomainError("invalid", message, {"targets.unit_kinds": message}, status=422)
    if actor is not None and units:
        scope = scope_of(actor)
        seen = set(scope.units().filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
        outside = [u for u in units if u.pk not in seen]
        if outside and not scope.everything:
            message = f"“{outside[0].name}”不在您的数据范围内"
            raise DomainError("out_of_scope", message, {"targets.unit_ids": message}, status=422)


def _check_dates(task: Task) -> None:
    if task.period_end < task.period_start:
        message = "统计期止不能早于统计期起"
        raise DomainError("invalid", message, {"period_end": message}, status=422)
    if task.deadline < task.period_start:
        message = "截止日期不能早于统计期起"
        raise DomainError("invalid", message, {"deadline": message}, status=422)


@transaction.atomic
def task_create(
    *,
    actor: User | None,
    title: str,
    deadline: dt.date,
    fields: Sequence[Mapping[str, Any]],
    target_kinds: Sequence[str] = (),
    target_units: Sequence[Unit] = (),
    description: str = "",
    owner_unit: Unit | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    recurrence: str = Recurrence.NONE,
    issue: bool = False,
) -> Task:
    """The office designs a task (``fields``: see ``reporting/fields.py``) for the units of
    ``target_kinds`` in its county and the ``target_units``; the period defaults to the
    quarter (or month) of the deadline. With ``issue`` it is issued at once."""
    _require(actor, "reporting.add_task")
    owner = owner_unit or (actor.unit if actor is not None else None)
    if owner is None:
        raise DomainError("invalid", "下发单位必填", {"owner_unit": "下发单位必填"}, status=422)
    specs = parse_specs(list(fields))
    kinds = list(dict.fromkeys(target_kinds))
    _check_targets(actor, kinds, target_units)
    if not kinds and not target_units:
        message = "请选择填报单位（按类型或逐个指定）"
        raise DomainError("invalid", message, {"targets": message}, status=422)
    if recurrence not in Recurrence.values:
        message = "重复方式应为 none、monthly 或 quarterly"
        raise DomainError("invalid", message, {"recurrence": message}, status=422)
    start, end = period_of(recurrence, deadline)
    if recurrence == Recurrence.NONE:
        start, end = quarter_of(deadline)
    task = Task(
        title=title.strip(),
        description=description.strip(),
        owner_unit=owner,
        fields=[s.as_json() for s in specs],
        target_kinds=kinds,
        period_start=period_start or start,
        period_end=period_end or end,
        deadline=deadline,
        recurrence=recurrence,
    )
    _check_dates(task)
    _stamp(task, actor)
    try:
        validate(task)
    except DomainError as error:
        raise DomainError(error.code, error.message, error.fields, status=422) from error
    task.save()
    task.target_units.set(target_units)
    if issue:
        task_issue(actor=actor, task=task)
    return task


def targets_of(task: Task) -> list[Unit]:
    """The units the task goes to: its units by kind within the issuing office's county (the
    active ones), and those named."""
    ids = set(task.target_units.values_list("pk", flat=True))
    if task.target_kinds:
        county = _county_of(task.owner_unit)
        below = UnitClosure.objects.filter(ancestor=county).values("descendant_id")
        ids |= set(
            Unit.objects.filter(
                kind__in=task.target_kinds, is_active=True, pk__in=below
            ).values_list("pk", flat=True)
        )
    return list(
        Unit.objects.filter(pk__in=ids).select_related("parent").order_by("sort_order", "id")
    )


def reviewer_of(task: Task, unit: Unit) -> Unit:
    """Who checks ``unit``'s submission: a village's town (or street), else the office."""
    parent = unit.parent
    if unit.kind == UnitKind.VILLAGE and parent is not None and parent.kind in VILLAGE_REVIEWERS:
        return parent
    return task.owner_unit


def _prefilled(task: Task, unit: Unit, specs: Sequence[FieldSpec]) -> dict[str, Any]:
    """The values the records give (the unit's cooperations of the period, by stage date)."""
    dates = {
        "cooperation.intentions": "intention_date",
        "cooperation.agreements": "agreement_date",
        "cooperation.landed": "landed_date",
    }
    wanted = [s for s in specs if s.prefill in dates]
    if not wanted:
        return {}
    below = UnitClosure.objects.filter(ancestor=unit).values("descendant_id")
    linked = CooperationLink.objects.filter(unit_id__in=below).values("cooperation_id")
    mine = Cooperation.objects.filter(pk__in=linked)
    out: dict[str, Any] = {}
    for spec in wanted:
        field = dates[spec.prefill]
        between = {f"{field}__gte": task.period_start, f"{field}__lte": task.period_end}
        out[spec.key] = mine.filter(**between).count()
    return out


def _fill_url(submission: Submission) -> str:
    return reverse("reporting:submission_detail", args=[submission.pk])


@transaction.atomic
def task_issue(*, actor: User | None, task: Task) -> list[Submission]:
    """Issue the task: one submission per target unit, at once, each unit told."""
    _require(actor, "reporting.issue_task")
    if task.state != TaskState.DRAFT:
        raise DomainError("issued", "该任务已下发", status=409)
    today = timezone.localdate()
    if actor is not None and task.deadline < today:
        message = "截止日期已过，请先修改截止日期"
        raise DomainError("invalid", message, {"deadline": message}, status=422)
    units = targets_of(task)
    if not units:
        message = "没有符合条件的填报单位"
        raise DomainError("invalid", message, {"targets": message}, status=422)
    specs = specs_of(task)
    submissions = bulk_create_with_history(
        [
            Submission(
                task=task,
                unit=unit,
                reviewer_unit=reviewer_of(task, unit),
                values=_prefilled(task, unit, specs),
                created_by=actor,
                updated_by=actor,
            )
            for unit in units
        ],
        Submission,
        default_user=actor,
    )
    task.state = TaskState.ISSUED
    task.issued_at = timezone.now()
    _stamp(task, actor)
    task.save(update_fields=["state", "issued_at", "updated_by", "updated_at"])
    with robot_batch():
        for submission, unit in zip(submissions, units, strict=True):
            notify(
                event=Event.REPORTING_ISSUED,
                about=task,
                occasion=f"unit:{unit.pk}",
                title=f"请填报“{task.title}”，{task.deadline:%Y-%m-%d}前",
                body=task.description,
                url=_fill_url(submission),
                units=[unit],
                actor=actor,
            )
    return list(Submission.objects.filter(task=task).select_related("unit"))


TASK_FIELDS = ("title", "description", "deadline")


@transaction.atomic
def task_update(*, actor: User | None, task: Task, **fields: Any) -> Task:
    """Change a task's title, description or deadline (``TASK_FIELDS``)."""
    _require(actor, "reporting.change_task")
    if actor is not None and not scope_of(actor).contains_unit(task.owner_unit):
        raise ForbiddenError("只有下发单位可以修改任务")
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(task, name, value.strip() if isinstance(value, str) else value)
    _check_dates(task)
    _stamp(task, actor)
    validate(task)
    task.save()
    return task


# Fill in and submit -------------------------------------------------------------------------


def _check_own(actor: User | None, submission: Submission) -> None:
    _require(actor, "reporting.change_submission")
    if actor is not None and actor.unit_id != submission.unit_id:
        raise ForbiddenError("只能填报本单位的任务")


def _check_editable(submission: Submission) -> None:
    if submission.state == SubmissionState.APPROVED:
        raise DomainError("locked", "该填报已审核通过，不能再修改", status=409)
    if submission.state not in EDITABLE_STATES:
        raise DomainError("submitted", "该填报已提交，审核期间不能修改", status=409)


@transaction.atomic
def submission_save(
    *, actor: User | None, submission: Submission, values: Mapping[str, object]
) -> Submission:
    """Save the values given (the others keep theirs); a submission not started becomes a
    draft, a returned one stays returned (its comments shown) until it is submitted again."""
    _check_own(actor, submission)
    _check_editable(submission)
    task = submission.task
    submission.values = clean_values(specs_of(task), values, current=submission.values)
    if submission.state == SubmissionState.NOT_STARTED:
        submission.state = SubmissionState.DRAFT
    _stamp(submission, actor)
    submission.save()
    return submission


@transaction.atomic
def submission_upload(
    *, actor: User | None, submission: Submission, data: bytes, filename: str
) -> Submission:
    """Save the values of the unit's filled-in workbook (``reporting/excel.py``): every field
    but the files, all or nothing (every bad cell named in the error)."""
    _check_own(actor, submission)
    _check_editable(submission)
    values = read_submission(data, filename, submission, specs_of(submission.task))
    return submission_save(actor=actor, submission=submission, values=values)


@transaction.atomic
def submission_attach(
    *, actor: User | None, submission: Submission, key: str, upload: UploadedFile[bytes]
) -> SubmissionFile:
    """Attach a file to the field ``key`` (of type file), replacing the one it had."""
    _check_own(actor, submission)
    _check_editable(submission)
    spec = next((s for s in specs_of(submission.task) if s.key == key), None)
    if spec is None or spec.type != "file":
        raise invalid({f"values.{key[:40]}": f"“{key[:40]}”不是本表单的文件字段"})
    check_upload(upload, field=f"values.{key}")
    attached = SubmissionFile(
        submission=submission, key=key, name=(upload.name or spec.label)[:200], uploaded_by=actor
    )
    attached.file.save(upload.name or "file", upload, save=False)
    attached.save()
    submission.values = {**submission.values, key: {"id": attached.pk, "name": attached.name}}
    if submission.state == SubmissionState.NOT_STARTED:
        submission.state = SubmissionState.DRAFT
    _stamp(submission, actor)
    submission.save()
    return attached


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission) -> Submission:
    """Hand the submission in for review (every required field filled); a submission after
    the deadline day is marked late. The reviewers are told."""
    _check_own(actor, submission)
    _check_editable(submission)
    task = submission.task
    check_complete(specs_of(task), submission.values)
    now = timezone.now()
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at = now
    submission.submitted_by = actor
    submission.late = timezone.localdate(now) > task.deadline
    submission.rounds += 1
    _stamp(submission, actor)
    submission.save()
    # The review inbox (core.workflow) holds it and tells the reviewing unit's deciders.
    review_submit(flow=SUBMISSION_FLOW, target=submission, actor=actor, unit=submission.unit)
    return submission


# Review -------------------------------------------------------------------------------------


def _check_field_comments(task: Task, comments: Mapping[str, str]) -> dict[str, str]:
    labels = {s.key: s.label for s in specs_of(task)}
    errors: dict[str, str] = {}
    out: dict[str, str] = {}
    for key, text in comments.items():
        text = str(text or "").strip()
        if key not in labels:
            errors[f"fields.{str(key)[:40]}"] = f"“{str(key)[:40]}”不是本表单的字段"
        elif len(text) > FIELD_COMMENT_MAX:
            errors[f"fields.{key}"] = f"对“{labels[key]}”的意见至多{FIELD_COMMENT_MAX}个字"
        elif text:
            out[key] = text
    if errors:
        raise invalid(errors)
    return out


@transaction.atomic
def submission_review(
    *,
    submission: Submission,
    reviewer: User,
    decision: str,
    comment: str = "",
    field_comments: Mapping[str, str] | None = None,
    request: HttpRequest | None = None,
) -> Submission:
    """Approve (then locked) or return (a comment required; comments per field allowed) a
    submitted submission. Only a user of its reviewing unit holding the permission decides,
    never one of the unit that submitted it (403 ``self_approval``). ``request`` is the
    review inbox's (the shared review service's signature); the decision is recorded in the
    submission's history either way."""
    if submission.state == SubmissionState.APPROVED:
        raise DomainError("locked", "该填报已审核通过，不能再修改", status=409)
    if submission.state != SubmissionState.SUBMITTED:
        raise DomainError("state", "该填报尚未提交，不能审核", status=409)
    if reviewer.unit_id == submission.unit_id or reviewer.pk == submission.submitted_by_id:
        raise DomainError("self_approval", "不能审核本单位提交的填报", status=403)
    _require(reviewer, "reporting.review_submission")
    if reviewer.unit_id != submission.reviewer_unit_id:
        raise ForbiddenError(f"该填报由{submission.reviewer_unit.name}审核")
    if decision not in ("approve", "return"):
        message = "审核结果应为 approve（通过）或 return（退回）"
        raise DomainError("invalid", message, {"decision": message}, status=422)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        message = f"审核意见至多{COMMENT_MAX}个字"
        raise DomainError("invalid", message, {"comment": message}, status=422)
    if decision == "return" and not comment:
        message = "退回时请填写意见"
        raise DomainError("invalid", message, {"comment": message}, status=422)
    notes = _check_field_comments(submission.task, field_comments or {})
    approval = reviews_for(submission, flow=SUBMISSION_FLOW).filter(state=RequestState.REQUESTED)
    review_decide(
        approval=approval.get(),
        approver=reviewer,
        decision=decision,
        comment=comment,
        field_comments=notes,
        request=request,
    )
    submission.refresh_from_db()
    return submission


def _decided(approval: ApprovalRequest, reviewer: User) -> None:
    """The shared review's decision on a submission (from this app's pages and API or from
    the review inbox): approved (then locked) or returned with the comments; the unit is told."""
    submission = Submission.objects.select_related("task", "unit").get(pk=approval.target_id)
    task = submission.task
    approved = approval.state == RequestState.APPROVED
    comment = approval.decision_note
    submission.field_comments = dict(approval.field_comments or {})
    submission.comment = comment
    submission.state = SubmissionState.APPROVED if approved else SubmissionState.RETURNED
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = reviewer
    _stamp(submission, reviewer)
    submission.save()
    if approved:
        event, title = Event.REPORTING_APPROVED, f"“{task.title}”已审核通过"
    else:
        event, title = Event.REPORTING_RETURNED, f"“{task.title}”被退回：{comment[:60]}"
    notify(
        event=event,
        about=submission,
        occasion=f"round:{submission.rounds}",
        title=title,
        body=comment,
        url=_fill_url(submission),
        units=[submission.unit],
        actor=reviewer,
    )


SUBMISSION_FLOW = register_flow(
    Flow(
        code="reporting.submission",
        label="数据填报",
        model=Submission,
        permission="reporting.review_submission",
        reviewer=lambda submission, _unit: submission.reviewer_unit,
        title=lambda submission: f"{submission.unit.name}：{submission.task.title}",
        url=lambda submission: _fill_url(submission),
        apply=_decided,
        on_return=_decided,
        deadline_days=None,
        notify_decision=False,
    )
)


# Reminders and recurrence -------------------------------------------------------------------


def task_remind(*, actor: User | None, task: Task, today: dt.date | None = None) -> list[Unit]:
    """催报: tell every unit that has not handed in (not started, draft, returned). Each is
    told once a day however often the office asks; returns the units reminded."""
    _require(actor, "reporting.issue_task")
    if task.state != TaskState.ISSUED:
        raise DomainError("not_issued", "该任务尚未下发", status=409)
    today = today or timezone.localdate()
    missing = list(
        Submission.objects.filter(task=task, state__in=MISSING_STATES)
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id")
    )
    if actor is not None:
        visible = scope_of(actor).q("unit", None)
        allowed = set(Submission.objects.filter(visible, task=task).values_list("pk", flat=True))
        missing = [s for s in missing if s.pk in allowed]
    late = today > task.deadline
    with robot_batch():
        for submission in missing:
            notify(
                event=Event.REPORTING_DUE,
                about=submission,
                occasion=f"remind:{today.isoformat()}",
                title=(
                    f"催报：“{task.title}”已逾期（截止{task.deadline:%Y-%m-%d}），请尽快填报"
                    if late
                    else f"催报：请于{task.deadline:%Y-%m-%d}前填报“{task.title}”"
                ),
                url=_fill_url(submission),
                units=[submission.unit],
                actor=actor,
            )
    return [s.unit for s in missing]


DUE_SOON_DAYS = 2


def remind_due(*, today: dt.date | None = None) -> int:
    """The daily reminder (``yanzhen remind_reporting``): units that have not handed in are
    told two days before the deadline and on the day after it; the units reminded."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    passed = today - dt.timedelta(days=1)
    count = 0
    tasks = Task.objects.filter(state=TaskState.ISSUED).filter(
        Q(deadline=soon) | Q(deadline=passed)
    )
    for task in tasks:
        count += len(task_remind(actor=None, task=task, today=today))
    return count


def _repeat(task: Task, start: dt.date, end: dt.date) -> Task:
    """The task of the period ``start``–``end`` of the recurring ``task``, issued."""
    lead = task.deadline - task.period_end  # the deadline as far from the period's end
    label = period_label(start, end)
    base_title = task.title.split("（")[0]
    repeat = Task(
        title=f"{base_title}（{label}）"[:100],
        description=task.description,
        owner_unit=task.owner_unit,
        fields=task.fields,
        target_kinds=task.target_kinds,
        period_start=start,
        period_end=end,
        deadline=end + lead,
        recurrence=task.recurrence,
        parent=task,
        created_by=task.created_by,
    )
    _stamp(repeat, None)
    repeat.created_by = task.created_by
    repeat.save()
    repeat.target_units.set(task.target_units.all())
    task_issue(actor=None, task=repeat)
    return repeat


@transaction.atomic
def recurring_issue(*, today: dt.date | None = None) -> list[Task]:
    """Issue each recurring task for the period that holds ``today`` when it has no issue for
    that period yet (``yanzhen issue_reporting``, daily): the same form and targets, the
    deadline as far from the period's end as the first one's. Running it again the same period issues nothing."""
    today = today or timezone.localdate()
    issued: list[Task] = []
    roots = Task.objects.filter(
        parent__isnull=True, state=TaskState.ISSUED, recurrence__in=["monthly", "quarterly"]
    ).select_related("owner_unit")
    for root in roots:
        start, end = period_of(root.recurrence, today)
        if start <= root.period_start:
            continue
        if root.repeats.filter(period_start=start).exists():
            continue
        issued.append(_repeat(root, start, end))
    return issued
