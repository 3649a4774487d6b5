"""API of the dashboard: the same figures as the page, each with the link to its records."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from yanzhen.core.schemas import ErrorOut, Year
from yanzhen.reports.counties import MAX_PAGE_SIZE, PAGE_SIZE, above_county
from yanzhen.reports.info_api import router as info_router
from yanzhen.reports.selectors import dashboard

router = Router(tags=["看板"])


class FigureOut(Schema):
    label: str
    value: Decimal
    url: str


class CoverageOut(Schema):
    label: str
    total: int
    covered: int
    gaps: list[str]


class CountyRef(Schema):
    id: int
    name: str
    code: str


class CountyFiguresOut(Schema):
    county: CountyRef
    figures: list[FigureOut]
    rank: int


class DashboardOut(Schema):
    year: int | None
    figures: list[FigureOut]
    series: list[dict[str, Any]]
    horizontal: list[CoverageOut]
    vertical: list[CoverageOut]
    international: list[FigureOut]
    activities: list[FigureOut]
    by_county: list[CountyFiguresOut] | None = None
    # How many counties the comparison has (``by_county`` is a page of them), for a user
    # above the counties.
    by_county_total: int | None = None


CountySort = Literal[
    "rank",
    "intentions",
    "agreements",
    "landed",
    "universities",
    "dropped",
    "landed_investment",
    "talents",
    "interns",
    "score",
]


@router.get("/dashboard", response={200: DashboardOut, 401: ErrorOut})
def get_dashboard(
    request: HttpRequest,
    year: Year | None = None,
    county_sort: CountySort = "rank",
    county_offset: Annotated[int, Field(ge=0)] = 0,
    county_limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> dict[str, Any]:
    """``by_county`` (a user above the counties): a page of its counties, by rank or largest
    first by ``county_sort``, ``county_limit`` (50 unless asked) from ``county_offset``; their
    number in ``by_county_total``."""
    board = dashboard(user=request.user, year=year, today=timezone.localdate())
    page = board.by_county.page(sort=county_sort, offset=county_offset, limit=county_limit)

    def coverage(rows: Any) -> list[dict[str, Any]]:
        return [
            {
                "label": r.label,
                "total": r.total,
                "covered": r.covered,
                "gaps": [u.name for u in r.gaps],
            }
            for r in rows
        ]

    counties = [
        {
            "county": {"id": r.county.pk, "name": r.county.name, "code": r.county.code},
            "figures": r.figures,
            "rank": r.rank,
        }
        for r in page.rows
    ]
    return {
        # Only for a user above the counties (a city's, the province's).
        **(
            {"by_county": counties, "by_county_total": page.total}
            if above_county(request.user)
            else {}
        ),
        "year": board.year,
        "figures": board.figures,
        "series": [s.as_chart() for s in board.series],
        "horizontal": coverage(row for _, rows in board.horizontal for row in rows),
        "vertical": coverage(board.vertical),
        "international": board.international,
        "activities": board.activities,
    }


# 信息报送 (its own module, under the same router).
router.add_router("", info_router)
