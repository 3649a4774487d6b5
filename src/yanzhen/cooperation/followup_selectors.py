"""Reads of the landed projects' yearly follow-ups, in the data scope of the cooperations
(``cooperation_qs``): the list with its filters, and the totals by year of the accepted ones."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum

from yanzhen.cooperation.models import FollowUp, FollowUpReview
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.filters import Filters, choice, number, record, text

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def followup_qs(user: AnyUser) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(cooperation__in=cooperation_qs(user))


@dataclass(frozen=True)
class FollowUpFilters(Filters):
    q: str = text("搜索")
    year: int | None = number("年度", low=1990, high=2100)
    review: str = choice("审核", FollowUpReview)
    cooperation: int | None = record("合作项目", hidden=True)


def followup_shown(followup: FollowUp) -> FollowUp:
    """A follow-up the user just entered, read again with its cooperation's owner unit (what
    the API answers with)."""
    return FollowUp.objects.select_related("cooperation__owner_unit").get(pk=followup.pk)


def followup_list(*, user: AnyUser, filters: FollowUpFilters) -> QuerySet[FollowUp]:
    qs = followup_qs(user).select_related("cooperation__owner_unit").order_by("-year", "-id")
    if filters.q:
        qs = qs.filter(
            Q(cooperation__title__icontains=filters.q) | Q(cooperation__code__icontains=filters.q)
        )
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.review:
        qs = qs.filter(review=filters.review)
    if filters.cooperation is not None:
        qs = qs.filter(cooperation_id=filters.cooperation)
    return qs


@dataclass(frozen=True)
class YearTotal:
    year: int
    projects: int
    output_value: Decimal
    jobs: int
    patents: int
    tax: Decimal


def _amount(value: object) -> Decimal:
    total = Decimal(str(value or 0))
    # the same on every database (PostgreSQL keeps the column's two decimals, SQLite not)
    return total.quantize(Decimal("0.01"))


def totals_by_year(rows: QuerySet[FollowUp]) -> list[YearTotal]:
    """The accepted follow-ups of ``rows`` summed by year, the latest year first."""
    sums = (
        rows.filter(review=FollowUpReview.ACCEPTED)
        .order_by()
        .values("year")
        .annotate(
            n=Count("id"),
            output=Sum("output_value"),
            jobs_=Sum("jobs"),
            patents_=Sum("patents"),
            tax_=Sum("tax"),
        )
        .order_by("-year")
    )
    return [
        YearTotal(
            s["year"],
            s["n"],
            _amount(s["output"]),
            int(s["jobs_"] or 0),
            int(s["patents_"] or 0),
            _amount(s["tax_"]),
        )
        for s in sums
    ]
