"""Reads of programmes and internships (scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import Filters, choice, day, flag, number, record, text
from yanzhen.core.models import Unit
from yanzhen.core.scope import scope_of
from yanzhen.placement.models import (
    AllocationRun,
    Assignment,
    AssignmentChange,
    Host,
    HostRanking,
    Internship,
    InternshipStatus,
    PlacementApplicant,
    Preference,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
)

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser
from yanzhen.talent.selectors.common import _unit_q


def programme_qs(user: AnyUser) -> QuerySet[Programme]:
    scope = scope_of(user)
    if scope.everything:
        return Programme.objects.all()
    hosting = Host.objects.filter(scope.q("unit", None)).values("programme_id")
    return Programme.objects.filter(scope.q("owner_unit") | Q(pk__in=hosting))


@dataclass(frozen=True)
class ProgrammeFilters(Filters):
    q: str = text("搜索")
    kind: str = choice("项目类型", ProgrammeKind)
    year: int | None = number("年度", low=1990, high=2100)
    status: str = choice("状态", ProgrammeStatus)


def programme_list(*, user: AnyUser, filters: ProgrammeFilters) -> QuerySet[Programme]:
    qs = programme_qs(user).select_related("owner_unit")
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.annotate(
        n_hosts=Count("hosts", distinct=True), n_applicants=Count("applicants", distinct=True)
    ).order_by("-year", "-id")


def programme_get(user: AnyUser, pk: int) -> Programme:
    return get_object_or_404(programme_qs(user).select_related("owner_unit"), pk=pk)


def programme_manageable(user: AnyUser, programme: Programme) -> bool:
    return scope_of(user).contains_unit(programme.owner_unit)


def programme_hosts(
    user: AnyUser, programme: Programme, *, manageable: bool
) -> list[tuple[Host, int, bool]]:
    """The hosts of ``programme`` in their order, each with how many applicants it ranked and
    whether the user acts for it (the organiser for every host, a unit for those in its
    scope): two queries, however many hosts."""
    hosts = list(
        programme.hosts.select_related("unit")
        .annotate(n_ranked=Count("rankings"))
        .order_by("unit__sort_order", "pk")
    )
    if manageable:
        mine = {h.unit_id for h in hosts}
    else:
        units = scope_of(user).units().filter(pk__in=[h.unit_id for h in hosts])
        mine = set(units.values_list("pk", flat=True))
    return [(h, h.n_ranked, h.unit_id in mine) for h in hosts]


def host_get(user: AnyUser, pk: int) -> Host:
    scope = scope_of(user)
    qs = Host.objects.filter(scope.q("programme__owner_unit") | scope.q("unit", None))
    return get_object_or_404(qs.select_related("programme", "unit"), pk=pk)


def placement_applicant_get(user: AnyUser, pk: int) -> PlacementApplicant:
    qs = PlacementApplicant.objects.filter(
        programme__in=Programme.objects.filter(scope_of(user).q("owner_unit"))
    )
    return get_object_or_404(qs.select_related("programme", "person"), pk=pk)


def internship_qs(user: AnyUser) -> QuerySet[Internship]:
    scope = scope_of(user)
    return Internship.objects.filter(scope.q("host_unit") | scope.q("programme__owner_unit", None))


def internship_programmes(user: AnyUser) -> QuerySet[Programme]:
    """The programmes of the internships the user sees (choices of the filters)."""
    ids = internship_qs(user).filter(programme__isnull=False).values("programme_id")
    return Programme.objects.filter(pk__in=ids).order_by("-year", "name", "pk")


def internship_host_units(user: AnyUser) -> QuerySet[Unit]:
    """The host units of the internships the user sees (choices of the filters)."""
    ids = internship_qs(user).values("host_unit_id")
    return Unit.objects.filter(pk__in=ids).order_by("sort_order", "pk")


@dataclass(frozen=True)
class InternshipFilters(Filters):
    """The filters of the internship list and of the conversion statistics (the same
    names: every figure of the statistics opens the internships it counts)."""

    q: str = text("搜索")
    status: str = choice("状态", InternshipStatus)
    programme: int | None = record("分配项目", records=internship_programmes, hidden=True)
    university: int | None = record("所在高校", hidden=True)
    no_university: bool = flag("未填高校", hidden=True)
    unit: int | None = record("接收单位", records=internship_host_units, hidden=True)
    sub: bool = flag("含下级单位", hidden=True)
    year: int | None = number("实习年份", low=1990, high=2100)  # of the start date
    start_from: dt.date | None = day("开始日期自", hidden=True)
    start_to: dt.date | None = day("开始日期至", hidden=True)


def internship_filtered(*, user: AnyUser, filters: InternshipFilters) -> QuerySet[Internship]:
    """The internships in the user's scope matching ``filters`` (no joins, no order): the
    list, its export and the conversion statistics count the same rows."""
    qs = internship_qs(user)
    if filters.q:
        qs = qs.filter(
            Q(talent__person__name__icontains=filters.q) | Q(host_unit__name__icontains=filters.q)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.programme is not None:
        qs = qs.filter(programme_id=filters.programme)
    if filters.university is not None:
        qs = qs.filter(university_id=filters.university)
    if filters.no_university:
        qs = qs.filter(university__isnull=True)
    qs = qs.filter(_unit_q("host_unit", filters.unit, filters.sub))
    if filters.start_from is not None:
        qs = qs.filter(start_date__gte=filters.start_from)
    if filters.year is not None:
        qs = qs.filter(start_date__year=filters.year)
    if filters.start_to is not None:
        qs = qs.filter(start_date__lte=filters.start_to)
    return qs


def internship_list(*, user: AnyUser, filters: InternshipFilters) -> QuerySet[Internship]:
    qs = internship_filtered(user=user, filters=filters).select_related(
        "talent__person", "host_unit", "university", "programme"
    )
    return qs.annotate(
        n_logs=Count("logs", distinct=True), n_feedback=Count("feedback", distinct=True)
    ).order_by("host_unit__sort_order", "host_unit_id", "talent__person__name", "pk")


def internship_get(user: AnyUser, pk: int) -> Internship:
    return get_object_or_404(
        internship_qs(user).select_related(
            "talent__person", "host_unit", "university", "programme", "hired_talent"
        ),
        pk=pk,
    )


# Reads of a programme's records, for a programme (or host, or applicant) the caller fetched
# through ``programme_get`` / ``host_get`` / ``placement_applicant_get`` -------------------------


def programme_owner_ids(user: AnyUser) -> set[int] | None:
    """The units in the user's scope (None: every unit), in one query: whose programmes'
    results the user may open."""
    scope = scope_of(user)
    return None if scope.everything else set(scope.units().values_list("pk", flat=True))


ApplicantRow = tuple[PlacementApplicant, list[str]]


def programme_applicants(
    programme: Programme, *, manageable: bool, mine: set[int]
) -> list[ApplicantRow]:
    """The programme's applicants by code, each with the units of its choices in their rank;
    a host's reader (not ``manageable``) sees only those who chose or were ranked by one of
    its hosts (``mine``)."""
    applicants = programme.applicants.select_related("person", "university").order_by("code")
    if not manageable:
        applicants = applicants.filter(
            Q(choices__host_id__in=mine) | Q(rankings__host_id__in=mine)
        ).distinct()
    applicant_list = list(applicants)
    choices: dict[int, list[str]] = {a.pk: [] for a in applicant_list}
    for pref in (
        Preference.objects.filter(applicant__in=applicant_list)
        .select_related("host__unit")
        .order_by("applicant_id", "rank")
    ):
        choices[pref.applicant_id].append(pref.host.unit.label)
    return [(a, choices[a.pk]) for a in applicant_list]


def last_run(programme: Programme) -> AllocationRun | None:
    """The programme's latest allocation run, with who ran it."""
    return AllocationRun.objects.filter(programme=programme).select_related("run_by").first()


