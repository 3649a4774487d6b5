"""Counties side by side, for a user above county level (a city's or the province's): per
county in the user's scope the funnel (from the county dimensions of the ledger's tally),
its universities, talents, interns and assessment score, ranked, each opening the county's
year at a glance (``/overview/?unit=``: the drill-down).

The rank orders the counties by landed projects, then agreements, then intentions (the
stages' weight in the programme), then by division code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.urls import reverse

from yanzhen.assessment.models import PeriodState
from yanzhen.assessment.selectors import score_qs
from yanzhen.cooperation.tally import stored_rows
from yanzhen.core.models import Unit, UnitClosure, UnitKind
from yanzhen.core.scope import scope_of
from yanzhen.core.selectors import unit_qs
from yanzhen.engines import ledger
from yanzhen.engines.ledger import Funnel, TallyKey, TallyValue
from yanzhen.placement.selectors import internship_qs
from yanzhen.talent.selectors.registry import talent_qs

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

    AnyUser = User | AnonymousUser

ABOVE_COUNTY = (UnitKind.PROVINCE, UnitKind.CITY)
COUNTY_DIMENSIONS = (ledger.COUNTY, ledger.COUNTY_UNIVERSITY)
_EMPTY = Funnel(0, 0, 0, 0, 0, Decimal(0), Decimal(0))


@dataclass
class CountyFigure:
    label: str
    value: int | Decimal
    url: str


@dataclass
class CountyRow:
    county: Unit
    figures: list[CountyFigure]
    rank: int


def above_county(user: AnyUser) -> bool:
    """Whether ``user`` works above the counties (a city's or the province's unit, or the
    platform's, seeing everything): the dashboard then compares its counties."""
    unit: Unit | None = getattr(user, "unit", None)
    if unit is None:
        return scope_of(user).everything
    return unit.kind in ABOVE_COUNTY


def _county_of(field: str) -> Subquery:
    return Subquery(
        UnitClosure.objects.filter(
            descendant_id=OuterRef(field), ancestor__kind=UnitKind.COUNTY
        ).values("ancestor_id")[:1]
    )


def _per_county(qs: QuerySet[Any], unit_field: str) -> dict[int, int]:
    rows = qs.order_by().annotate(county=_county_of(unit_field)).values("county")
    return {r["county"]: r["n"] for r in rows.annotate(n=Count("pk")) if r["county"]}


def _scores(user: AnyUser, year: int | None) -> dict[int, Decimal]:
    """Per county, the mean total of its subjects (units and bases) in the published
    periods ending in ``year`` (all published periods when None), to two decimals."""
    scores = score_qs(user).filter(period__state=PeriodState.PUBLISHED)
    if year is not None:
        scores = scores.filter(period__end__year=year)
    out: dict[int, list[Decimal]] = defaultdict(list)
    by_unit = (
        scores.filter(unit__isnull=False)
        .order_by()
        .annotate(county=_county_of("unit_id"))
        .values_list("county", "total")
    )
    by_base = scores.filter(base__isnull=False).values_list("base__county_id", "total")
    for county, total in [*by_unit, *by_base]:
        if county:
            out[county].append(Decimal(total))
    return {
        county: (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"))
        for county, totals in out.items()
    }


def by_county(
    *,
    user: AnyUser,
    year: int | None,
    rows: dict[TallyKey, TallyValue] | None,
) -> list[CountyRow]:
    """The counties of ``user``'s scope side by side (see the module). ``rows``: the tally
    rows of the county dimensions of the user's cooperations, or None to read the stored
    tally (a user who sees everything)."""
    if rows is None:
        rows = stored_rows(dimension__in=COUNTY_DIMENSIONS)
    funnels = ledger.county_funnels(rows, year=year)
    counties = list(unit_qs(user).filter(kind=UnitKind.COUNTY).order_by("code", "pk"))
    talents = talent_qs(user)
    interns = internship_qs(user)
    if year is not None:
        talents = talents.filter(start_date__year=year)
        interns = interns.filter(start_date__year=year)
    talent_counts = _per_county(talents, "employer_id")
    intern_counts = _per_county(interns, "host_unit_id")
    scores = _scores(user, year)
    overview = reverse("reports:overview")
    out: list[CountyRow] = []
    for county in counties:
        funnel = funnels.get(str(county.pk), _EMPTY)
        query = {"unit": county.pk, **({"year": year} if year else {})}
        url = f"{overview}?{urlencode(query)}"
        figures = [
            CountyFigure("合作意向", funnel.intentions, url),
            CountyFigure("签约协议", funnel.agreements, url),
            CountyFigure("落地项目", funnel.landed, url),
            CountyFigure("合作高校（院所）", funnel.universities, url),
            CountyFigure("终止", funnel.dropped, url),
            CountyFigure("落地投资（万元）", funnel.landed_investment, url),
            CountyFigure("引进人才（人）", talent_counts.get(county.pk, 0), url),
            CountyFigure("实习（人）", intern_counts.get(county.pk, 0), url),
            CountyFigure("考核平均得分", scores.get(county.pk, Decimal(0)), url),
        ]
        out.append(CountyRow(county, figures, 0))
    ordered = sorted(
        out,
        key=lambda r: (
            -int(r.figures[2].value),
            -int(r.figures[1].value),
            -int(r.figures[0].value),
            r.county.code,
        ),
    )
    for rank, row in enumerate(ordered, start=1):
        row.rank = rank
    return ordered
