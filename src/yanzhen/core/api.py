"""API of units (through the data scope) and of the review inbox (待审核)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.http import HttpRequest
from ninja import Query, Router

from yanzhen.core import reviews, selectors
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import ApprovalRequest, Unit
from yanzhen.core.schemas import DecisionIn, ErrorOut, Page, PageQuery, ReviewOut, UnitOut
from yanzhen.core.workflow import is_overdue, kind_label, review_decide

router = Router(tags=["单位"])

# The answers an endpoint that reads and writes records may give besides its own (the error
# envelope ``ErrorOut``): bad input, not signed in, refused, not found, an edit conflict, a
# rule of the domain broken.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise ForbiddenError


@contextmanager
def api_fields(names: Mapping[str, str]) -> Iterator[None]:
    """A ``DomainError`` raised inside names its fields as the API's body does: ``names`` maps
    a service's field to the body's (``{"owner_unit": "owner_unit_id"}``), others stay."""
    try:
        yield
    except DomainError as error:
        error.fields = {names.get(k, k): v for k, v in error.fields.items()}
        raise


def page_of(items: list[object], count: int, page: int, size: int) -> dict[str, object]:
    return {"count": count, "page": page, "page_size": size, "items": items}


def unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        id=unit.pk,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        kind_label=unit.get_kind_display(),
        parent_id=unit.parent_id,
        code=unit.code,
        local_industry=unit.local_industry.code if unit.local_industry else None,
        is_leading=unit.is_leading,
        cooperation_count=unit.cooperation_count,
    )


class UnitQuery(FilterQuery[selectors.UnitFilters], PageQuery):
    pass


@router.get("/units", response={200: Page[UnitOut], 401: ErrorOut, 403: ErrorOut})
def list_units(request: AuthenticatedHttpRequest, query: Query[UnitQuery]) -> dict[str, object]:
    require(request, "core.view_unit")
    qs = selectors.unit_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items = [unit_out(u) for u in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.get(
    "/units/{unit_id}", response={200: UnitOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def get_unit(request: HttpRequest, unit_id: int) -> UnitOut:
    require(request, "core.view_unit")
    return unit_out(selectors.unit_get(request.user, unit_id))


# The review inbox ----------------------------------------------------------------------------

REVIEW_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def review_out(r: ApprovalRequest) -> ReviewOut:
    return ReviewOut(
        id=r.pk,
        kind=r.kind,
        kind_label=kind_label(r.kind),
        title=r.title or r.target_label,
        url=r.url,
        submitted_by=str(r.requester),
        submitted_unit=r.submitted_unit.name if r.submitted_unit else None,
        submitted_at=r.requested_at,
        deadline=r.deadline,
        state=r.state,
        overdue=is_overdue(r),
    )


class ReviewQuery(FilterQuery[reviews.ReviewFilters], PageQuery):
    pass


@router.get("/reviews", response={200: Page[ReviewOut], **REVIEW_ERRORS}, tags=["审核"])
def list_reviews(request: AuthenticatedHttpRequest, query: Query[ReviewQuery]) -> dict[str, object]:
    """The items waiting for my decision (待审核), oldest first."""
    qs = reviews.review_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items = [review_out(r) for r in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.post("/reviews/{review_id}", response={200: ReviewOut, **REVIEW_ERRORS}, tags=["审核"])
def decide_review(request: AuthenticatedHttpRequest, review_id: int, body: DecisionIn) -> ReviewOut:
    """Approve or return one item; a return needs a comment (422 ``comment``), one's own is
    403 ``self_approval``, one already decided 409."""
    approval = reviews.review_get(request.user, review_id)
    decided = review_decide(
        approval=approval,
        approver=request.user,
        decision=body.decision,
        comment=body.comment,
        field_comments=body.fields,
        request=request,
    )
    return review_out(decided)
