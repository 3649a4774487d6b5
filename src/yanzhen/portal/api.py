"""API of the portal: the open registration, ``POST /api/v1/portal/registrations`` — no
login, no CSRF token (nothing of a session is used), 10 an hour per address —, the halls, and
the negotiation threads (``/api/v1/portal/threads``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Status, UploadedFile
from pydantic import Field

from yanzhen.core.api import ERRORS, page_of
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.schemas import ErrorOut, Page, PageQuery, path_id
from yanzhen.core.trail import client_ip
from yanzhen.demand.models import Expert
from yanzhen.portal import (
    call_selectors,
    call_services,
    event_api,
    hall_selectors,
    hall_services,
    services,
    thread_selectors,
    thread_services,
)
from yanzhen.portal.models import Call, CallApplication, Result, TechNeed, Thread, ThreadMessage
from yanzhen.portal.schemas import (
    CallApplicationOut,
    CallDetailOut,
    CallOut,
    CriterionOut,
    HallExpertOut,
    MessageIn,
    MessageOut,
    PublishedOut,
    RegistrationIn,
    RegistrationOut,
    ResultIn,
    ResultOut,
    TechNeedIn,
    TechNeedOut,
    ThreadCooperationIn,
    ThreadDetailOut,
    ThreadIn,
    ThreadOut,
    ThreadStatusIn,
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

T = TypeVar("T")


class HallPageQuery(PageQuery):
    q: str = Field("", max_length=100, description="搜索（检索引擎排序）")
    field: str = Field("", max_length=50, description="技术领域")
    discipline: str = Field("", max_length=6, description="学科代码")


def _query(query: HallPageQuery) -> hall_selectors.HallQuery:
    return hall_selectors.HallQuery(q=query.q, field=query.field, discipline=query.discipline)


def _page(rows: Sequence[T], query: HallPageQuery, out: Callable[[T], object]) -> dict[str, object]:
    """The page ``query`` asks for of a hall's ``rows`` (a list: ranked by the search), each
    row as ``out`` gives it."""
    start = (query.page - 1) * query.page_size
    items = [out(row) for row in rows[start : start + query.page_size]]
    return page_of(items, len(rows), query.page, query.page_size)


def _publish(request: AuthenticatedHttpRequest, item: hall_services.Publication) -> PublishedOut:
    told = hall_services.publication_publish(actor=request.user, item=item)
    return PublishedOut(id=item.pk, state="published", notified=told)


def _hide(request: AuthenticatedHttpRequest, item: hall_services.Publication) -> PublishedOut:
    hall_services.publication_hide(actor=request.user, item=item)
    return PublishedOut(id=item.pk, state="hidden", notified=0)


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
    return _page(rows, query, tech_need_out)


@router.post("/portal/tech-needs", response={201: TechNeedOut, **ERRORS})
def create_tech_need(request: AuthenticatedHttpRequest, payload: TechNeedIn) -> Status[TechNeedOut]:
    need = hall_services.tech_need_create(
        actor=request.user, data=hall_services.TechNeedData(**payload.model_dump())
    )
    return Status(201, tech_need_out(hall_selectors.tech_need_get(request.user, need.pk)))


@router.post("/portal/tech-needs/{need_id}/publish", response={200: PublishedOut, **ERRORS})
def publish_tech_need(request: AuthenticatedHttpRequest, need_id: int) -> PublishedOut:
    return _publish(request, hall_selectors.tech_need_get(request.user, need_id))


@router.post("/portal/tech-needs/{need_id}/hide", response={200: PublishedOut, **ERRORS})
def hide_tech_need(request: AuthenticatedHttpRequest, need_id: int) -> PublishedOut:
    return _hide(request, hall_selectors.tech_need_get(request.user, need_id))


@router.get("/portal/results", response={200: Page[ResultOut], **ERRORS})
def list_results(
    request: AuthenticatedHttpRequest, query: Query[HallPageQuery]
) -> dict[str, object]:
    rows = hall_selectors.result_list(user=request.user, query=_query(query))
    return _page(rows, query, result_out)


@router.post("/portal/results", response={201: ResultOut, **ERRORS})
def create_result(request: AuthenticatedHttpRequest, payload: ResultIn) -> Status[ResultOut]:
    result = hall_services.result_create(
        actor=request.user, data=hall_services.ResultData(**payload.model_dump())
    )
    return Status(201, result_out(hall_selectors.result_get(request.user, result.pk)))


@router.post("/portal/results/{result_id}/publish", response={200: PublishedOut, **ERRORS})
def publish_result(request: AuthenticatedHttpRequest, result_id: int) -> PublishedOut:
    return _publish(request, hall_selectors.result_get(request.user, result_id))


@router.post("/portal/results/{result_id}/hide", response={200: PublishedOut, **ERRORS})
def hide_result(request: AuthenticatedHttpRequest, result_id: int) -> PublishedOut:
    return _hide(request, hall_selectors.result_get(request.user, result_id))


@router.get("/portal/experts", response={200: Page[HallExpertOut], **ERRORS})
def list_hall_experts(
    request: AuthenticatedHttpRequest, query: Query[HallPageQuery]
) -> dict[str, object]:
    rows = hall_selectors.directory_list(user=request.user, query=_query(query))
    return _page(rows, query, _hall_expert_out)


def _hall_expert_out(e: Expert) -> HallExpertOut:
    return HallExpertOut(
        id=e.pk, name=e.name, university=e.university.name, department=e.department,
        title=e.title, disciplines=[d.name for d in e.disciplines.all()],
        directions=e.directions,
    )  # fmt: skip


# 揭榜挂帅 --------------------------------------------------------------------------------------


class CallQuery(FilterQuery[call_selectors.CallFilters], PageQuery):
    pass


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
    call = call_selectors.call_get(request.user, path_id(call_id))
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
    call = call_selectors.call_get(request.user, path_id(call_id))
    application = call_services.application_create(
        actor=request.user, call=call, proposal=proposal, attachment=attachment
    )
    return Status(201, application_out(application))


# Matchmaking: negotiation threads -------------------------------------------------------------


class ThreadQuery(FilterQuery[thread_selectors.ThreadFilters], PageQuery):
    pass


def thread_out(thread: Thread) -> ThreadOut:
    return ThreadOut(
        id=thread.pk,
        subject=thread.subject,
        source="need" if thread.need_id else "result",
        need_id=thread.need_id,
        result_id=thread.result_id,
        enterprise=thread.enterprise.name,
        organisation=thread.organisation.name,
        status=thread.status,  # type: ignore[arg-type]
        status_label=thread.get_status_display(),
        messages_count=thread.messages_count,
        created_at=thread.created_at,
        last_message_at=thread.last_message_at,
        cooperation_code=thread.cooperation.code if thread.cooperation else None,
    )


def message_out(message: ThreadMessage) -> MessageOut:
    attachment = (
        reverse("portal:message_attachment", args=[message.pk]) if message.attachment else None
    )
    return MessageOut(
        id=message.pk,
        side=message.side.name,
        author=message.author.full_name or message.author.username,
        body=message.body,
        attachment_name=message.attachment_name,
        attachment_url=attachment,
        created_at=message.created_at,
    )


@router.get("/portal/threads", response={200: Page[ThreadOut], **ERRORS})
def list_threads(request: AuthenticatedHttpRequest, query: Query[ThreadQuery]) -> dict[str, object]:
    qs = thread_selectors.thread_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items: list[object] = [thread_out(t) for t in qs[(page - 1) * size : page * size]]
    return page_of(items, qs.count(), page, size)


@router.post("/portal/threads", response={201: ThreadOut, **ERRORS})
def create_thread(request: AuthenticatedHttpRequest, payload: ThreadIn) -> Status[ThreadOut]:
    if (payload.need_id is None) == (payload.result_id is None):
        message = "请填写技术难题编号（need_id）或科技成果编号（result_id）中的一项"
        raise DomainError("invalid", message, {"need_id": message}, status=422)
    user = request.user
    if payload.need_id is not None:
        need = hall_selectors.tech_need_get(user, payload.need_id)
        thread = thread_services.thread_start(actor=user, need=need, body=payload.message)
    else:
        assert payload.result_id is not None
        result = hall_selectors.result_get(user, payload.result_id)
        thread = thread_services.thread_start(actor=user, result=result, body=payload.message)
    return Status(201, thread_out(thread_selectors.thread_get(user, thread.pk)))


@router.get("/portal/threads/{thread_id}", response={200: ThreadDetailOut, **ERRORS})
def get_thread(request: AuthenticatedHttpRequest, thread_id: int) -> ThreadDetailOut:
    thread = thread_selectors.thread_get(request.user, thread_id)
    messages = [message_out(m) for m in thread_selectors.thread_messages(thread)]
    return ThreadDetailOut(**thread_out(thread).model_dump(), messages=messages)


@router.post("/portal/threads/{thread_id}/messages", response={201: MessageOut, **ERRORS})
def post_thread_message(
    request: AuthenticatedHttpRequest, thread_id: int, payload: MessageIn
) -> Status[MessageOut]:
    thread = thread_selectors.thread_get(request.user, thread_id)
    message = thread_services.message_post(actor=request.user, thread=thread, body=payload.body)
    return Status(201, message_out(message))


@router.post("/portal/threads/{thread_id}/status", response={200: ThreadOut, **ERRORS})
def move_thread(
    request: AuthenticatedHttpRequest, thread_id: int, payload: ThreadStatusIn
) -> ThreadOut:
    thread = thread_selectors.thread_get(request.user, thread_id)
    thread_services.thread_move(actor=request.user, thread=thread, status=payload.status)
    return thread_out(thread)


@router.post("/portal/threads/{thread_id}/cooperation", response={201: ThreadOut, **ERRORS})
def convert_thread(
    request: AuthenticatedHttpRequest, thread_id: int, payload: ThreadCooperationIn
) -> Status[ThreadOut]:
    thread = thread_selectors.thread_get(request.user, thread_id)
    thread_services.thread_to_cooperation(
        actor=request.user,
        thread=thread,
        title=payload.title,
        kind=payload.kind,
        intention_date=payload.intention_date,
    )
    return Status(201, thread_out(thread_selectors.thread_get(request.user, thread.pk)))
