"""API of the reference lists: university search and detail."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from yanzhen.core.api import page_of
from yanzhen.core.filters import FilterQuery
from yanzhen.core.schemas import ErrorOut, Page, PageQuery
from yanzhen.reference import selectors
from yanzhen.reference.models import University

router = Router(tags=["参考数据"])


class UniversityOut(Schema):
    id: int
    code: str
    name: str
    english_name: str
    country: str
    province: str
    city: str
    authority: str
    level: str
    is_985: bool
    is_211: bool
    is_dfc: bool
    aliases: list[str]


def university_out(u: University) -> UniversityOut:
    return UniversityOut(
        id=u.pk,
        code=u.code,
        name=u.name,
        english_name=u.english_name,
        country=u.country,
        province=u.province,
        city=u.city,
        authority=u.authority,
        level=u.level,
        is_985=u.is_985,
        is_211=u.is_211,
        is_dfc=u.is_dfc,
        aliases=sorted(a.alias for a in u.aliases.all()),
    )


class UniversityQuery(FilterQuery[selectors.UniversityFilters], PageQuery):
    pass


@router.get("/universities", response={200: Page[UniversityOut], 400: ErrorOut, 401: ErrorOut})
def list_universities(request: HttpRequest, query: Query[UniversityQuery]) -> dict[str, object]:
    qs = selectors.university_list(filters=query.filters())
    page, size = query.page, query.page_size
    items = [university_out(u) for u in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.get(
    "/universities/{university_id}", response={200: UniversityOut, 401: ErrorOut, 404: ErrorOut}
)
def get_university(request: HttpRequest, university_id: int) -> UniversityOut:
    return university_out(selectors.university_get(university_id))
