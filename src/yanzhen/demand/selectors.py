"""Reads of the demand map. Every selector takes the user and applies the data scope:

* needs — through their unit (the enterprise): an enterprise's login sees its own;
* surveys — organised by a unit in scope, or asking a unit in scope (whose answers only show);
* experts — through the unit that registered them; held import rows — through the importer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from yanzhen.core.scope import scope_of
from yanzhen.core.selectors import local_units
from yanzhen.demand.models import (
    CampaignTarget,
    Expert,
    HeldRow,
    NeedDegree,
    SurveyCampaign,
    TalentNeed,
    Urgency,
)
from yanzhen.reference.models import Discipline, LocalIndustry, University

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

    AnyUser = User | AnonymousUser

NONE = "none"  # filter value: "no industry" / "no discipline"


# Needs ---------------------------------------------------------------------------------------


def need_qs(user: AnyUser) -> QuerySet[TalentNeed]:
    return TalentNeed.objects.filter(scope_of(user).q("enterprise"))


def need_get(user: AnyUser, pk: int) -> TalentNeed:
    qs = need_qs(user).select_related(
        "enterprise", "enterprise__local_industry", "campaign", "created_by", "updated_by"
    )
    return get_object_or_404(qs, pk=pk)


@dataclass
class NeedFilters:
    """The filters of the needs list; every figure of the map links to a combination."""

    q: str = ""
    industry: str = ""
    discipline: str = ""
    degree: str = ""
    urgency: str = ""
    status: str = ""
    campaign: int | None = None
    enterprise: int | None = None
    university: int | None = None
    source: str = ""
    sort: str = ""

    def as_query(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value != "":
                out[f.name] = str(value)
        return out


NEED_SORTS = {
    "": ("-reported_on", "-id"),
    "urgency": ("urgency_rank", "-reported_on", "-id"),
    "-number": ("-number", "-id"),
    "deadline": ("deadline", "id"),
    "code": ("code",),
}


def apply_need_filters(qs: QuerySet[TalentNeed], filters: NeedFilters) -> QuerySet[TalentNeed]:
    if filters.industry == NONE:
        qs = qs.filter(enterprise__local_industry__isnull=True)
    elif filters.industry:
        qs = qs.filter(enterprise__local_industry__code=filters.industry)
    if filters.discipline == NONE:
        qs = qs.filter(disciplines__isnull=True)
    elif filters.discipline:
        through = TalentNeed.disciplines.through.objects.filter(
            talentneed_id=OuterRef("pk"), discipline__code=filters.discipline
        )
        qs = qs.filter(Exists(through))
    if filters.degree:
        qs = qs.filter(degree=filters.degree)
    if filters.urgency:
        qs = qs.filter(urgency=filters.urgency)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.campaign is not None:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.enterprise is not None:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.university is not None:
        preferred = TalentNeed.preferred_universities.through.objects.filter(
            talentneed_id=OuterRef("pk"), university_id=filters.university
        )
        qs = qs.filter(Exists(preferred))
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.q.strip():
        text = filters.q.strip()
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(position__icontains=text)
            | Q(majors__icontains=text)
            | Q(description__icontains=text)
            | Q(enterprise__name__icontains=text)
        )
    order = NEED_SORTS.get(filters.sort, NEED_SORTS[""])
    if "urgency_rank" in order:
        qs = qs.annotate(
            urgency_rank=Case(
                *(When(urgency=u, then=Value(i)) for i, u in enumerate(Urgency.values)),
                output_field=IntegerField(),
            )
        )
    return qs.order_by(*order)


def need_list(*, user: AnyUser, filters: NeedFilters) -> QuerySet[TalentNeed]:
    """The filtered needs ``user`` may see, ready to show (no query per row)."""
    return (
        apply_need_filters(need_qs(user), filters)
        .select_related("enterprise", "enterprise__local_industry", "campaign")
        .prefetch_related(Prefetch("disciplines", queryset=Discipline.objects.order_by("code")))
    )


def with_universities(needs: QuerySet[TalentNeed]) -> QuerySet[TalentNeed]:
    """``needs`` with their preferred universities prefetched (exports and the API)."""
    return needs.prefetch_related(
        Prefetch("preferred_universities", queryset=University.objects.only("pk", "name"))
    )


def need_enterprises(user: AnyUser) -> QuerySet[Any]:
    """Units in scope that may file needs (enterprises, hospitals and other local units)."""
    return local_units(user).order_by("sort_order", "id")


def deleted_needs(user: AnyUser) -> QuerySet[TalentNeed]:
    """The softly deleted needs ``user`` may see (the trash)."""
    return (
        TalentNeed.all_objects.filter(deleted_at__isnull=False)
        .filter(scope_of(user).q("enterprise"))
        .select_related("enterprise", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def deleted_need_get(user: AnyUser, pk: int) -> TalentNeed:
    return get_object_or_404(deleted_needs(user), pk=pk)


def _deleted_between(
    qs: QuerySet[Any], deleted_from: dt.date | None, deleted_to: dt.date | None
) -> QuerySet[Any]:
    if deleted_from is not None:
        qs = qs.filter(deleted_at__date__gte=deleted_from)
    if deleted_to is not None:
        qs = qs.filter(deleted_at__date__lte=deleted_to)
    return qs


def deleted_need_list(
    *,
    user: AnyUser,
    q: str = "",
    deleted_from: dt.date | None = None,
    deleted_to: dt.date | None = None,
) -> QuerySet[TalentNeed]:
    """The trash of needs, filtered: ``q`` in the code, position or enterprise; deleted on or
    after ``deleted_from`` and on or before ``deleted_to`` (local dates)."""
    qs = deleted_needs(user)
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(position__icontains=text)
            | Q(enterprise__name__icontains=text)
        )
    return _deleted_between(qs, deleted_from, deleted_to)


# Surveys -------------------------------------------------------------------------------------


def campaign_qs(user: AnyUser) -> QuerySet[SurveyCampaign]:
    scope = scope_of(user)
    if scope.everything:
        return SurveyCampaign.objects.all()
    condition = scope.q("owner_unit")
    if scope.unit_q is not None:
        asked = CampaignTarget.objects.filter(enterprise__in=scope.unit_ids()).values("campaign_id")
        condition |= Q(pk__in=asked)
    return SurveyCampaign.objects.filter(condition)


def campaign_get(user: AnyUser, pk: int) -> SurveyCampaign:
    return get_object_or_404(campaign_qs(user).select_related("owner_unit"), pk=pk)


def campaign_list(*, user: AnyUser, q: str = "") -> QuerySet[SurveyCampaign]:
    qs = campaign_qs(user).select_related("owner_unit")
    if q.strip():
        qs = qs.filter(title__icontains=q.strip())
    return qs.annotate(
        n_targets=Count("targets", distinct=True),
        n_answered=Count("targets", filter=Q(targets__answered_at__isnull=False), distinct=True),
        n_pending=Count("targets", filter=Q(targets__answered_at__isnull=True), distinct=True),
    ).order_by("-opens_on", "-id")


def campaign_targets(
    user: AnyUser, campaign: SurveyCampaign, *, answered: bool | None = None
) -> QuerySet[CampaignTarget]:
    """The units asked by ``campaign`` that ``user`` may see: all of them for its organiser,
    else those in the user's scope; with their needs in this survey counted."""
    scope = scope_of(user)
    qs = campaign.targets.select_related("enterprise", "enterprise__local_industry")
    if not scope.contains_unit(campaign.owner_unit):
        qs = qs.filter(scope.q("enterprise", None))
    if answered is True:
        qs = qs.filter(answered_at__isnull=False)
    elif answered is False:
        qs = qs.filter(answered_at__isnull=True)
    needs = TalentNeed.objects.filter(campaign=campaign, enterprise=OuterRef("enterprise"))
    return qs.annotate(
        n_needs=Count(
            "enterprise__talent_needs",
            filter=Q(
                enterprise__talent_needs__campaign=campaign,
                enterprise__talent_needs__deleted_at__isnull=True,
            ),
            distinct=True,
        ),
        has_needs=Exists(needs),
    ).order_by("enterprise__sort_order", "enterprise_id")


