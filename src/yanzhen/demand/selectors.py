"""Reads of the demand map. Every selector takes the user and applies the data scope:

* needs — through their unit (the enterprise): an enterprise's login sees its own;
* surveys — organised by a unit in scope, or asking a unit in scope (whose answers only show);
* experts — through the unit that registered them; held import rows — through the importer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

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
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.filters import Filters, choice, day, record, text
from yanzhen.core.models import UnitKind
from yanzhen.core.scope import scope_of
from yanzhen.core.selectors import local_units, unit_qs
from yanzhen.demand.disciplines import discipline_choices
from yanzhen.demand.models import (
    CampaignTarget,
    Expert,
    HeldRow,
    ImportKind,
    NeedDegree,
    NeedSource,
    NeedStatus,
    SurveyCampaign,
    TalentNeed,
    Urgency,
)
from yanzhen.engines.stages import Stage
from yanzhen.reference.models import Discipline, LocalIndustry, University

if TYPE_CHECKING:
    from yanzhen.core.models import Unit, User
    from yanzhen.core.scope import AnyUser

M = TypeVar("M", TalentNeed, Expert)

NONE = "none"  # filter value: "no industry" / "no discipline"


# Needs ---------------------------------------------------------------------------------------


def need_qs(user: AnyUser) -> QuerySet[TalentNeed]:
    return TalentNeed.objects.filter(scope_of(user).q("enterprise"))


def need_choices(user: AnyUser) -> QuerySet[TalentNeed]:
    """The needs in the user's scope with their enterprise, by enterprise and position: the
    choices of a recruitment position's need."""
    return need_qs(user).select_related("enterprise").order_by("enterprise_id", "position")


def need_get(user: AnyUser, pk: int) -> TalentNeed:
    qs = need_qs(user).select_related(
        "enterprise", "enterprise__local_industry", "campaign", "created_by", "updated_by"
    )
    return get_object_or_404(qs, pk=pk)


def need_detail(user: AnyUser, pk: int) -> TalentNeed:
    """The need ``pk`` with its disciplines (by code) and preferred universities."""
    qs = need_qs(user).select_related(
        "enterprise", "enterprise__local_industry", "campaign", "created_by", "updated_by"
    )
    return get_object_or_404(with_universities(_with_disciplines(qs)), pk=pk)


def _with_disciplines(qs: QuerySet[M]) -> QuerySet[M]:
    return qs.prefetch_related(
        Prefetch("disciplines", queryset=Discipline.objects.order_by("code"))
    )


def recent_history(record: TalentNeed | Expert) -> list[Any]:
    """The last 20 versions of ``record``, with who made them."""
    return list(record.history.select_related("history_user")[:20])


def need_defaults(user: User, campaign: int | None) -> dict[str, int]:
    """The initial values of a new need: the user's own unit when it may file needs, and the
    survey ``campaign`` (from a link) when the user sees it."""
    initial = {}
    if user.unit_id is not None and need_enterprises(user).filter(pk=user.unit_id).exists():
        initial["enterprise"] = user.unit_id
    if campaign is not None and campaign_qs(user).filter(pk=campaign).exists():
        initial["campaign"] = campaign
    return initial


def _industry_choices(user: AnyUser) -> list[tuple[str, str]]:
    return [*LocalIndustry.objects.values_list("code", "name"), (NONE, _("未归类"))]


def _discipline_choices(user: AnyUser) -> list[tuple[str, str]]:
    return discipline_choices()


def _discipline_or_none(user: AnyUser) -> list[tuple[str, str]]:
    return [*discipline_choices(), (NONE, _("未注明学科"))]


def campaign_choices(user: AnyUser) -> QuerySet[SurveyCampaign]:
    """The surveys ``user`` sees, newest first: the choices of a need's survey."""
    return campaign_qs(user).order_by("-opens_on", "-id")


NEED_SORT_CHOICES = (
    ("urgency", "紧迫程度"),
    ("-number", "需求人数（多→少）"),
    ("deadline", "到岗期限"),
    ("code", "需求编号"),
)


