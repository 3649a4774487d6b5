"""API of the assessment: periods, their ranking, and a score down to each indicator."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile

from yanzhen.assessment import selectors, services
from yanzhen.assessment.models import Appeal, Period, Score
from yanzhen.assessment.schemas import (
    AppealDecisionIn,
    AppealOut,
    ItemOut,
    PeriodDetailOut,
    PeriodOut,
    RankingRowOut,
    ScoreOut,
)
from yanzhen.core import integrity
from yanzhen.core.api import require
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.schemas import ErrorOut, path_id

router = Router(tags=["量化考核"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut, 422: ErrorOut}


def _period_out(p: Period) -> PeriodOut:
    return PeriodOut(
        id=p.pk,
        name=p.name,
        system=p.system.name,
        kind=p.kind,
        start=p.start,
        end=p.end,
        state=p.state,
        published_at=p.published_at,
    )


def _row(score: Score, dimensions: list[str]) -> RankingRowOut:
    kind, pk = score.subject
    return RankingRowOut(
        score_id=score.pk,
        subject=f"{kind}-{pk}",
        name=score.name,
        rank=score.rank,
        total=score.total,
        subtotals={d: Decimal(v) for d, v in zip(dimensions, score.subtotals, strict=False)},
        flagged=score.flagged,
        best_rank=score.best_rank,
        worst_rank=score.worst_rank,
    )


@router.get("/assessment/periods", response={200: list[PeriodOut], **ERRORS})
def list_assessment_periods(
    request: HttpRequest, query: Query[FilterQuery[selectors.PeriodFilters]]
) -> list[PeriodOut]:
    require(request, "assessment.view_period")
    periods = selectors.period_list(user=request.user, filters=query.filters())
    return [_period_out(p) for p in periods]


@router.get("/assessment/periods/{period_id}", response={200: PeriodDetailOut, **ERRORS})
def get_assessment_period(request: HttpRequest, period_id: int) -> PeriodDetailOut:
    require(request, "assessment.view_period")
    period = selectors.period_get(request.user, path_id(period_id))
    dimensions = period.config.get("dimensions", [])
    names = [spec["name"] for spec in period.config.get("indicators", [])]
    rows = selectors.ranking(user=request.user, period=period)
    return PeriodDetailOut(
        **_period_out(period).dict(),
        dimensions=dimensions,
        weights=dict(zip(names, period.config.get("weights", []), strict=False)),
        problems=period.problems,
        ranking=[_row(s, dimensions) for s in rows],
        integrity_warnings=integrity.read_check(
            request, [*rows, *(i for s in rows for i in s.items.all())], flash=False
        ),
    )


@router.get("/assessment/scores/{score_id}", response={200: ScoreOut, **ERRORS})
def get_assessment_score(request: HttpRequest, score_id: int) -> ScoreOut:
    require(request, "assessment.view_score")
    score = selectors.score_get(request.user, path_id(score_id))
    dimensions = score.period.config.get("dimensions", [])
    rows = selectors.score_items(score)
    items = [
        ItemOut(
            code=i.code,
            name=i.name,
            dimension=i.dimension,
            status=i.status,
            computed=i.computed,
            value=i.value,
            target=i.target,
            normalized=i.normalized,
            points=i.points,
            error=i.error,
            records_url=i.records_url,
        )
        for i in rows
    ]
    return ScoreOut(
        **_row(score, dimensions).dict(),
        period_id=score.period_id,
        items=items,
        integrity_warnings=integrity.read_check(request, [score, *rows], flash=False),
    )


# Appeals (申诉) ----------------------------------------------------------------------------------


def _appeal_outs(appeals: list[Appeal]) -> list[AppealOut]:
    reviews = selectors.appeal_review_ids(appeals)
    return [_appeal_out(a, reviews.get(a.pk)) for a in appeals]


def _appeal_out(appeal: Appeal, review: int | None) -> AppealOut:
    item = appeal.item
    score = item.score
    return AppealOut(
        id=appeal.pk,
        item_id=item.pk,
        score_id=score.pk,
        period_id=score.period_id,
        indicator=item.name,
        subject=score.name,
        unit_id=appeal.unit_id,
        reason=appeal.reason,
        has_attachment=bool(appeal.attachment),
        state=appeal.state,  # type: ignore[arg-type]
        original=appeal.original,
        value=appeal.value,
        decision_note=appeal.decision_note,
        created_at=appeal.created_at,
        decided_at=appeal.decided_at,
        review_id=review,
        total=score.total,
        rank=score.rank,
    )


@router.get("/assessment/appeals", response={200: list[AppealOut], **ERRORS})
def list_assessment_appeals(request: HttpRequest) -> list[AppealOut]:
    """The appeals about scores in the reader's scope, newest first."""
    require(request, "assessment.view_score")
    return _appeal_outs(list(selectors.appeal_list(user=request.user)))


@router.get("/assessment/appeals/{appeal_id}", response={200: AppealOut, **ERRORS})
def get_assessment_appeal(request: HttpRequest, appeal_id: int) -> AppealOut:
    require(request, "assessment.view_score")
    return _appeal_outs([selectors.appeal_get(request.user, path_id(appeal_id))])[0]


@router.post("/assessment/items/{item_id}/appeals", response={201: AppealOut, **WRITE_ERRORS})
def create_assessment_appeal(
    request: AuthenticatedHttpRequest,
    item_id: int,
    reason: Form[str] = "",
    attachment: File[UploadedFile | None] = None,
) -> Status[AppealOut]:
    """The assessed unit appeals a hand score within the window (multipart: ``reason``, an
    optional ``attachment``, bounded like the pages' uploads)."""
    require(request, "assessment.add_appeal")
    item = selectors.item_get(request.user, path_id(item_id))
    appeal = services.appeal_create(
        actor=request.user, item=item, reason=reason, attachment=attachment
    )
    return Status(201, _appeal_outs([selectors.appeal_get(request.user, appeal.pk)])[0])


@router.post("/assessment/appeals/{appeal_id}/decision", response={200: AppealOut, **WRITE_ERRORS})
def decide_assessment_appeal(
    request: AuthenticatedHttpRequest, appeal_id: int, payload: AppealDecisionIn
) -> AppealOut:
    """The county office upholds the score or changes it (``value``), with a comment."""
    require(request, "assessment.decide_appeal")
    appeal = selectors.appeal_get(request.user, path_id(appeal_id))
    services.appeal_decide(
        actor=request.user,
        appeal=appeal,
        decision=payload.decision,
        comment=payload.comment,
        value=payload.value,
    )
    return _appeal_outs([selectors.appeal_get(request.user, appeal.pk)])[0]