# Experts -------------------------------------------------------------------------------------


def expert_qs(user: AnyUser) -> QuerySet[Expert]:
    return Expert.objects.filter(scope_of(user).q("owner_unit"))


def expert_get(user: AnyUser, pk: int) -> Expert:
    return get_object_or_404(expert_qs(user).select_related("university", "owner_unit"), pk=pk)


def expert_list(
    *,
    user: AnyUser,
    q: str = "",
    university: int | None = None,
    discipline: str = "",
    province: str = "",
) -> QuerySet[Expert]:
    qs = expert_qs(user).select_related("university")
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(directions__icontains=text)
            | Q(university__name__icontains=text)
            | Q(title__icontains=text)
        )
    if university is not None:
        qs = qs.filter(university_id=university)
    if discipline:
        through = Expert.disciplines.through.objects.filter(
            expert_id=OuterRef("pk"), discipline__code=discipline
        )
        qs = qs.filter(Exists(through))
    if province:
        qs = qs.filter(university__province__startswith=province)
    return qs.prefetch_related(
        Prefetch("disciplines", queryset=Discipline.objects.order_by("code"))
    ).order_by("university__code", "name", "id")


def deleted_experts(user: AnyUser) -> QuerySet[Expert]:
    return (
        Expert.all_objects.filter(deleted_at__isnull=False)
        .filter(scope_of(user).q("owner_unit"))
        .select_related("university", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def deleted_expert_get(user: AnyUser, pk: int) -> Expert:
    return get_object_or_404(deleted_experts(user), pk=pk)


def deleted_expert_list(
    *,
    user: AnyUser,
    q: str = "",
    deleted_from: dt.date | None = None,
    deleted_to: dt.date | None = None,
) -> QuerySet[Expert]:
    """The trash of experts, filtered as ``deleted_need_list`` (``q`` in the name, university,
    department or research directions)."""
    qs = deleted_experts(user)
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(university__name__icontains=text)
            | Q(department__icontains=text)
            | Q(directions__icontains=text)
        )
    return _deleted_between(qs, deleted_from, deleted_to)


def visible_expert_keys(user: AnyUser) -> set[str]:
    """The recommendation keys of the experts ``user`` may see (none without the permission)."""
    if not user.has_perm("demand.view_expert"):
        return set()
    return {f"e:{pk}" for pk in expert_qs(user).values_list("pk", flat=True)}


# Held import rows ----------------------------------------------------------------------------


def held_qs(user: AnyUser) -> QuerySet[HeldRow]:
    return HeldRow.objects.filter(scope_of(user).q("unit"))


def held_get(user: AnyUser, pk: int) -> HeldRow:
    return get_object_or_404(held_qs(user).select_related("unit", "created_by"), pk=pk)


def held_list(
    *, user: AnyUser, pending: bool | None = True, kind: str = "", q: str = ""
) -> QuerySet[HeldRow]:
    """The held import rows ``user`` may see: pending, done (False) or all (None); of one
    kind; from files whose name contains ``q``."""
    qs = held_qs(user).select_related("unit", "created_by", "resolved_by")
    if q.strip():
        qs = qs.filter(filename__icontains=q.strip())
    if pending is True:
        qs = qs.filter(resolved_at__isnull=True)
    elif pending is False:
        qs = qs.filter(resolved_at__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "row_number", "id")


# The map: needs by industry chain → discipline → degree ----------------------------------------


@dataclass
class Cell:
    needs: int = 0
    people: int = 0
    urgent: int = 0


@dataclass
class DisciplineRow:
    code: str
    name: str
    total: Cell
    by_degree: dict[str, Cell]

    @property
    def cells(self) -> list[tuple[str, Cell | None]]:
        """One cell per degree, in the order of ``NeedDegree`` (None where no need)."""
        return [(value, self.by_degree.get(value)) for value in NeedDegree.values]


@dataclass
class IndustryRow:
    code: str
    name: str
    group: str
    total: Cell
    disciplines: list[DisciplineRow]


def need_aggregates(user: AnyUser, filters: NeedFilters) -> list[IndustryRow]:
    """Needs grouped by local industry, then discipline, then degree: how many needs, how
    many people, how many of them urgent. A need with two disciplines counts under both (and
    once in its industry's total). Two queries."""
    base = apply_need_filters(need_qs(user), NeedFilters(**{**filters.__dict__, "sort": "code"}))
    industry_of = "enterprise__local_industry__code"
    totals = {
        row[industry_of]: Cell(row["n"], row["p"] or 0, row["u"] or 0)
        for row in base.order_by()
        .values(industry_of)
        .annotate(
            n=Count("id"),
            p=Sum("number"),
            u=Sum("number", filter=Q(urgency=Urgency.URGENT)),
        )
    }
    cells: dict[str | None, dict[str | None, dict[str, Cell]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    pairs = (
        TalentNeed.objects.filter(pk__in=base.order_by().values("pk"))
        .values(industry_of, "disciplines__code", "degree")
        .annotate(
            n=Count("id", distinct=True),
            p=Sum("number"),
            u=Sum("number", filter=Q(urgency=Urgency.URGENT)),
        )
        .order_by()
    )
    for row in pairs:
        cells[row[industry_of]][row["disciplines__code"]][row["degree"]] = Cell(
            row["n"], row["p"] or 0, row["u"] or 0
        )
    industries = {i.code: i for i in LocalIndustry.objects.all()}
    disciplines = dict(Discipline.objects.values_list("code", "name"))
    rows: list[IndustryRow] = []
    ordered = sorted(
        totals, key=lambda c: (industries[c].sort_order, c) if c in industries else (10**6, "")
    )
    for code in ordered:
        industry = industries.get(code) if code else None
        discipline_rows = []
        for discipline, degrees in sorted(
            cells[code].items(), key=lambda kv: (kv[0] is None, kv[0] or "")
        ):
            total = Cell()
            for cell in degrees.values():
                total.needs += cell.needs
                total.people += cell.people
                total.urgent += cell.urgent
            discipline_rows.append(
                DisciplineRow(
                    code=discipline or NONE,
                    name=disciplines.get(discipline, discipline or "")
                    if discipline
                    else "未注明学科",
                    total=total,
                    by_degree=degrees,
                )
            )
        rows.append(
            IndustryRow(
                code=code or NONE,
                name=industry.name if industry else "未归类",
                group=industry.get_group_display() if industry else "",
                total=totals[code],
                disciplines=discipline_rows,
            )
        )
    return rows


@dataclass
class TrendRow:
    code: str
    name: str
    values: list[Cell]
    campaigns: list[SurveyCampaign]

    @property
    def cells(self) -> list[tuple[SurveyCampaign, Cell]]:
        return list(zip(self.campaigns, self.values, strict=True))

    @property
    def change(self) -> int:
        """People needed in the last survey minus the first."""
        return self.values[-1].people - self.values[0].people if self.values else 0


def need_trend(user: AnyUser, filters: NeedFilters) -> tuple[list[SurveyCampaign], list[TrendRow]]:
    """People needed by industry in each survey (oldest first), for the campaigns in scope."""
    campaigns = list(campaign_qs(user).order_by("opens_on", "id"))
    filtered = NeedFilters(**{**filters.__dict__, "campaign": None, "sort": "code"})
    base = apply_need_filters(need_qs(user), filtered).filter(campaign__in=campaigns)
    industry_of = "enterprise__local_industry__code"
    data: dict[str | None, dict[int, Cell]] = defaultdict(dict)
    for row in (
        base.order_by()
        .values(industry_of, "campaign_id")
        .annotate(n=Count("id"), p=Sum("number"), u=Sum("number", filter=Q(urgency=Urgency.URGENT)))
    ):
        data[row[industry_of]][row["campaign_id"]] = Cell(row["n"], row["p"] or 0, row["u"] or 0)
    industries = {i.code: i for i in LocalIndustry.objects.all()}
    ordered = sorted(
        data, key=lambda c: (industries[c].sort_order, c) if c in industries else (10**6, "")
    )
    rows = [
        TrendRow(
            code=code or NONE,
            name=industries[code].name if code in industries else "未归类",
            values=[data[code].get(c.pk, Cell()) for c in campaigns],
            campaigns=campaigns,
        )
        for code in ordered
    ]
    used = [c for c in campaigns if any(data[k].get(c.pk) for k in data)]
    keep = [i for i, c in enumerate(campaigns) if c in used]
    for row in rows:
        row.values = [row.values[i] for i in keep]
        row.campaigns = used
    return used, rows
