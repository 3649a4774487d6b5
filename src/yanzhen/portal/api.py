"""API of the portal: the open registration, ``POST /api/v1/portal/registrations`` — no
login, no CSRF token (nothing of a session is used), 10 an hour per address."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Status, UploadedFile
from pydantic import Field

from yanzhen.core.api import page_of
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.schemas import MAX_ID, ErrorOut, Page, PageQuery
from yanzhen.core.trail import client_ip
from yanzhen.portal import (
    call_selectors,
    call_services,
    event_api,
    hall_selectors,
    hall_services,
    services,
)
from yanzhen.portal.models import Call, CallApplication, Result, TechNeed
from yanzhen.portal.schemas import (
    CallApplicationOut,
    CallDetailOut,
    CallOut,
    CriterionOut,
    HallExpertOut,
    PublishedOut,
    RegistrationIn,
    RegistrationOut,
    ResultIn,
    ResultOut,
    TechNeedIn,
    TechNeedOut,
)

router = Router(tags=["对接门户"])
router.add_router("", event_api.router)  # the 云对接会 (``portal/event_api.py``)
# The operations open to anonymous callers (``yanzhen.api.urls`` marks their views).
OPEN_OPERATIONS = ("create_registration",)


@router.post(
    "/portal/registrations",
    auth=None,
    response={201: RegistrationOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
)
def create_registration(request: HttpRequest, payload: RegistrationIn) -> Status[RegistrationOut]:
    registration = services.registration_create(
        data=services.RegistrationData(**payload.model_dump()),
        address=client_ip(request),
        request=request,
    )
    return Status(201, RegistrationOut(id=registration.pk, state="pending"))


# The halls ------------------------------------------------------------------------------------

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class HallPageQuery(PageQuery):
    q: str = Field("", max_length=100, description="搜索（检索引擎排序）")
    field: str = Field("", max_length=50, description="技术领域")
    discipline: str = Field("", max_length=6, description="学科代码")


def _query(query: HallPageQuery) -> hall_selectors.HallQuery:
    return hall_selectors.HallQuery(q=query.q, field=query.field, discipline=query.discipline)


def _page(rows: Sequence[Any], query: HallPageQuery) -> tuple[list[Any], int]:
    start = (query.page - 1) * query.page_size
    return list(rows[start : start + query.page_size]), len(rows)


def tech_need_out(need: TechNeed) -> TechNeedOut:
    return TechNeedOut(
        id=need.pk,
        enterprise=need.enterprise.name,
        title=need.title,
        problem=need.problem,
        field=need.field,
        discipline=need.discipline.name if need.discipline else "",
        budget_min=need.budget_min,
        budget_max=need.budget_max,
        deadline=need.deadline,
        ip_expectation=need.ip_expectation,
        state=need.state,  # type: ignore[arg-type]
        published_at=need.published_at,
    )


def result_out(result: Result) -> ResultOut:
    return ResultOut(
        id=result.pk,
        organisation=result.organisation.name,
        title=result.title,
        kind=result.kind,
        summary=result.summary,
        discipline=result.discipline.name if result.discipline else "",
        maturity=result.maturity,
        transfer_mode=result.transfer_mode,
        price_min=result.price_min,
        price_max=result.price_max,
        state=result.state,  # type: ignore[arg-type]
        published_at=result.published_at,
    )


@router.get("/portal/tech-needs", response={200: Page[TechNeedOut], **ERRORS})
def list_tech_needs(
    request: AuthenticatedHttpRequest, query: Query[HallPageQuery]
) -> dict[str, object]:
    rows = hall_selectors.tech_need_list(user=request.user, query=_query(query))
    items, count = _page(rows, query)
    return page_of([tech_need_out(n) for n in items], count, query.page, query.page_size)


@router.post("/portal/tech-needs", response={201: TechNeedOut, **ERRORS})
def create_tech_need(request: AuthenticatedHttpRequest, payload: TechNeedIn) -> Status[TechNeedOut]:
    need = hall_services.tech_need_create(
        actor=request.user, data=hall_services.TechNeedData(**payload.model_dump())
    )
    return Status(201, tech_need_out(hall_selectors.tech_need_get(request.user, need.pk)))


@router.post("/portal/tech-needs/{need_id}/publish", response={200: PublishedOut, **ERRORS})
def publish_tech_need(request: AuthenticatedHttpRequest, need_id: int) -> PublishedOut:
    need = hall_selectors.tech_need_get(request.user, need_id)
    told = hall_services.tech_need_publish(actor=request.user, need=need)
    return PublishedOut(id=need.pk, state="published", notified=len(told))


@router.post("/portal/tech-needs/{need_id}/hide", response={200: PublishedOut, **ERRORS})
def hide_tech_need(request: AuthenticatedHttpRequest, need_id: int) -> PublishedOut:
    need = hall_selectors.tech_need_get(request.user, need_id)
    hall_services.tech_need_hide(actor=request.user, need=need)
    return PublishedOut(id=need.pk, state="hidden", notified=0)


@router.get("/portal/results", response={200: Page[ResultOut], **ERRORS})
def list_results(
    request: AuthenticatedHttpRequest, query: Query[HallPageQuery]
) -> dict[str, object]:
    rows = hall_selectors.result_list(user=request.user, query=_query(query))
    items, count = _page(rows, query)
    return page_of([result_out(r) for r in items], count, query.page, query.page_size)


@router.post("/portal/results", response={201: ResultOut, **ERRORS})
def create_result(request: AuthenticatedHttpRequest, payload: ResultIn) -> Status[ResultOut]:
    result = hall_services.result_create(
        actor=request.user, data=hall_services.ResultData(**payload.model_dump())
    )
    return Status(201, result_out(hall_selectors.result_get(request.user, result.pk)))


@router.post("/portal/results/{result_id}/publish", response={200: PublishedOut, **ERRORS})
def publish_result(request: AuthenticatedHttpRequest, result_id: int) -> PublishedOut:
    result = hall_selectors.result_get(request.user, result_id)
    units = hall_services.result_publish(actor=request.user, result=result)
    return PublishedOut(id=result.pk, state="published", notified=len(units))


@router.get("/portal/experts", response={200: Page[HallExpertOut], **ERRORS})
def list_hall_experts(
    request: AuthenticatedHttpRequest, query: Query[HallPageQuery]
) -> dict[str, object]:
    rows = hall_selectors.directory_list(user=request.user, query=_query(query))
    items, count = _page(rows, query)
    out: list[object] = [
        HallExpertOut(
            id=e.pk, name=e.name, university=e.university.name, department=e.department,
            title=e.title, disciplines=[d.name for d in e.disciplines.all()],
            directions=e.directions,
        )
        for e in items
    ]  # fmt: skip
    return page_of(out, count, query.page, query.page_size)


# 揭榜挂帅 --------------------------------------------------------------------------------------


class CallQuery(FilterQuery[call_selectors.CallFilters], PageQuery):
    pass


def _call_id(value: int) -> int:
    """An id from the path: one no key can hold is simply not found."""
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


def call_out(call: Call) -> CallOut:
    return CallOut(**_call_fields(call))


def _call_fields(call: Call) -> dict[str, Any]:
    return {
        "id": call.pk,
        "title": call.title,
        "enterprise": call.enterprise.name,
        "field": call.field,
        "budget_min": call.budget_min,
        "budget_max": call.budget_max,
        "deadline": call.deadline,
        "state": call.state,
        "state_label": call.get_state_display(),
        "published_at": call.published_at,
        "winner": call.winner.organisation.name if call.winner else "",
        "url": reverse("portal:call_detail", args=[call.pk]),
    }


def application_out(application: CallApplication) -> CallApplicationOut:
    return CallApplicationOut(
        id=application.pk,
        call_id=application.call_id,
        organisation=application.organisation.name,
        applicant=application.applicant.full_name or application.applicant.username,
        proposal=application.proposal,
        has_attachment=bool(application.attachment),
        submitted_at=application.submitted_at,
    )


@router.get("/portal/calls", response={200: Page[CallOut], **ERRORS})
def list_calls(request: AuthenticatedHttpRequest, query: Query[CallQuery]) -> dict[str, object]:
    """The 揭榜挂帅 calls the reader sees (a portal participant: the published ones and its
    enterprise's drafts; an internal user: its scope's), newest first."""
    qs = call_selectors.call_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items: list[object] = [call_out(c) for c in qs[(page - 1) * size : page * size]]
    return page_of(items, qs.count(), page, size)


@router.get("/portal/calls/{call_id}", response={200: CallDetailOut, **ERRORS})
def get_call(request: AuthenticatedHttpRequest, call_id: int) -> CallDetailOut:
    call = call_selectors.call_get(request.user, _call_id(call_id))
    applications = call_selectors.call_applications(request.user, call)
    return CallDetailOut(
        **_call_fields(call),
        problem=call.problem,
        criteria=[CriterionOut(name=str(c["name"]), max=int(c["max"])) for c in call.criteria],
        publicity_start=call.publicity_start,
        publicity_end=call.publicity_end,
        accepting=call_services.accepting(call),
        applications=[application_out(a) for a in applications],
    )


@router.post("/portal/calls/{call_id}/applications", response={201: CallApplicationOut, **ERRORS})
def apply_to_call(
    request: AuthenticatedHttpRequest,
    call_id: int,
    proposal: Form[str] = "",
    attachment: File[UploadedFile | None] = None,
) -> Status[CallApplicationOut]:
    """Apply to a call for the reader's organisation (multipart: ``proposal``, an optional
    ``attachment`` bounded like the pages' uploads); once per organisation (409)."""
    call = call_selectors.call_get(request.user, _call_id(call_id))
    application = call_services.application_create(
        actor=request.user, call=call, proposal=proposal, attachment=attachment
    )
    return Status(201, application_out(application))