@dataclass(frozen=True)
class NeedFilters(Filters):
    """The filters of the needs list and the map; every figure of the map links to one."""

    q: str = text("搜索")
    industry: str = choice("产业", _industry_choices)  # NONE: no industry
    discipline: str = choice("学科", _discipline_or_none)  # NONE: no discipline
    degree: str = choice("学历", NeedDegree)
    urgency: str = choice("紧迫程度", Urgency)
    status: str = choice("状态", NeedStatus)
    campaign: int | None = record("所属调查", records=campaign_choices)
    source: str = choice("来源", NeedSource)
    enterprise: int | None = record("需求单位", hidden=True)
    university: int | None = record("意向高校", hidden=True)
    sort: str = choice("排序", NEED_SORT_CHOICES, empty="填报日期（新→旧）")


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
    return _with_disciplines(
        apply_need_filters(need_qs(user), filters).select_related(
            "enterprise", "enterprise__local_industry", "campaign"
        )
    )


def need_graph_rows(*, user: AnyUser, filters: NeedFilters) -> list[TalentNeed]:
    """The filtered needs of the map's graph, with their industries and disciplines."""
    return list(
        apply_need_filters(need_qs(user), filters)
        .select_related("enterprise", "enterprise__local_industry")
        .prefetch_related("disciplines")
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


TRASH_KINDS = (("need", "人才需求"), ("expert", "专家"))


@dataclass(frozen=True)
class TrashFilters(Filters):
    """The trash: deleted needs (or experts, ``kind=expert``), by text and date of deletion."""

    kind: str = choice("类型", TRASH_KINDS, hidden=True)  # "": needs
    q: str = text("搜索")
    deleted_from: dt.date | None = day("删除日期从")
    deleted_to: dt.date | None = day("至")


def _deleted_between(qs: QuerySet[Any], filters: TrashFilters) -> QuerySet[Any]:
    if filters.deleted_from is not None:
        qs = qs.filter(deleted_at__date__gte=filters.deleted_from)
    if filters.deleted_to is not None:
        qs = qs.filter(deleted_at__date__lte=filters.deleted_to)
    return qs


def deleted_need_list(*, user: AnyUser, filters: TrashFilters) -> QuerySet[TalentNeed]:
    """The trash of needs, filtered: ``q`` in the code, position or enterprise; deleted on or
    after ``deleted_from`` and on or before ``deleted_to`` (local dates)."""
    qs = deleted_needs(user)
    if found := filters.q.strip():
        qs = qs.filter(
            Q(code__icontains=found)
            | Q(position__icontains=found)
            | Q(enterprise__name__icontains=found)
        )
    return _deleted_between(qs, filters)


def need_enterprise_get(user: AnyUser, pk: int) -> Unit | None:
    """The unit ``pk`` if it may file needs and is in the user's scope."""
    return need_enterprises(user).filter(pk=pk).first()


def disciplines_by_code(codes: Sequence[str]) -> dict[str, Discipline]:
    """The first-level disciplines of ``codes``, by code (unknown codes left out)."""
    found = Discipline.objects.filter(code__in=codes, parent__isnull=False)
    return {d.code: d for d in found}


def cooperations_by_id(user: AnyUser, ids: Sequence[int]) -> list[Cooperation]:
    """The cooperations of ``ids`` that ``user`` sees (an expert's local projects)."""
    return list(cooperation_qs(user).filter(pk__in=ids))


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


def campaign_find(user: AnyUser, pk: int) -> SurveyCampaign | None:
    """The survey ``pk`` if the user sees it, else None."""
    return campaign_qs(user).filter(pk=pk).first()


def campaign_get(user: AnyUser, pk: int) -> SurveyCampaign:
    return get_object_or_404(campaign_qs(user).select_related("owner_unit"), pk=pk)


@dataclass(frozen=True)
class CampaignFilters(Filters):
    q: str = text("搜索")


def campaign_list(*, user: AnyUser, filters: CampaignFilters) -> QuerySet[SurveyCampaign]:
    qs = campaign_qs(user).select_related("owner_unit")
    if filters.q.strip():
        qs = qs.filter(title__icontains=filters.q.strip())
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


def campaign_counts(user: AnyUser, campaign: SurveyCampaign) -> dict[str, int]:
    """How many units ``campaign`` asked (that ``user`` sees), answered, pending; its needs."""
    targets = campaign_targets(user, campaign).order_by()
    total = targets.count()
    answered = targets.filter(answered_at__isnull=False).count()
    needs = need_qs(user).filter(campaign=campaign).count()
    return {"targets": total, "answered": answered, "pending": total - answered, "needs": needs}


def campaign_own_target(user: User, campaign: SurveyCampaign) -> CampaignTarget | None:
    """The user's own unit among those ``campaign`` asked, if it is."""
    return campaign_targets(user, campaign).filter(enterprise_id=user.unit_id).first()


def answering_unit(user: User, pk: int | None) -> Unit | None:
    """The unit answering a survey: ``pk`` (the user's own unit when None), in scope."""
    unit_id = pk if pk is not None else user.unit_id
    return unit_qs(user).filter(pk=unit_id).first() if unit_id is not None else None


def survey_enterprises(user: AnyUser) -> QuerySet[Unit]:
    """The units a survey may ask: enterprises, hospitals and other local units in scope."""
    return need_enterprises(user).filter(
        kind__in=[UnitKind.ENTERPRISE, UnitKind.HOSPITAL, UnitKind.OTHER]
    )


def default_survey_targets(user: AnyUser) -> list[int]:
    """The units a new survey asks unless changed: the enterprises in scope."""
    return list(
        need_enterprises(user).filter(kind=UnitKind.ENTERPRISE).values_list("pk", flat=True)
    )


def campaign_target_ids(campaign: SurveyCampaign) -> list[int]:
    return list(campaign.targets.values_list("enterprise_id", flat=True))


def campaign_manageable(user: AnyUser, campaign: SurveyCampaign) -> bool:
    """Whether ``user`` may change ``campaign``: its organiser is in the user's scope."""
    return unit_qs(user).filter(pk=campaign.owner_unit_id).exists()


# Experts -------------------------------------------------------------------------------------


def expert_qs(user: AnyUser) -> QuerySet[Expert]:
    return Expert.objects.filter(scope_of(user).q("owner_unit"))


def expert_get(user: AnyUser, pk: int) -> Expert:
    return get_object_or_404(expert_qs(user).select_related("university", "owner_unit"), pk=pk)


def expert_detail(user: AnyUser, pk: int) -> Expert:
    """The expert ``pk`` with its disciplines (by code) and local projects."""
    qs = _with_disciplines(expert_qs(user).select_related("university", "owner_unit"))
    return get_object_or_404(qs.prefetch_related("projects"), pk=pk)


def expert_projects(user: AnyUser, expert: Expert) -> QuerySet[Cooperation]:
    """The cooperations ``expert`` took part in that ``user`` may see."""
    return expert.projects.filter(pk__in=cooperation_qs(user).values("pk"))


def expert_owners(user: AnyUser) -> QuerySet[Unit]:
    """The units that may register experts (or organise surveys): all in scope but enterprises."""
    return unit_qs(user).exclude(kind=UnitKind.ENTERPRISE).order_by("sort_order", "id")


def expert_cooperations(user: AnyUser) -> QuerySet[Cooperation]:
    """The cooperations an expert form offers, newest first."""
    return cooperation_qs(user).order_by("-intention_date").only("pk", "code", "title")


def experts_at(user: AnyUser, university: University) -> QuerySet[Expert]:
    """The experts of ``university`` that ``user`` may see (none without the permission)."""
    if not user.has_perm("demand.view_expert"):
        return Expert.objects.none()
    return expert_qs(user).filter(university=university).prefetch_related("disciplines")


@dataclass(frozen=True)
class ExpertFilters(Filters):
    q: str = text("搜索（姓名、方向、高校）")
    discipline: str = choice("学科", _discipline_choices)
    province: str = text("省份")
    university: int | None = record("所在高校", hidden=True)


def expert_list(*, user: AnyUser, filters: ExpertFilters) -> QuerySet[Expert]:
    qs = expert_qs(user).select_related("university")
    if found := filters.q.strip():
        qs = qs.filter(
            Q(name__icontains=found)
            | Q(directions__icontains=found)
            | Q(university__name__icontains=found)
            | Q(title__icontains=found)
        )
    if filters.university is not None:
        qs = qs.filter(university_id=filters.university)
    if filters.discipline:
        through = Expert.disciplines.through.objects.filter(
            expert_id=OuterRef("pk"), discipline__code=filters.discipline
        )
        qs = qs.filter(Exists(through))
    if province := filters.province.strip():
        qs = qs.filter(university__province__startswith=province)
    projects = Prefetch("projects", queryset=Cooperation.objects.only("pk", "code"))
    return (
        _with_disciplines(qs).prefetch_related(projects).order_by("university__code", "name", "id")
    )


def deleted_experts(user: AnyUser) -> QuerySet[Expert]:
    return (
        Expert.all_objects.filter(deleted_at__isnull=False)
        .filter(scope_of(user).q("owner_unit"))
        .select_related("university", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def deleted_expert_get(user: AnyUser, pk: int) -> Expert:
    return get_object_or_404(deleted_experts(user), pk=pk)


def deleted_expert_list(*, user: AnyUser, filters: TrashFilters) -> QuerySet[Expert]:
    """The trash of experts, filtered as ``deleted_need_list`` (``q`` in the name, university,
    department or research directions)."""
    qs = deleted_experts(user)
    if found := filters.q.strip():
        qs = qs.filter(
            Q(name__icontains=found)
            | Q(university__name__icontains=found)
            | Q(department__icontains=found)
            | Q(directions__icontains=found)
        )
    return _deleted_between(qs, filters)


def visible_expert_keys(user: AnyUser) -> set[str]:
    """The recommendation keys of the experts ``user`` may see (none without the permission)."""
    if not user.has_perm("demand.view_expert"):
        return set()
    return {f"e:{pk}" for pk in expert_qs(user).values_list("pk", flat=True)}


def university_cooperations(user: AnyUser, university: University) -> QuerySet[Cooperation]:
    """The last 50 cooperations with ``university`` that ``user`` sees (not dropped)."""
    visible = cooperation_qs(user).exclude(stage=Stage.DROPPED)
    return visible.filter(universities=university).order_by("-intention_date")[:50]


def industry_get(code: str) -> LocalIndustry:
    return get_object_or_404(LocalIndustry, code=code)


def visit_industries(user: AnyUser) -> list[tuple[LocalIndustry, int]]:
    """Each local industry with the number of open needs ``user`` sees in it."""
    counts = dict(
        need_qs(user)
        .filter(status=NeedStatus.OPEN)
        .values_list("enterprise__local_industry__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(i, counts.get(i.code, 0)) for i in LocalIndustry.objects.all()]


# Held import rows ----------------------------------------------------------------------------


def held_qs(user: AnyUser) -> QuerySet[HeldRow]:
    return HeldRow.objects.filter(scope_of(user).q("unit"))


def held_get(user: AnyUser, pk: int) -> HeldRow:
    return get_object_or_404(held_qs(user).select_related("unit", "created_by"), pk=pk)


HELD_STATES = (("pending", "待处理"), ("done", "已处理"), ("all", "全部"))


@dataclass(frozen=True)
class HeldFilters(Filters):
    """The rows held at import: pending ("" too), done or all; of needs or of experts."""

    state: str = choice("状态", HELD_STATES, hidden=True)
    kind: str = choice("导入类型", ImportKind)
    q: str = text("文件")


def held_list(*, user: AnyUser, filters: HeldFilters) -> QuerySet[HeldRow]:
    """The held import rows ``user`` may see, of the state, kind and file asked for."""
    qs = held_qs(user).select_related("unit", "created_by", "resolved_by")
    if filters.q.strip():
        qs = qs.filter(filename__icontains=filters.q.strip())
    if filters.state in ("", "pending"):
        qs = qs.filter(resolved_at__isnull=True)
    elif filters.state == "done":
        qs = qs.filter(resolved_at__isnull=False)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
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
    base = apply_need_filters(need_qs(user), replace(filters, sort="code"))
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
                    else _("未注明学科"),
                    total=total,
                    by_degree=degrees,
                )
            )
        rows.append(
            IndustryRow(
                code=code or NONE,
                name=industry.name if industry else _("未归类"),
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
    filtered = replace(filters, campaign=None, sort="code")
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
            name=industries[code].name if code in industries else _("未归类"),
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
