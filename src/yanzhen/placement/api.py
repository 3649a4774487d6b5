"""API of placement: programmes and their allocation, internships. The same selectors (data
scope) and services (rules) as the pages; the paths and operation ids of the talent app's API,
where these endpoints were first published."""

from __future__ import annotations

from ninja import Query, Router

from yanzhen.core.api import page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import User
from yanzhen.core.schemas import Page, PageQuery
from yanzhen.placement import selectors, services
from yanzhen.placement.schemas import (
    AllocateIn,
    AllocationOut,
    AssignmentOut,
    InternshipOut,
    ProgrammeOut,
    UnmatchedOut,
)
from yanzhen.talent.api import ERRORS
from yanzhen.talent.schemas import NamedRef

router = Router(tags=["人才工作"])


@router.get(
    "/talent/programmes",
    response={200: list[ProgrammeOut], **ERRORS},
    operation_id="yanzhen_talent_api_list_programmes",
    url_name="talent_list_programmes",
)
def list_programmes(
    request: AuthenticatedHttpRequest, query: Query[FilterQuery[selectors.ProgrammeFilters]]
) -> list[ProgrammeOut]:
    require(request, "placement.view_programme")
    qs = selectors.programme_list(user=request.user, filters=query.filters())
    return [
        ProgrammeOut(
            id=p.pk,
            name=p.name,
            kind=p.kind,
            status=p.status,
            owner_unit=NamedRef(id=p.owner_unit.pk, name=p.owner_unit.name),
            year=p.year,
            hosts=p.n_hosts,  # type: ignore[attr-defined]
            applicants=p.n_applicants,  # type: ignore[attr-defined]
        )
        for p in qs
    ]


def _allocation_out(user: User, programme_id: int) -> AllocationOut:
    programme = selectors.programme_get(user, programme_id)
    if not selectors.programme_manageable(user, programme):
        raise DomainError("forbidden", "只有组织单位可以查看分配结果", status=403)
    result = services.programme_result(programme)
    run = selectors.last_run(programme)
    return AllocationOut(
        programme=NamedRef(id=programme.pk, name=programme.name),
        status=programme.status,
        stats=run.stats if run else {},
        rank_distribution={str(k): v for k, v in result.distribution},
        assignments=[
            AssignmentOut(
                code=a.code,
                name=a.person.name,
                host=NamedRef(id=h.unit.pk, name=h.unit.name) if h else None,
                choice_rank=rank,
                manual=manual,
            )
            for a, h, rank, manual in result.rows
        ],
        unmatched=[
            UnmatchedOut(
                code=u.applicant.code,
                name=u.applicant.person.name,
                reason=u.label,
                details=u.details,
            )
            for u in result.unmatched
        ],
        blocking_pairs=result.blocking,
        not_mutual=result.not_mutual,
    )


@router.get(
    "/talent/programmes/{programme_id}/allocation",
    response={200: AllocationOut, **ERRORS},
    operation_id="yanzhen_talent_api_get_allocation",
    url_name="talent_get_allocation",
)
def get_allocation(request: AuthenticatedHttpRequest, programme_id: int) -> AllocationOut:
    require(request, "placement.view_programme")
    return _allocation_out(request.user, programme_id)


@router.post(
    "/talent/programmes/{programme_id}/allocation",
    response={200: AllocationOut, **ERRORS},
    operation_id="yanzhen_talent_api_run_allocation",
    url_name="talent_run_allocation",
)
def run_allocation(
    request: AuthenticatedHttpRequest, programme_id: int, body: AllocateIn
) -> AllocationOut:
    """Run the engine (applicant-optimal unless ``optimal`` is "unit"); the result is verified
    before it is stored."""
    require(request, "placement.allocate_programme")
    user = request.user
    programme = selectors.programme_get(user, programme_id)
    if not selectors.programme_manageable(user, programme):
        raise DomainError("forbidden", "只有组织单位可以运行分配", status=403)
    services.programme_allocate(actor=user, programme=programme, optimal=body.optimal)
    return _allocation_out(user, programme_id)


class InternshipQuery(FilterQuery[selectors.InternshipFilters], PageQuery):
    pass


@router.get(
    "/talent/internships",
    response={200: Page[InternshipOut], **ERRORS},
    operation_id="yanzhen_talent_api_list_internships",
    url_name="talent_list_internships",
)
def list_internships(
    request: AuthenticatedHttpRequest, query: Query[InternshipQuery]
) -> dict[str, object]:
    require(request, "placement.view_internship")
    qs = selectors.internship_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items = [
        InternshipOut(
            id=i.pk,
            name=i.talent.person.name,
            university=NamedRef(id=i.university.pk, name=i.university.name)
            if i.university
            else None,
            host_unit=NamedRef(id=i.host_unit.pk, name=i.host_unit.name),
            programme_id=i.programme_id,
            start_date=i.start_date,
            end_date=i.end_date,
            status=i.status,
        )
        for i in qs[(page - 1) * size : page * size]
    ]
    return page_of(list(items), qs.count(), page, size)
