"""Reads of the registry and its statistics (scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import (
    Filters,
    choice,
    day,
    flag,
    number,
    record,
    text,
    tristate,
)
from yanzhen.core.models import Degree
from yanzhen.core.registry import modules
from yanzhen.core.scope import scope_of
from yanzhen.core.selectors import exact_personal_data
from yanzhen.talent.models import (
    HOSTED_TYPES,
    RECRUITMENT_CHANNELS,
    Channel,
    ServiceAgreement,
    Talent,
    TalentType,
)

if TYPE_CHECKING:
    from yanzhen.core.models import User
    from yanzhen.core.scope import AnyUser
from yanzhen.talent.selectors.common import (
    _unit_q,
)


def talent_qs(user: AnyUser) -> QuerySet[Talent]:
    """The registry in ``user``'s scope; a seconded cadre leaves it with its secondment
    (deleted softly, restored with it)."""
    return Talent.objects.filter(scope_of(user).q("employer")).exclude(
        secondment__deleted_at__isnull=False
    )


GROUPS = {"recruited": "引进人才（公开招聘、柔性引才、校园招聘）", "hosted": "实习生与挂职干部"}


@dataclass(frozen=True)
class TalentFilters(Filters):
    """The filters of the registry; every figure of the statistics is one combination."""

    q: str = text("搜索")
    group: str = choice("范围", GROUPS, empty="全部在册")
    talent_type: str = choice("人才类型", TalentType)
    degree: str = choice("学位", [*Degree.choices, ("none", "未填")])
    channel: str = choice("引进渠道", Channel)
    university: int | None = record("来源高校", hidden=True, zero=True)  # 0: none given
    industry: str = text("本地产业", hidden=True)  # "none": none
    unit: int | None = record("用人单位", hidden=True)
    sub: bool = flag("含下级单位", hidden=True)
    year: int | None = number("到岗年份", low=1990, high=2100)
    start_from: dt.date | None = day("到岗日期自", hidden=True)
    start_to: dt.date | None = day("到岗日期至", hidden=True)
    on_post: bool | None = tristate("在岗")
    campaign: int | None = record("招聘活动", hidden=True)


def apply_talent_filters(
    qs: QuerySet[Talent], filters: TalentFilters, *, today: dt.date
) -> QuerySet[Talent]:
    if filters.q:
        exact = exact_personal_data(filters.q, "person__")  # an ID number or a mobile
        qs = qs.filter(
            exact
            if exact is not None
            else Q(person__name__icontains=filters.q)
            | Q(employer__name__icontains=filters.q)
            | Q(university__name__icontains=filters.q)
        )
    if filters.group == "recruited":
        qs = qs.filter(channel__in=RECRUITMENT_CHANNELS)
    elif filters.group == "hosted":
        qs = qs.filter(talent_type__in=HOSTED_TYPES)
    if filters.talent_type:
        qs = qs.filter(talent_type=filters.talent_type)
    if filters.degree == "none":
        qs = qs.filter(degree="")
    elif filters.degree:
        qs = qs.filter(degree=filters.degree)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.university == 0:
        qs = qs.filter(university__isnull=True)
    elif filters.university is not None:
        qs = qs.filter(university_id=filters.university)
    if filters.industry == "none":
        qs = qs.filter(employer__local_industry__isnull=True)
    elif filters.industry:
        qs = qs.filter(employer__local_industry__code=filters.industry)
    qs = qs.filter(_unit_q("employer", filters.unit, filters.sub))
    if filters.year is not None:
        qs = qs.filter(start_date__year=filters.year)
    if filters.start_from is not None:
        qs = qs.filter(start_date__gte=filters.start_from)
    if filters.start_to is not None:
        qs = qs.filter(start_date__lte=filters.start_to)
    if filters.campaign is not None:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.on_post is not None:
        on_post = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        qs = qs.filter(on_post) if filters.on_post else qs.exclude(on_post)
    return qs


def talent_list(*, user: AnyUser, filters: TalentFilters, today: dt.date) -> QuerySet[Talent]:
    qs = apply_talent_filters(talent_qs(user), filters, today=today)
    return qs.select_related("person", "employer", "university", "discipline").order_by(
        "-start_date", "-id"
    )


def talent_get(user: AnyUser, pk: int) -> Talent:
    return get_object_or_404(
        talent_qs(user).select_related(
            "person", "employer", "university", "discipline", "campaign"
        ),
        pk=pk,
    )


def talent_page(*, user: User, talent: Talent) -> dict[str, object]:
    """What the apps built on the registry show on a talent's page (their ``talents.page``:
    the entitlements and apartment of ``yanzhen.benefits``), as template context; the
    templates of their panels in ``panels``."""
    context: dict[str, object] = {}
    panels: list[str] = []
    for _app, module in modules("talents"):
        shown = module.page(user=user, talent=talent)
        panels.extend(shown.pop("panels", []))
        context.update(shown)
    return {**context, "panels": panels}


@dataclass(frozen=True)
class StatRow:
    label: str
    count: int
    query: dict[str, str]


@dataclass
class TalentStats:
    total: StatRow
    doctors: StatRow
    masters: StatRow
    dimensions: list[tuple[str, list[StatRow]]]


def talent_stats(*, user: AnyUser, filters: TalentFilters, today: dt.date) -> TalentStats:
    """Counts by type, degree, channel, university, industry and unit; each row carries the
    filters of the list of exactly its talents."""
    qs = apply_talent_filters(talent_qs(user), filters, today=today)
    base = filters.as_query()

    def link(**extra: str) -> dict[str, str]:
        return {**base, **extra}

    def rows(field: str, labels: dict[Any, str], key: str, none_key: str) -> list[StatRow]:
        counted = qs.values(field).annotate(n=Count("pk")).order_by("-n", field)
        return [
            StatRow(
                labels.get(r[field], str(r[field])) if r[field] not in (None, "") else "未填",
                r["n"],
                link(**{key: str(r[field]) if r[field] not in (None, "") else none_key}),
            )
            for r in counted
        ]

    universities = dict(
        qs.filter(university__isnull=False).values_list("university_id", "university__name")
    )
    industries = dict(
        qs.filter(employer__local_industry__isnull=False).values_list(
            "employer__local_industry__code", "employer__local_industry__name"
        )
    )
    employers = dict(qs.values_list("employer_id", "employer__name"))
    by_unit = [
        StatRow(employers[r["employer_id"]], r["n"], link(unit=str(r["employer_id"])))
        for r in qs.values("employer_id").annotate(n=Count("pk")).order_by("-n", "employer_id")
    ]
    dimensions = [
        ("人才类型", rows("talent_type", dict(TalentType.choices), "talent_type", "")),
        ("学位", rows("degree", dict(Degree.choices), "degree", "none")),
        ("引进渠道", rows("channel", dict(Channel.choices), "channel", "")),
        ("来源高校", rows("university_id", universities, "university", "0")),
        ("本地产业", rows("employer__local_industry__code", industries, "industry", "none")),
        ("用人单位", by_unit),
    ]
    counts = qs.aggregate(
        total=Count("pk"),
        doctors=Count("pk", filter=Q(degree=Degree.DOCTOR)),
        masters=Count("pk", filter=Q(degree=Degree.MASTER)),
    )
    return TalentStats(
        total=StatRow("合计", counts["total"], link()),
        doctors=StatRow("博士", counts["doctors"], link(degree=Degree.DOCTOR)),
        masters=StatRow("硕士", counts["masters"], link(degree=Degree.MASTER)),
        dimensions=dimensions,
    )


def agreement_get(user: AnyUser, pk: int) -> ServiceAgreement:
    return get_object_or_404(
        ServiceAgreement.objects.filter(talent__in=talent_qs(user)).select_related(
            "talent__person"
        ),
        pk=pk,
    )


def talent_agreements(talent: Talent) -> list[ServiceAgreement]:
    """A talent's service agreements, the latest first, each with ``served``, the days of
    workload recorded."""
    return list(talent.agreements.annotate(served=Sum("workload__days")).order_by("-start_date"))


def agreement_served(agreement: ServiceAgreement) -> Decimal:
    """The days of workload recorded under an agreement."""
    total: Decimal | None = agreement.workload.aggregate(total=Sum("days"))["total"]
    return total or Decimal(0)
