"""API of closed-loop supervision: rounds with their summaries, the problem list and its moves.
The same selectors, services and rules as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from yanzhen.core.api import ERRORS, page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import Unit, User
from yanzhen.core.schemas import Page, PageQuery, path_id
from yanzhen.supervision import selectors, services
from yanzhen.supervision.models import Problem, Round
from yanzhen.supervision.schemas import (
    ProblemDetailOut,
    ProblemEventOut,
    ProblemIn,
    ProblemMoveIn,
    ProblemOut,
    Ref,
    ReportRowOut,
    RoundOut,
    RoundSummaryOut,
)

router = Router(tags=["闭环管理"])


def _ref(obj: object | None) -> Ref | None:
    if obj is None:
        return None
    return Ref(id=obj.pk, name=str(obj))  # type: ignore[attr-defined]


def _round_out(r: Round) -> RoundOut:
    return RoundOut(
        id=r.pk,
        title=r.title,
        kind=r.kind,
        opened_on=r.opened_on,
        deadline=r.deadline,
        state=r.state,
        bases=r.n_bases,  # type: ignore[attr-defined]
        reported=r.n_reported,  # type: ignore[attr-defined]
        late=r.n_late,  # type: ignore[attr-defined]
        missing=r.n_missing,  # type: ignore[attr-defined]
    )


class RoundQuery(FilterQuery[selectors.RoundFilters], PageQuery):
    """The round list's filters, and the page."""


@router.get("/supervision/rounds", response={200: Page[RoundOut], **ERRORS})
def list_rounds(request: HttpRequest, query: Query[RoundQuery]) -> dict[str, object]:
    require(request, "supervision.view_round")
    qs = selectors.round_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items = [_round_out(r) for r in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.get("/supervision/rounds/{round_id}", response={200: RoundSummaryOut, **ERRORS})
def get_round(request: HttpRequest, round_id: int) -> RoundSummaryOut:
    require(request, "supervision.view_round")
    user = request.user
    round = selectors.round_counted(user, path_id(round_id))
    summary = selectors.round_summary(user=user, round=round)
    rows = [
        ReportRowOut(
            base=Ref(id=row.base.pk, name=row.base.name),
            status=row.status,
            submitted_at=row.report.submitted_at if row.report else None,
            progress={i.milestone.title: i.percent for i in row.items},
            problems=[Ref(id=p.pk, name=p.title) for p in row.problems],
        )
        for row in summary.rows
    ]
    return RoundSummaryOut(**_round_out(round).dict(), rows=rows)


def _problem_out(p: Problem) -> ProblemOut:
    return ProblemOut(
        id=p.pk,
        title=p.title,
        description=p.description,
        source=p.source,
        state=p.state,
        state_label=p.get_state_display(),
        base=_ref(p.base),
        raised_by_unit=Ref(id=p.raised_by_unit.pk, name=p.raised_by_unit.name),
        responsible_unit=_ref(p.responsible_unit),
        deadline=p.deadline,
        resolved_on=p.resolved_on,
        closed_on=p.closed_on,
        overdue=p.is_overdue(timezone.localdate()),
        escalation_level=p.escalation_level,
    )


def _detail(user: User, problem_id: int) -> ProblemDetailOut:
    p = selectors.problem_get(user, problem_id)
    events = [
        ProblemEventOut(
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            note=e.note,
            actor=str(e.actor) if e.actor else None,
            at=e.at,
        )
        for e in p.events.all()
    ]
    return ProblemDetailOut(
        **_problem_out(p).dict(), events=events, actions=services.allowed_actions(user, p)
    )


class ProblemQuery(FilterQuery[selectors.ProblemFilters], PageQuery):
    """The problem list's filters, and the page."""


@router.get("/supervision/problems", response={200: Page[ProblemOut], **ERRORS})
def list_problems(request: HttpRequest, query: Query[ProblemQuery]) -> dict[str, object]:
    require(request, "supervision.view_problem")
    page, size = query.page, query.page_size
    filters = query.filters()
    qs = selectors.problem_list(user=request.user, filters=filters, today=timezone.localdate())
    items = [_problem_out(p) for p in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


def _unit(user: User, pk: int | None, field: str) -> Unit | None:
    if pk is None:
        return None
    unit = selectors.unit_in_scope(user, pk)
    if unit is None:
        raise DomainError(
            "invalid", _("单位不存在或不在您的数据范围内"), {field: _("单位不存在或无权选择")}
        )
    return unit


@router.post("/supervision/problems", response={201: ProblemDetailOut, **ERRORS})
def create_problem(request: AuthenticatedHttpRequest, body: ProblemIn) -> Status[ProblemDetailOut]:
    require(request, "supervision.add_problem")
    user = request.user
    base = selectors.base_in_scope(user, body.base_id)
    if body.base_id is not None and base is None:
        raise DomainError(
            "invalid", _("基地不存在或不在您的数据范围内"), {"base_id": _("无权选择")}
        )
    raised_by = _unit(user, body.raised_by_unit_id, "raised_by_unit_id")
    assert raised_by is not None
    problem = services.problem_create(
        actor=user,
        title=body.title,
        description=body.description,
        base=base,
        raised_by_unit=raised_by,
        responsible_unit=_unit(user, body.responsible_unit_id, "responsible_unit_id"),
        deadline=body.deadline,
    )
    return Status(201, _detail(user, problem.pk))


@router.get("/supervision/problems/{problem_id}", response={200: ProblemDetailOut, **ERRORS})
def get_problem(request: AuthenticatedHttpRequest, problem_id: int) -> ProblemDetailOut:
    require(request, "supervision.view_problem")
    return _detail(request.user, path_id(problem_id))


@router.post("/supervision/problems/{problem_id}", response={200: ProblemDetailOut, **ERRORS})
def transition_problem(
    request: AuthenticatedHttpRequest, problem_id: int, body: ProblemMoveIn
) -> ProblemDetailOut:
    """交办 / 开始办理 / 办结 / 验收销号 / 退回 / 督办 (``action``: assign, start, resolve,
    verify, return, escalate)."""
    require(request, "supervision.view_problem")
    user = request.user
    problem = selectors.problem_get(user, path_id(problem_id))
    services.problem_move(
        actor=user,
        problem=problem,
        action=body.action,
        note=body.note,
        responsible_unit=_unit(user, body.responsible_unit_id, "responsible_unit_id"),
        deadline=body.deadline,
    )
    return _detail(user, problem.pk)
