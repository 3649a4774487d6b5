"""API of bases and the cooperation ledger: the same selectors, services and rules as the pages."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import Field

from yanzhen.cooperation import selectors, services
from yanzhen.cooperation.models import Base, Cooperation
from yanzhen.cooperation.schemas import (
    BaseOut,
    CooperationIn,
    CooperationOut,
    CooperationUpdateIn,
    MoveIn,
    NamedRef,
)
from yanzhen.core import integrity
from yanzhen.core.api import page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import User
from yanzhen.core.schemas import ErrorOut, Page, PageQuery

router = Router(tags=["省校合作"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _ref(obj: object | None) -> NamedRef | None:
    if obj is None:
        return None
    return NamedRef(id=obj.pk, name=str(getattr(obj, "name", obj)))  # type: ignore[attr-defined]


def cooperation_out(c: Cooperation) -> CooperationOut:
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
        stage=c.stage,  # type: ignore[arg-type]
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
    )


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
    items: list[object] = [cooperation_out(c) for c in qs[(page - 1) * size : page * size]]
    return page_of(items, qs.count(), page, size)


@router.get("/cooperations/{cooperation_id}", response={200: CooperationOut, **ERRORS})
def get_cooperation(request: HttpRequest, cooperation_id: int) -> CooperationOut:
    require(request, "cooperation.view_cooperation")
    cooperation = selectors.cooperation_get(request.user, cooperation_id)
    out = cooperation_out(cooperation)
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


def _renamed(error: DomainError) -> DomainError:
    error.fields = {_API_FIELDS.get(k, k): v for k, v in error.fields.items()}
    return error


def _reload(user: User, pk: int) -> Cooperation:
    return selectors.cooperation_get(user, pk)


@router.post("/cooperations", response={201: CooperationOut, **ERRORS})
def create_cooperation(
    request: AuthenticatedHttpRequest, body: CooperationIn
) -> Status[CooperationOut]:
    require(request, "cooperation.add_cooperation")
    user = request.user
    try:
        created = services.cooperation_create(actor=user, data=_data(user, body))
    except DomainError as error:
        raise _renamed(error) from error
    return Status(201, cooperation_out(_reload(user, created.pk)))


@router.put("/cooperations/{cooperation_id}", response={200: CooperationOut, **ERRORS})
def update_cooperation(
    request: AuthenticatedHttpRequest, cooperation_id: int, body: CooperationUpdateIn
) -> CooperationOut:
    require(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, cooperation_id)
    try:
        services.cooperation_update(
            actor=user,
            cooperation=cooperation,
            data=_data(user, body, cooperation),
            expected_version=body.version,
        )
    except DomainError as error:
        raise _renamed(error) from error
    return cooperation_out(_reload(user, cooperation.pk))


@router.post("/cooperations/{cooperation_id}/stage", response={200: CooperationOut, **ERRORS})
def move_cooperation(
    request: AuthenticatedHttpRequest, cooperation_id: int, body: MoveIn
) -> CooperationOut:
    require(request, "cooperation.change_cooperation")
    user = request.user
    cooperation = selectors.cooperation_get(user, cooperation_id)
    services.cooperation_move(
        actor=user, cooperation=cooperation, target=body.target, date=body.date, reason=body.reason
    )
    return cooperation_out(_reload(user, cooperation.pk))


def base_out(base: Base, figures: dict[str, int]) -> BaseOut:
    return BaseOut(
        id=base.pk,
        code=base.code,
        name=base.name,
        county=NamedRef(id=base.county.pk, name=base.county.name),
        leader=_ref(base.leader),
        lead_department=NamedRef(id=base.lead_department.pk, name=base.lead_department.name),
        members=[NamedRef(id=m.person.pk, name=m.person.name) for m in base.members.all()],
        intentions=figures["intention"],
        agreements=figures["agreement"],
        landed=figures["landed"],
    )


@router.get("/bases", response={200: list[BaseOut], **ERRORS})
def list_bases(
    request: AuthenticatedHttpRequest, query: Query[FilterQuery[selectors.BaseFilters]]
) -> list[BaseOut]:
    require(request, "cooperation.view_base")
    rows = selectors.base_rows(user=request.user, filters=query.filters())
    return [base_out(r.base, r.figures) for r in rows]


@router.get("/bases/{base_id}", response={200: BaseOut, **ERRORS})
def get_base(request: HttpRequest, base_id: int) -> BaseOut:
    require(request, "cooperation.view_base")
    base = selectors.base_get(request.user, base_id)
    return base_out(base, selectors.base_figures(user=request.user, bases=[base])[base.pk])
