"""API of bases, the cooperation ledger, activities and secondments: the same selectors,
services and rules as the pages."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError
from ninja.responses import NinjaJSONEncoder
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from yanzhen.cooperation import activity_selectors, followup_api, selectors, services
from yanzhen.cooperation.base_values import base_values
from yanzhen.cooperation.models import (
    Activity,
    Base,
    Cooperation,
    Secondment,
)
from yanzhen.cooperation.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityUpdateIn,
    BaseOut,
    BaseTypeRef,
    CooperationIn,
    CooperationOut,
    CooperationUpdateIn,
    MoveIn,
    NamedRef,
    ParticipantOut,
    PendingOut,
    SecondmentIn,
    SecondmentOut,
    SecondmentUpdateIn,
)
from yanzhen.cooperation.services import activities as activity_services
from yanzhen.cooperation.services import secondments as secondment_services
from yanzhen.core import integrity
from yanzhen.core.api import ERRORS, api_fields, page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import slice_rows
from yanzhen.core.masking import record_opened
from yanzhen.core.models import User
from yanzhen.core.schemas import Page, PageQuery
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.core.uploads import check_upload
from yanzhen.reference.selectors import universities_by_id, university_find

router = Router(tags=["省校合作"])
# The most bases a page of the list may ask for (``limit``).
MAX_BASES = 1000
JSON_TYPE = "application/json; charset=utf-8"  # as the API's renderer answers


def _ref(obj: object | None) -> NamedRef | None:
    if obj is None:
        return None
    return NamedRef(id=obj.pk, name=str(getattr(obj, "name", obj)))  # type: ignore[attr-defined]


def cooperation_out(c: Cooperation, pending: selectors.Pending | None = None) -> CooperationOut:
    return CooperationOut(
        id=c.pk,
        code=c.code,
        title=c.title,
        owner_unit=NamedRef(id=c.owner_unit.pk, name=c.owner_unit.name),
        parties=[NamedRef(id=u.pk, name=u.name) for u in c.parties.all()],
        universities=[NamedRef(id=u.pk, name=u.name) for u in c.universities.all()],
        base=_ref(c.base),
        channel=c.channel,  # type: ignore[arg-type]
        kind=c.kind,  # type: ignore[arg-type]
        local_industry=c.local_industry.code if c.local_industry else None,
        industry=c.industry.code if c.industry else None,
        stage=c.stage if c.approved else None,  # type: ignore[arg-type]
        intention_date=c.intention_date,
        agreement_date=c.agreement_date,
        landed_date=c.landed_date,
        dropped_date=c.dropped_date,
        drop_reason=c.drop_reason,
        planned_investment=c.planned_investment,
        landed_investment=c.landed_investment,
        participants=c.participants,
        online=c.online,
        description=c.description,
        version=c.version,
        pending=(
            PendingOut(stage=pending.stage, date=pending.date, review_id=pending.review_id)  # type: ignore[arg-type]
            if pending is not None
            else None
        ),
    )


def with_pending(cooperations: list[Cooperation]) -> list[CooperationOut]:
    """The cooperations as the API gives them, with what of each waits for review."""
    pending = selectors.pending_of([c.pk for c in cooperations])
    return [cooperation_out(c, pending.get(c.pk)) for c in cooperations]


Blank = Literal[""]


class CooperationQuery(FilterQuery[selectors.CooperationFilters], PageQuery):
    """The ledger's filters (``selectors.CooperationFilters``: a bad value is a 422 naming
    it), the page, and an order."""

    sort: (
        Literal["intention_date", "-agreement_date", "-landed_date", "code", "-planned_investment"]
        | Blank
    ) = Field(default="", description="排序")


@router.get("/cooperations", response={200: Page[CooperationOut], **ERRORS})
def list_cooperations(
    request: AuthenticatedHttpRequest, query: Query[CooperationQuery]
) -> dict[str, object]:
    require(request, "cooperation.view_cooperation")
    qs = selectors.cooperation_list(
        user=request.user, filters=query.filters(), today=timezone.localdate(), order=query.sort
    )
    page, size = query.page, query.page_size
    # A county's thousands of cooperations: the page's ids first, then its 50 rows joined
    # (not all of them joined, then sorted and cut).
    total = qs.count()
    rows = slice_rows(qs, (page - 1) * size, page * size, total)
    items: list[object] = list(with_pending(rows))
    return page_of(items, total, page, size)


@router.get("/cooperations/{cooperation_id}", response={200: CooperationOut, **ERRORS})
def get_cooperation(request: HttpRequest, cooperation_id: int) -> CooperationOut:
    require(request, "cooperation.view_cooperation")
    cooperation = selectors.cooperation_get(request.user, cooperation_id)
    out = with_pending([cooperation])[0]
    out.integrity_warnings = integrity.read_check(request, [cooperation], flash=False)
    return out


# The fields of a body the services take as they are.
_AS_GIVEN = (
    *("code", "title", "channel", "kind", "stage", "intention_date", "agreement_date"),
    *("landed_date", "dropped_date", "drop_reason", "planned_investment", "landed_investment"),
    *("participants", "online", "description"),
)


def _data(
    user: User, body: CooperationIn, current: Cooperation | None = None
) -> services.CooperationData:
    """The services' data from a body; ``current`` is the cooperation being updated (its own
    base is accepted as it stands: the services decide who may change it)."""
    found = selectors.cooperation_refs(
        user=user,
        owner_unit_id=body.owner_unit_id,
        party_ids=body.party_ids,
        university_ids=body.university_ids,
        base_id=body.base_id,
        kept_base_id=current.base_id if current is not None else None,
        local_industry=body.local_industry,
        industry=body.industry,
    )
    errors: dict[str, str] = {}
    if found.owner is None:
        errors["owner_unit_id"] = _("登记单位不存在或不在您的数据范围内")
    if missing := [str(i) for i in body.party_ids if i not in found.parties]:
        errors["party_ids"] = _("本地合作方不存在或不在您的数据范围内：%(ids)s") % {
            "ids": "、".join(missing)
        }
    if missing := [str(i) for i in body.university_ids if i not in found.universities]:
        errors["university_ids"] = _("高校不存在：%(ids)s") % {"ids": "、".join(missing)}
    if body.base_id is not None and found.base is None:
        errors["base_id"] = _("基地不存在或不在您的数据范围内")
    if body.local_industry and found.local_industry is None:
        errors["local_industry"] = _("本地产业代码“%(code)s”不存在") % {"code": body.local_industry}
    if body.industry and found.industry is None:
        errors["industry"] = _("国民经济行业代码“%(code)s”不存在") % {"code": body.industry}
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    assert found.owner is not None
    return services.CooperationData(
        **{name: getattr(body, name) for name in _AS_GIVEN},
        owner_unit=found.owner,
        parties=[found.parties[i] for i in dict.fromkeys(body.party_ids)],
        universities=[found.universities[i] for i in dict.fromkeys(body.university_ids)],
        base=found.base,
        local_industry=found.local_industry,
        industry=found.industry,
    )


# Field names of the services → field names of the API body.
_API_FIELDS = {
    "owner_unit": "owner_unit_id",
    "parties": "party_ids",
    "universities": "university_ids",
    "base": "base_id",
}


def _reload(user: User, pk: int) -> Cooperation:
    return selectors.cooperation_get(user, pk)


@router.post("/cooperations", response={201: CooperationOut, **ERRORS})
def create_cooperation(
    request: AuthenticatedHttpRequest, body: CooperationIn
) -> Status[CooperationOut]:
    require(request, "cooperation.add_cooperation")
    user = request.user
    with api_fields(_API_FIELDS):
        created = services.cooperation_create(actor=user, data=_data(user, body))
    return Status(201, with_pending([_reload(user, created.pk)])[0])


@router.put("/cooperations/{cooperation_id}", response={200: CooperationOut, **ERRORS})
def update_cooperation(
    request: AuthenticatedHttpRequest, cooperation_id: int, body: CooperationUpdateIn
) -> CooperationOut:
    require(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, cooperation_id)
    with api_fields(_API_FIELDS):
        services.cooperation_update(
            actor=user,
            cooperation=cooperation,
            data=_data(user, body, cooperation),
            expected_version=body.version,
        )
    return with_pending([_reload(user, cooperation.pk)])[0]


def _move_schema() -> dict[str, object]:
    schema = MoveIn.model_json_schema()
    form = {
        **schema,
        "properties": {
            **schema["properties"],
            "evidence": {"type": "string", "format": "binary", "title": "佐证材料"},
        },
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "multipart/form-data": {"schema": form},
            },
        }
    }


def _move_body(request: HttpRequest) -> tuple[MoveIn, UploadedFile[bytes] | None]:
    """The stage move's body: JSON, or a multipart form with the stage's evidence file
    (``evidence``, bounded like the pages' uploads)."""
    evidence: UploadedFile[bytes] | None = None
    if request.content_type == "multipart/form-data":
        files = request.FILES.getlist("evidence")
        unknown = sorted(set(request.FILES) - {"evidence"})
        if len(files) > 1 or unknown:
            message = _("只能上传一个佐证材料（字段 evidence）")
            raise DomainError("invalid", message, {"evidence": message}, status=422)
        evidence = files[0] if files else None
        if evidence is not None:
            check_upload(evidence, field="evidence")
        data: object = {k: v for k, v in request.POST.items() if v != ""}
    else:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            message = _("请求数据不是有效的 JSON")
            raise DomainError("invalid", message, {"__all__": message}, status=400) from None
    try:
        return MoveIn.model_validate(data), evidence
    except PydanticValidationError as error:
        raise ValidationError([dict(e) for e in error.errors(include_url=False)]) from None


@router.post(
    "/cooperations/{cooperation_id}/stage",
    response={200: CooperationOut, **ERRORS},
    openapi_extra=_move_schema(),
)
def move_cooperation(request: AuthenticatedHttpRequest, cooperation_id: int) -> CooperationOut:
    """Move a cooperation to another stage. A lower unit's move waits for review; a stage
    whose 统计口径 requires evidence needs the file (multipart ``evidence``), else 422 with
    ``fields.evidence``."""
    require(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, cooperation_id)
    body, evidence = _move_body(request)
    services.cooperation_move(
        actor=user,
        cooperation=cooperation,
        target=body.target,
        date=body.date,
        reason=body.reason,
        evidence=evidence,
    )
    return with_pending([_reload(user, cooperation.pk)])[0]


def base_out(base: Base, figures: dict[str, int]) -> BaseOut:
    return BaseOut(
        id=base.pk,
        code=base.code,
        name=base.name,
        county=NamedRef(id=base.county.pk, name=base.county.name),
        leader=_ref(base.leader),
        lead_department=NamedRef(id=base.lead_department.pk, name=base.lead_department.name),
        base_type=(
            BaseTypeRef(code=base.base_type.code, name=base.base_type.name)
            if base.base_type
            else None
        ),
        members=[NamedRef(id=m.person.pk, name=m.person.name) for m in base.members.all()],
        intentions=figures["intention"],
        agreements=figures["agreement"],
        landed=figures["landed"],
    )


@router.get("/bases", response={200: list[BaseOut], **ERRORS})
def list_bases(
    request: AuthenticatedHttpRequest,
    query: Query[FilterQuery[selectors.BaseFilters]],
    limit: Annotated[int | None, Field(ge=1, le=MAX_BASES)] = None,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> HttpResponse:
    """The bases, in the list's order: all of them, or ``limit`` from ``offset`` (a client of
    a province's or the nation's thousands pages with them; a page shorter than ``limit`` is
    the last). Rendered as built: ``base_values`` gives exactly ``BaseOut``'s fields and
    types (tests/cooperation/test_base_list_api.py compares them), and checking 33,600 of them
    again took longer than reading them."""
    require(request, "cooperation.view_base")
    rows = base_values(user=request.user, filters=query.filters(), offset=offset, limit=limit)
    return HttpResponse(json.dumps(rows, cls=NinjaJSONEncoder), content_type=JSON_TYPE)


@router.get("/bases/{base_id}", response={200: BaseOut, **ERRORS})
def get_base(request: HttpRequest, base_id: int) -> BaseOut:
    require(request, "cooperation.view_base")
    base = selectors.base_get(request.user, base_id)
    return base_out(base, selectors.base_figures(user=request.user, bases=[base])[base.pk])


# Activities ----------------------------------------------------------------------------------


def activity_out(activity: Activity, timing: str) -> ActivityOut:
    """An activity as the API shows it (its cooperations prefetched within the user's scope)."""
    return ActivityOut(
        id=activity.pk,
        kind=activity.kind,  # type: ignore[arg-type]
        title=activity.title,
        status=activity.status,  # type: ignore[arg-type]
        timing=timing,  # type: ignore[arg-type]
        date=activity.date,
        planned_date=activity.planned_date,
        organizer_unit=NamedRef(id=activity.organizer_unit.pk, name=activity.organizer_unit.name),
        leader=_ref(activity.leader),
        location=activity.location,
        summary=activity.summary,
        minutes=activity.minutes,
        universities=[NamedRef(id=u.pk, name=u.name) for u in activity.universities.all()],
        cooperations=[NamedRef(id=c.pk, name=str(c)) for c in activity.cooperations.all()],
        participants=[
            ParticipantOut(
                name=p.name,
                unit=_ref(p.unit),
                organization=p.organization,
                title=p.title,
            )
            for p in activity.participants.all()
        ],
        attachments=[NamedRef(id=f.pk, name=f.title) for f in activity.attachments.all()],
        version=activity.version,
    )


class ActivityQuery(FilterQuery[selectors.ActivityFilters], PageQuery):
    """The list's filters (``selectors.ActivityFilters``: a bad value is a 422 naming it)
    and the page."""


@router.get("/activities", response={200: Page[ActivityOut], **ERRORS})
def list_activities(
    request: AuthenticatedHttpRequest, query: Query[ActivityQuery]
) -> dict[str, object]:
    """Activities organised in the user's scope, the latest first; ``timing`` selects the
    upcoming, overdue, held or cancelled ones."""
    require(request, "cooperation.view_activity")
    user = request.user
    page, size = query.page, query.page_size
    qs = selectors.activity_list(user=user, filters=query.filters(), today=timezone.localdate())
    items: list[object] = [
        activity_out(a, a.timing)  # type: ignore[attr-defined]
        for a in activity_selectors.with_relations(user, qs)[(page - 1) * size : page * size]
    ]
    return page_of(items, qs.count(), page, size)


@router.get("/activities/{activity_id}", response={200: ActivityOut, **ERRORS})
def get_activity(request: AuthenticatedHttpRequest, activity_id: int) -> ActivityOut:
    require(request, "cooperation.view_activity")
    user = request.user
    activity = activity_selectors.activity_shown(user, activity_id)
    return activity_out(activity, activity.timing_on(timezone.localdate()))


def _activity_data(user: User, body: ActivityIn) -> activity_services.ActivityData:
    """The services' data from a body: every record it names must be one the user may see."""
    errors: dict[str, str] = {}
    organizer = unit_qs(user).filter(pk=body.organizer_unit_id).first()
    if organizer is None:
        errors["organizer_unit_id"] = "组织单位不存在或不在您的数据范围内"
    leader = None
    if body.leader_id is not None:
        leader = person_qs(user).filter(pk=body.leader_id).first()
        if leader is None:
            errors["leader_id"] = "带队领导不存在或不在您的数据范围内"
    universities = universities_by_id(body.university_ids)
    missing = [str(i) for i in body.university_ids if i not in universities]
    if missing:
        errors["university_ids"] = f"高校不存在：{'、'.join(missing)}"
    cooperations = selectors.cooperation_qs(user).in_bulk(body.cooperation_ids)
    missing = [str(i) for i in body.cooperation_ids if i not in cooperations]
    if missing:
        errors["cooperation_ids"] = f"合作不存在或不在您的数据范围内：{'、'.join(missing)}"
    units = unit_qs(user).in_bulk([p.unit_id for p in body.participants if p.unit_id])
    missing = [str(p.unit_id) for p in body.participants if p.unit_id and p.unit_id not in units]
    if missing:
        errors["participants"] = f"参加人员的单位不存在或不在您的数据范围内：{'、'.join(missing)}"
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    assert organizer is not None
    return activity_services.ActivityData(
        kind=body.kind,
        title=body.title,
        status=body.status,
        date=body.date,
        organizer_unit=organizer,
        leader=leader,
        location=body.location,
        summary=body.summary,
        minutes=body.minutes,
        universities=[universities[i] for i in dict.fromkeys(body.university_ids)],
        cooperations=[cooperations[i] for i in dict.fromkeys(body.cooperation_ids)],
        participants=[
            activity_services.ParticipantData(
                name=p.name,
                unit=units.get(p.unit_id) if p.unit_id else None,
                organization=p.organization,
                title=p.title,
            )
            for p in body.participants
        ],
    )


# Field names of the activity services → field names of the API body.
_ACTIVITY_FIELDS = {
    "organizer_unit": "organizer_unit_id",
    "leader": "leader_id",
    "universities": "university_ids",
    "cooperations": "cooperation_ids",
}


@router.post("/activities", response={201: ActivityOut, **ERRORS})
def create_activity(request: AuthenticatedHttpRequest, body: ActivityIn) -> Status[ActivityOut]:
    require(request, "cooperation.add_activity")
    user = request.user
    with api_fields(_ACTIVITY_FIELDS):
        created = activity_services.activity_create(actor=user, data=_activity_data(user, body))
    return Status(201, get_activity(request, created.pk))


@router.put("/activities/{activity_id}", response={200: ActivityOut, **ERRORS})
def update_activity(
    request: AuthenticatedHttpRequest, activity_id: int, body: ActivityUpdateIn
) -> ActivityOut:
    require(request, "cooperation.change_activity")
    user = request.user
    activity = selectors.activity_get(user, activity_id)
    with api_fields(_ACTIVITY_FIELDS):
        activity_services.activity_update(
            actor=user,
            activity=activity,
            data=_activity_data(user, body),
            expected_version=body.version,
        )
    return get_activity(request, activity.pk)


# Secondments ---------------------------------------------------------------------------------


def secondment_out(s: Secondment, cooperation: Cooperation | None) -> SecondmentOut:
    return SecondmentOut(
        id=s.pk,
        person=NamedRef(id=s.person.pk, name=s.person.name),
        university=NamedRef(id=s.university.pk, name=s.university.name),
        host_unit=NamedRef(id=s.host_unit.pk, name=s.host_unit.name),
        post=s.post,
        start_date=s.start_date,
        end_date=s.end_date,
        cooperation=NamedRef(id=cooperation.pk, name=str(cooperation)) if cooperation else None,
        note=s.note,
        version=s.version,
    )


class SecondmentQuery(FilterQuery[selectors.SecondmentFilters], PageQuery):
    """The list's filters (``selectors.SecondmentFilters``: a bad value is a 422 naming it)
    and the page."""


@router.get("/secondments", response={200: Page[SecondmentOut], **ERRORS})
def list_secondments(
    request: AuthenticatedHttpRequest, query: Query[SecondmentQuery]
) -> dict[str, object]:
    """Secondments hosted in the user's scope, the latest first; ``current`` selects those on
    post today (or not)."""
    require(request, "cooperation.view_secondment")
    user = request.user
    page, size = query.page, query.page_size
    qs = selectors.secondment_list(user=user, filters=query.filters(), today=timezone.localdate())
    rows = list(qs[(page - 1) * size : page * size])
    visible = selectors.cooperation_qs(user).in_bulk(
        [s.cooperation_id for s in rows if s.cooperation_id]
    )
    items: list[object] = [secondment_out(s, visible.get(s.cooperation_id or 0)) for s in rows]
    return page_of(items, qs.count(), page, size)


def _secondment(user: User, secondment_id: int) -> SecondmentOut:
    secondment = selectors.secondment_get(user, secondment_id)
    cooperation = None
    if secondment.cooperation_id is not None:
        cooperation = selectors.cooperation_qs(user).filter(pk=secondment.cooperation_id).first()
    return secondment_out(secondment, cooperation)


@router.get("/secondments/{secondment_id}", response={200: SecondmentOut, **ERRORS})
def get_secondment(request: AuthenticatedHttpRequest, secondment_id: int) -> SecondmentOut:
    require(request, "cooperation.view_secondment")
    out = _secondment(request.user, secondment_id)
    record_opened(request, record_type="secondment", record_id=out.id)  # a person's record
    return out


def _secondment_data(
    user: User, body: SecondmentIn, current: Secondment | None = None
) -> secondment_services.SecondmentData:
    """The services' data from a body; the person and the cooperation a secondment already
    names are accepted as they stand (the user may not see them), new ones must be visible."""
    errors: dict[str, str] = {}
    kept_person = current is not None and body.person_id == current.person_id
    person = activity_selectors.secondee_find(user, body.person_id, kept=kept_person)
    if person is None:
        errors["person_id"] = "挂职人员不存在或不在您的数据范围内"
    university = university_find(body.university_id)
    if university is None:
        errors["university_id"] = "高校不存在"
    host = unit_qs(user).filter(pk=body.host_unit_id).first()
    if host is None:
        errors["host_unit_id"] = "挂职单位不存在或不在您的数据范围内"
    cooperation = None
    if body.cooperation_id is not None:
        kept = current is not None and body.cooperation_id == current.cooperation_id
        cooperation = activity_selectors.secondment_cooperation_find(
            user, body.cooperation_id, kept=kept
        )
        if cooperation is None:
            errors["cooperation_id"] = "合作不存在或不在您的数据范围内"
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    assert person is not None
    assert university is not None
    assert host is not None
    return secondment_services.SecondmentData(
        person=person,
        university=university,
        host_unit=host,
        post=body.post,
        start_date=body.start_date,
        end_date=body.end_date,
        cooperation=cooperation,
        note=body.note,
    )


_SECONDMENT_FIELDS = {
    "person": "person_id",
    "university": "university_id",
    "host_unit": "host_unit_id",
    "cooperation": "cooperation_id",
}


@router.post("/secondments", response={201: SecondmentOut, **ERRORS})
def create_secondment(
    request: AuthenticatedHttpRequest, body: SecondmentIn
) -> Status[SecondmentOut]:
    require(request, "cooperation.add_secondment")
    user = request.user
    with api_fields(_SECONDMENT_FIELDS):
        created = secondment_services.secondment_create(
            actor=user, data=_secondment_data(user, body)
        )
    return Status(201, _secondment(user, created.pk))


@router.put("/secondments/{secondment_id}", response={200: SecondmentOut, **ERRORS})
def update_secondment(
    request: AuthenticatedHttpRequest, secondment_id: int, body: SecondmentUpdateIn
) -> SecondmentOut:
    require(request, "cooperation.change_secondment")
    user = request.user
    secondment = selectors.secondment_get(user, secondment_id)
    with api_fields(_SECONDMENT_FIELDS):
        secondment_services.secondment_update(
            actor=user,
            secondment=secondment,
            data=_secondment_data(user, body, secondment),
            expected_version=body.version,
        )
    return _secondment(user, secondment.pk)


# The landed projects' yearly follow-ups (their own module).
router.add_router("", followup_api.router)
