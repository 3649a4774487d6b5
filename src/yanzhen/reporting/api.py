"""API of the reporting tasks (数据填报): design and issue, the submissions of a task in the
reader's scope, fill in, submit, review, roll-up. The same services and rules as the pages."""

from __future__ import annotations

from ninja import Query, Router, Status

from yanzhen.core.api import ERRORS, page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import Unit
from yanzhen.core.schemas import Page, PageQuery, path_id
from yanzhen.core.scope import scope_of
from yanzhen.reporting import selectors, services
from yanzhen.reporting.models import Submission
from yanzhen.reporting.schemas import (
    ReviewIn,
    RollupOut,
    RollupRowOut,
    SubmissionOut,
    TaskCreatedOut,
    TaskIn,
    UnitRef,
    ValuesIn,
)

router = Router(tags=["数据填报"])


def _unit(unit: Unit) -> UnitRef:
    return UnitRef(id=unit.pk, name=unit.name)


def _submission_out(s: Submission) -> SubmissionOut:
    return SubmissionOut(
        id=s.pk,
        unit=_unit(s.unit),
        state=s.state,
        state_label=s.get_state_display(),
        values=s.values,
        comment=s.comment,
        field_comments=s.field_comments,
        submitted_at=s.submitted_at,
        late=s.late,
    )


@router.post("/reporting/tasks", response={201: TaskCreatedOut, **ERRORS})
def create_task(request: AuthenticatedHttpRequest, payload: TaskIn) -> Status[TaskCreatedOut]:
    """Design a task and issue it at once: one submission per target unit."""
    require(request, "reporting.add_task")
    require(request, "reporting.issue_task")
    user = request.user
    ids = list(dict.fromkeys(payload.targets.unit_ids))
    units = list(scope_of(user).units().filter(pk__in=ids))
    if len(units) != len(ids):
        message = "所选单位不存在或不在您的数据范围内"
        raise DomainError("out_of_scope", message, {"targets.unit_ids": message}, status=422)
    task = services.task_create(
        actor=user,
        title=payload.title,
        description=payload.description,
        deadline=payload.deadline,
        period_start=payload.period_start,
        period_end=payload.period_end,
        recurrence=payload.recurrence,
        fields=[f.model_dump() for f in payload.fields],
        target_kinds=payload.targets.unit_kinds,
        target_units=units,
        issue=True,
    )
    count = task.submissions.count()
    return Status(201, TaskCreatedOut(id=task.pk, state=task.state, submissions=count))


@router.get("/reporting/tasks/{task_id}/submissions", response={200: Page[SubmissionOut], **ERRORS})
def list_task_submissions(
    request: AuthenticatedHttpRequest, task_id: int, query: Query[PageQuery]
) -> dict[str, object]:
    require(request, "reporting.view_submission")
    task = selectors.task_get(request.user, path_id(task_id))
    qs = selectors.task_submissions(user=request.user, task=task)
    page, size = query.page, query.page_size
    items = [_submission_out(s) for s in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.put("/reporting/submissions/{submission_id}", response={200: SubmissionOut, **ERRORS})
def save_submission(
    request: AuthenticatedHttpRequest, submission_id: int, payload: ValuesIn
) -> SubmissionOut:
    require(request, "reporting.change_submission")
    submission = selectors.submission_get(request.user, path_id(submission_id))
    services.submission_save(actor=request.user, submission=submission, values=payload.values)
    return _submission_out(submission)


@router.post(
    "/reporting/submissions/{submission_id}/submit", response={200: SubmissionOut, **ERRORS}
)
def submit_submission(request: AuthenticatedHttpRequest, submission_id: int) -> SubmissionOut:
    require(request, "reporting.change_submission")
    submission = selectors.submission_get(request.user, path_id(submission_id))
    services.submission_submit(actor=request.user, submission=submission)
    return _submission_out(submission)


@router.post(
    "/reporting/submissions/{submission_id}/review", response={200: SubmissionOut, **ERRORS}
)
def review_submission(
    request: AuthenticatedHttpRequest, submission_id: int, payload: ReviewIn
) -> SubmissionOut:
    submission = selectors.submission_get(request.user, path_id(submission_id))
    services.submission_review(
        submission=submission,
        reviewer=request.user,
        decision=payload.decision,
        comment=payload.comment,
        field_comments=payload.fields,
        request=request,
    )
    return _submission_out(submission)


@router.get("/reporting/tasks/{task_id}/rollup", response={200: RollupOut, **ERRORS})
def task_rollup(request: AuthenticatedHttpRequest, task_id: int) -> RollupOut:
    require(request, "reporting.view_submission")
    task = selectors.task_get(request.user, path_id(task_id))
    r = selectors.rollup(user=request.user, task=task)
    return RollupOut(
        totals=r.totals,
        subtotals={str(k): v for k, v in r.subtotals.items()},
        rows=[
            RollupRowOut(unit=_unit(s.unit), state=s.state, late=s.late, values=s.values)
            for s in r.rows
        ],
        missing=[_unit(u) for u in r.missing],
    )
