"""API of the dashboard: the same figures as the page, each with the link to its records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from yanzhen.core.schemas import ErrorOut, Year
from yanzhen.reports.counties import above_county
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


@router.get("/dashboard", response={200: DashboardOut, 401: ErrorOut})
def get_dashboard(request: HttpRequest, year: Year | None = None) -> dict[str, Any]:
    board = dashboard(user=request.user, year=year, today=timezone.localdate())

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
        for r in board.by_county
    ]
    return {
        # Only for a user above the counties (a city's, the province's).
        **({"by_county": counties} if above_county(request.user) else {}),
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
