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
from yanzhen.cooperation.tally import stored_county_funnels, stored_county_universities
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
# The figures of a county, in their order: (what the comparison sorts by, label).
FIGURES = (
    ("intentions", "合作意向"),
    ("agreements", "签约协议"),
    ("landed", "落地项目"),
    ("universities", "合作高校（院所）"),
    ("dropped", "终止"),
    ("landed_investment", "落地投资（万元）"),
    ("talents", "引进人才（人）"),
    ("interns", "实习（人）"),
    ("score", "考核平均得分"),
)
SORTS = ("rank", *(key for key, _label in FIGURES))
# A page of the comparison: the 13 counties of a city whole, a province's ~120 in a few.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass
class CountyFigure:
    label: str
    value: int | Decimal
    url: str
    key: str = ""  # what the comparison sorts by (``SORTS``)


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
) -> Comparison:
    """The counties of ``user``'s scope side by side (see the module). ``rows``: the tally
    rows of the county dimensions of the user's cooperations, or None to read the stored
    tally (a user who sees everything: summed by the database, a few queries whatever the
    number of counties; their universities counted for the page shown, see
    :meth:`Comparison.page`)."""
    if rows is None:
        funnels = stored_county_funnels(year)
    else:
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
        values: list[int | Decimal] = [
            funnel.intentions,
            funnel.agreements,
            funnel.landed,
            funnel.universities,
            funnel.dropped,
            funnel.landed_investment,
            talent_counts.get(county.pk, 0),
            intern_counts.get(county.pk, 0),
            scores.get(county.pk, Decimal(0)),
        ]
        figures = [
            CountyFigure(label, value, url, key)
            for (key, label), value in zip(FIGURES, values, strict=True)
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
    return Comparison(ordered, year=year, uncounted=rows is None)


_UNIVERSITIES = SORTS.index("universities") - 1  # the figure's index


@dataclass
class Comparison:
    """The counties side by side, ranked (:func:`by_county`). ``uncounted``: their
    universities are still to be counted (from the stored tally, for the rows of a page)."""

    rows: list[CountyRow]
    year: int | None = None
    uncounted: bool = False

    def __bool__(self) -> bool:
        return bool(self.rows)

    def _count_universities(self, rows: list[CountyRow], *, every: bool) -> None:
        counted = stored_county_universities(
            self.year, None if every else [r.county.pk for r in rows]
        )
        for row in rows:
            row.figures[_UNIVERSITIES].value = counted.get(str(row.county.pk), 0)

    def page(self, *, sort: str = "rank", offset: int = 0, limit: int = PAGE_SIZE) -> CountyPage:
        """A page of the counties sorted by ``sort`` (one of ``SORTS``: the rank, or a figure
        largest first, ties by rank; anything else is the rank)."""
        if sort not in SORTS:
            sort = "rank"
        if self.uncounted and sort == "universities":
            self._count_universities(self.rows, every=True)
            self.uncounted = False
        ordered = self.rows
        if sort != "rank":
            index = SORTS.index(sort) - 1
            ordered = sorted(self.rows, key=lambda r: (-r.figures[index].value, r.rank))
        offset = max(offset, 0)
        limit = min(max(limit, 1), MAX_PAGE_SIZE)
        rows = ordered[offset : offset + limit]
        if self.uncounted:
            self._count_universities(rows, every=False)
        return CountyPage(rows, len(self.rows), sort, offset, limit)


@dataclass
class CountyPage:
    """A page of the comparison: ``rows`` from ``offset``, sorted by ``sort`` (the rank, or a
    figure, largest first, ties by rank), of ``total`` counties."""

    rows: list[CountyRow]
    total: int
    sort: str
    offset: int
    limit: int

    @property
    def previous_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None
