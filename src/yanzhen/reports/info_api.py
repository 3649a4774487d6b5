"""API of 信息报送: the 工作信息 in the reader's scope, submit, adopt, return; the outgoing 专报.
The same services and rules as the pages (photos are sent through the page)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Query, Router, Schema, Status
from pydantic import Field

from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.api import ERRORS, page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.schemas import Id, InputSchema, Page, PageQuery, path_id
from yanzhen.reports import info
from yanzhen.reports.info import InfoData, InfoFilters, OutgoingFilters
from yanzhen.reports.models import OutgoingReport, WorkInfo

router = Router(tags=["信息报送"])


class InfoOut(Schema):
    id: int
    title: str
    text: str
    date: dt.date
    unit_id: int
    unit: str
    base_id: int | None
    state: str
    state_label: str
    submitted_at: dt.datetime
    briefing_id: int | None
    issue: int | None
    adopted_on: dt.date | None
    comment: str
    photos: int
    version: int


class InfoIn(InputSchema):
    title: Annotated[str, Field(min_length=1, max_length=info.TITLE_MAX)]
    text: Annotated[str, Field(min_length=1, max_length=info.TEXT_MAX)]
    date: dt.date
    base_id: Id | None = None


Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="所处理信息的版本号（必填）")]


class AdoptIn(InputSchema):
    briefing_id: Id | None = None
    comment: Annotated[str, Field(max_length=info.COMMENT_MAX)] = ""
    version: Version | None = None


class ReturnIn(InputSchema):
    comment: Annotated[str, Field(max_length=info.COMMENT_MAX)] = ""
    version: Version | None = None


def _version(version: int | None) -> int:
    if version is None:
        message = "缺少版本号：请先读取该信息，再以其版本号提交"
        raise DomainError("conflict", message, {"version": message}, status=409)
    return version


class OutgoingOut(Schema):
    id: int
    briefing_id: int
    briefing: str
    issue: int | None
    recipient: str
    sent_on: dt.date
    note: str


class OutgoingIn(InputSchema):
    briefing_id: Id
    recipient: Annotated[str, Field(min_length=1, max_length=200)]
    sent_on: dt.date
    note: Annotated[str, Field(max_length=300)] = ""


class InfoQuery(FilterQuery[InfoFilters], PageQuery):
    pass


class OutgoingQuery(FilterQuery[OutgoingFilters], PageQuery):
    pass


def _out(i: WorkInfo) -> InfoOut:
    return InfoOut(
        id=i.pk,
        title=i.title,
        text=i.text,
        date=i.date,
        unit_id=i.unit_id,
        unit=i.unit.name,
        base_id=i.base_id,
        state=i.state,
        state_label=i.get_state_display(),
        submitted_at=i.submitted_at,
        briefing_id=i.briefing_id,
        issue=i.briefing.issue if i.briefing else None,
        adopted_on=i.adopted_on,
        comment=i.comment,
        photos=i.photos.count(),
        version=i.version,
    )


def _outgoing_out(r: OutgoingReport) -> OutgoingOut:
    return OutgoingOut(
        id=r.pk,
        briefing_id=r.briefing_id,
        briefing=r.briefing.title,
        issue=r.briefing.issue,
        recipient=r.recipient,
        sent_on=r.sent_on,
        note=r.note,
    )


@router.get("/info", response={200: Page[InfoOut], **ERRORS})
def list_work_info(request: AuthenticatedHttpRequest, query: Query[InfoQuery]) -> dict[str, object]:
    """工作信息 in the reader's scope, with the list page's filters."""
    require(request, "reports.view_workinfo")
    qs = info.info_list_with_photos(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items = [_out(i) for i in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.post("/info", response={201: InfoOut, **ERRORS})
def submit_work_info(request: AuthenticatedHttpRequest, payload: InfoIn) -> Status[InfoOut]:
    """A unit's 工作信息 sent up (the unit is the caller's)."""
    require(request, "reports.add_workinfo")
    base = None
    if payload.base_id is not None:
        base = base_qs(request.user).filter(pk=payload.base_id).first()
        if base is None:
            message = "所选基地不存在或不在您的数据范围内"
            raise DomainError("out_of_scope", message, {"base_id": message}, status=422)
    data = InfoData(title=payload.title, text=payload.text, date=payload.date, base=base)
    item = info.info_submit(actor=request.user, data=data)
    return Status(201, _out(item))


@router.get("/info/{info_id}", response={200: InfoOut, **ERRORS})
def get_work_info(request: AuthenticatedHttpRequest, info_id: int) -> InfoOut:
    require(request, "reports.view_workinfo")
    return _out(info.info_get(request.user, path_id(info_id)))


@router.post("/info/{info_id}/adopt", response={200: InfoOut, **ERRORS})
def adopt_work_info(request: AuthenticatedHttpRequest, info_id: int, payload: AdoptIn) -> InfoOut:
    """采用 into a 工作简报 issue; the submitter is told."""
    require(request, "reports.adopt_workinfo")
    item = info.info_get(request.user, path_id(info_id))
    briefing = info.bulletins(request.user).filter(pk=payload.briefing_id or 0).first()
    if briefing is None:
        message = "请选择本单位数据范围内的一期工作简报"
        raise DomainError("invalid", message, {"briefing_id": message}, status=422)
    item = info.info_adopt(actor=request.user, info=item, briefing=briefing,
                           comment=payload.comment, version=_version(payload.version))  # fmt: skip
    return _out(item)


@router.post("/info/{info_id}/return", response={200: InfoOut, **ERRORS})
def return_work_info(request: AuthenticatedHttpRequest, info_id: int, payload: ReturnIn) -> InfoOut:
    """退回 with a comment; the submitter is told."""
    require(request, "reports.adopt_workinfo")
    item = info.info_get(request.user, path_id(info_id))
    item = info.info_return(
        actor=request.user, info=item, comment=payload.comment, version=_version(payload.version)
    )
    return _out(item)


@router.get("/outgoing-reports", response={200: Page[OutgoingOut], **ERRORS})
def list_outgoing_reports(
    request: AuthenticatedHttpRequest, query: Query[OutgoingQuery]
) -> dict[str, object]:
    require(request, "reports.view_outgoingreport")
    qs = info.outgoing_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items = [_outgoing_out(r) for r in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.post("/outgoing-reports", response={201: OutgoingOut, **ERRORS})
def record_outgoing_report(
    request: AuthenticatedHttpRequest, payload: OutgoingIn
) -> Status[OutgoingOut]:
    require(request, "reports.add_outgoingreport")
    briefing = info.briefings(request.user).filter(pk=payload.briefing_id).first()
    if briefing is None:
        message = "请选择本单位数据范围内的简报"
        raise DomainError("invalid", message, {"briefing_id": message}, status=422)
    report = info.outgoing_report_create(actor=request.user, briefing=briefing,
                                         recipient=payload.recipient, sent_on=payload.sent_on,
                                         note=payload.note)  # fmt: skip
    return Status(201, _outgoing_out(report))
