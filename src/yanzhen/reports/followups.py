"""The figures of the landed projects' yearly follow-ups (落地项目年度跟踪) in the catalogue
(``reports.figures``): output value, jobs, patents and tax of the years that end in the
period, from the accepted follow-ups of approved cooperations the reader sees (a scope unit:
those it is linked to). Each figure opens exactly its follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum
from django.urls import reverse

from yanzhen.cooperation.followup_selectors import followup_qs
from yanzhen.cooperation.models import CooperationLink, FollowUp, FollowUpReview
from yanzhen.engines.briefing_template import Kind, Value

if TYPE_CHECKING:
    from yanzhen.reports.figures import Context

GROUP = "落地成效"


def follow_ups(ctx: Context) -> QuerySet[FollowUp]:
    start, end = ctx.period.start, ctx.period.end
    years = [y for y in range(start.year, end.year + 1) if start <= dt.date(y, 12, 31) <= end]
    qs = followup_qs(ctx.user).filter(
        cooperation__approved=True, review=FollowUpReview.ACCEPTED, year__in=years
    )
    if ctx.unit is not None:
        linked = CooperationLink.objects.filter(unit__in=ctx.units()).values("cooperation_id")
        qs = qs.filter(cooperation_id__in=linked)
    return qs


def total(field: str, kind: Kind) -> Callable[[QuerySet[Any]], Value]:
    def total(qs: QuerySet[Any]) -> Value:
        value = qs.aggregate(n=Sum(field))["n"] or 0
        if kind == Kind.COUNT:
            return int(value)
        # SQLite sums decimals as floats (307.09999…), PostgreSQL keeps the two decimals: the
        # same value on both, a whole number without decimals
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
        return (
            amount.quantize(Decimal(1))
            if amount == amount.to_integral_value()
            else amount.normalize()
        )

    return total


def list_url(ctx: Context) -> str:
    year = ctx.period.year
    if year is None or ctx.unit is not None:
        return ""
    return reverse("cooperation:followup_list") + f"?year={year}&review=accepted"


# (name, kind, definition, field)
FIGURES: tuple[tuple[str, Kind, str, str], ...] = (
    ("落地项目产值", Kind.AMOUNT, "年度在期内的落地项目年度跟踪（已采用）产值合计（万元）", "output_value"),
    ("落地项目带动就业", Kind.COUNT, "年度在期内的落地项目年度跟踪（已采用）带动就业人数合计", "jobs"),
    ("落地项目专利数", Kind.COUNT, "年度在期内的落地项目年度跟踪（已采用）专利件数合计", "patents"),
    ("落地项目税收", Kind.AMOUNT, "年度在期内的落地项目年度跟踪（已采用）税收合计（万元）", "tax"),
)  # fmt: skip


def describe(follow_up: FollowUp) -> tuple[str, str]:
    cooperation = follow_up.cooperation
    url = reverse("cooperation:cooperation_detail", args=[cooperation.pk])
    return f"{follow_up.year}年 {cooperation.code} {cooperation.title}", url