def hosts_of(programme: Programme) -> QuerySet[Host]:
    return Host.objects.filter(programme=programme).select_related("unit")


def applicant_choices(applicant: PlacementApplicant) -> QuerySet[Preference]:
    """An applicant's choices in their rank, with the host's unit."""
    return applicant.choices.select_related("host__unit").order_by("rank")


def applicant_rankings(applicant: PlacementApplicant) -> QuerySet[HostRanking]:
    """The hosts' rankings of an applicant, in the order of the hosts' units."""
    return applicant.rankings.select_related("host__unit").order_by("host__unit__sort_order")


def host_rankings(host: Host) -> dict[int, HostRanking]:
    """A host's rankings by applicant id."""
    return {r.applicant_id: r for r in host.rankings.all()}


def host_choice_ranks(host: Host) -> dict[int, int]:
    """The rank each applicant who chose the host gave it, by applicant id."""
    return dict(Preference.objects.filter(host=host).values_list("applicant_id", "rank"))


def host_candidates(
    host: Host, chosen: dict[int, int], ranked: dict[int, HostRanking]
) -> list[PlacementApplicant]:
    """The applicants a host ranks: those who chose it and those it ranked before, by code."""
    return list(
        host.programme.applicants.filter(Q(pk__in=chosen) | Q(pk__in=ranked))
        .select_related("person", "university", "discipline")
        .order_by("code")
    )


def has_manual_moves(programme: Programme) -> bool:
    return Assignment.objects.filter(applicant__programme=programme, manual=True).exists()


def assignment_changes(programme: Programme) -> QuerySet[AssignmentChange]:
    """The manual adjustments of a programme's result, with who and where."""
    return AssignmentChange.objects.filter(applicant__programme=programme).select_related(
        "applicant__person", "from_host__unit", "to_host__unit", "created_by"
    )


def current_assignment(applicant: PlacementApplicant) -> Assignment | None:
    return Assignment.objects.filter(applicant=applicant).select_related("host__unit").first()
