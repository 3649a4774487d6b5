"""API of units (through the data scope)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from yanzhen.core import selectors
from yanzhen.core.errors import ForbiddenError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.models import Unit
from yanzhen.core.schemas import ErrorOut, Page, PageQuery, UnitOut

router = Router(tags=["单位"])


def require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise ForbiddenError


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
