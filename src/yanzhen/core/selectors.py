"""Reads of units and people, always through the user's data scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.crypto import keyed_hash
from yanzhen.core.filters import Filters, choice, record, text, tristate
from yanzhen.core.models import (
    LOCAL_PARTY_KINDS,
    TIER_KINDS,
    CountySettings,
    Degree,
    DuplicateStatus,
    ImportMapping,
    Person,
    PersonDuplicate,
    Tier,
    Unit,
    UnitKind,
)
from yanzhen.core.scope import scope_of
from yanzhen.engines.idcard import check_id_number, check_mobile, normalize_id_number

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def record_history(instance: models.Model, limit: int = 20) -> QuerySet[Any]:
    """The newest ``limit`` versions of a record the caller already fetched through its scoped
    selector, with who made them (the history panel of a detail page)."""
    history: QuerySet[Any] = instance.history.select_related("history_user")  # type: ignore[attr-defined]
    return history[:limit]


def unit_qs(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_of(user).q("pk"))


def active_units(user: AnyUser) -> QuerySet[Unit]:
    """The active units in the user's scope, in their order: the choices of a form's unit."""
    return unit_qs(user).filter(is_active=True).order_by("sort_order", "id")


@dataclass(frozen=True)
class UnitFilters(Filters):
    """The filters of the units list; the ledger's coverage figures link to them."""

    q: str = text("搜索")
    kind: str = choice("类型", UnitKind)
    tier: str = choice("层级", Tier, hidden=True)
    parent: int | None = record("上级单位", hidden=True)
    industry: str = text("本地产业", hidden=True)
    group: str = text("产业类别", hidden=True)
    leading: bool | None = tristate("龙头企业")
    covered: bool | None = tristate("已有高校合作")


def unit_search(text: str) -> Q:
    """Units matching what a user typed: in the name or short name, the code, or the pinyin
    initials (``yjs`` for 永济市)."""
    text = text.strip()
    return (
        Q(name__icontains=text)
        | Q(short_name__icontains=text)
        | Q(code=text)
        | Q(initials__startswith=text.lower())
    )


def in_unit_order(qs: QuerySet[Unit], *, searched: bool) -> QuerySet[Unit]:
    """Units in their order: by the index ``(sort_order, id)``, unless a text search filters
    them. Then by an expression of the same order, which no index provides: SQLite, which
    keeps no statistics, would otherwise walk that index through all the units (280,000
    nationally), reading each to test the search (300 ms), instead of scanning the table
    once and sorting the matches (65 ms)."""
    if searched:
        return qs.order_by((F("sort_order") + 0).asc(), "id")
    return qs.order_by("sort_order", "id")


def unit_list(*, user: AnyUser, filters: UnitFilters) -> QuerySet[Unit]:
    qs = unit_qs(user).select_related("parent", "local_industry")
    if filters.q:
        qs = qs.filter(unit_search(filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.tier:
        qs = qs.filter(kind__in=TIER_KINDS.get(filters.tier, ()))
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    if filters.industry:
        qs = qs.filter(local_industry__code=filters.industry)
    if filters.group:
        qs = qs.filter(local_industry__group=filters.group)
    if filters.leading is not None:
        qs = qs.filter(is_leading=filters.leading)
    if filters.covered is True:
        qs = qs.filter(cooperation_count__gt=0)
    elif filters.covered is False:
        qs = qs.filter(cooperation_count=0)
    return in_unit_order(qs, searched=bool(filters.q))


def unit_choices(*, user: AnyUser, q: str = "") -> QuerySet[Unit]:
    """The user's units as choices of a form: names and parents' names only, in their order,
    searched as in the unit list."""
    qs = unit_qs(user).select_related("parent").only("id", "name", "parent__name")
    if q.strip():
        qs = qs.filter(unit_search(q))
    return in_unit_order(qs, searched=bool(q.strip()))


def unit_get(user: AnyUser, pk: int) -> Unit:
    return get_object_or_404(unit_qs(user).select_related("parent", "local_industry"), pk=pk)


def unit_parents(user: AnyUser, *, unit: Unit | None = None) -> QuerySet[Unit]:
    """The units ``unit`` (or a new one) may be placed under: the user's, but itself."""
    qs = unit_qs(user).order_by("sort_order", "id")
    return qs.exclude(pk=unit.pk) if unit is not None else qs


def unit_children(user: AnyUser, unit: Unit) -> QuerySet[Unit]:
    return unit_qs(user).filter(parent=unit).order_by("sort_order", "id")


def unit_people(user: AnyUser, unit: Unit) -> list[Person]:
    """The first 50 people of ``unit`` (none without the permission to see people)."""
    if not user.has_perm("core.view_person"):
        return []
    return list(person_qs(user).filter(unit=unit).order_by("id")[:50])


def local_units(user: AnyUser) -> QuerySet[Unit]:
    """Units in scope that can be a local party of a cooperation."""
    return unit_qs(user).filter(kind__in=LOCAL_PARTY_KINDS, is_active=True)


def person_qs(user: AnyUser) -> QuerySet[Person]:
    return Person.objects.filter(scope_of(user).q("unit"))


def person_choices(*, user: AnyUser, q: str = "") -> QuerySet[Person]:
    """The user's people as choices of a form: names and units' names only,
    searched by name or unit name, in the order of the people's own lists."""
    qs = person_qs(user).select_related("unit").only("id", "name", "unit__name")
    if text := q.strip():
        qs = qs.filter(Q(name__icontains=text) | Q(unit__name__icontains=text))
    return qs.order_by("id")


def exact_personal_data(text: str, prefix: str = "") -> Q | None:
    """When ``text`` is an ID number or a mobile: the people (through ``prefix``, e.g.
    ``"person__"``) who have exactly it, found through its keyed hash (blind index) — the
    values are encrypted, and the typed value itself is never sent to the database. ``None``
    when ``text`` is neither (search the names then)."""
    number = normalize_id_number(text)
    if check_id_number(number) is None:
        return Q(**{f"{prefix}id_number_hash": keyed_hash(number)})
    if check_mobile(text) is None:
        return Q(**{f"{prefix}mobile_hash": keyed_hash(text.strip())})
    return None


@dataclass(frozen=True)
class PersonFilters(Filters):
    q: str = text("搜索")
    degree: str = choice("学位", Degree)
    unit: int | None = record("所在单位", hidden=True)


def person_list(*, user: AnyUser, filters: PersonFilters) -> QuerySet[Person]:
    qs = person_qs(user).select_related("unit", "discipline")
    q, unit, degree = filters.q.strip(), filters.unit, filters.degree
    if q:
        exact = exact_personal_data(q)
        qs = qs.filter(
            exact
            if exact is not None
            else Q(name__icontains=q) | Q(position__icontains=q) | Q(unit__name__icontains=q)
        )
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if degree:
        qs = qs.filter(degree=degree)
    return qs.order_by("unit__sort_order", "unit_id", "id")


def duplicate_qs(user: AnyUser) -> QuerySet[PersonDuplicate]:
    """Pairs of people with the same ID number whose two people are both in the user's scope
    (those the user may resolve)."""
    scope = scope_of(user)
    return PersonDuplicate.objects.filter(scope.q("person__unit", None)).filter(
        scope.q("existing__unit", None)
    )


@dataclass(frozen=True)
class DuplicateFilters(Filters):
    status: str = choice("状态", DuplicateStatus)


def duplicate_list(*, user: AnyUser, filters: DuplicateFilters) -> QuerySet[PersonDuplicate]:
    qs = duplicate_qs(user).select_related(
        "person__unit", "existing__unit", "created_by", "resolved_by"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-id")


def duplicate_get(user: AnyUser, pk: int) -> PersonDuplicate:
    return get_object_or_404(
        duplicate_qs(user).select_related("person__unit", "existing__unit"), pk=pk
    )


def person_get(user: AnyUser, pk: int) -> Person:
    return get_object_or_404(person_qs(user).select_related("unit", "discipline"), pk=pk)


def county_offices(county: Unit) -> QuerySet[Unit]:
    """The units directly below a county but its villages: which may be its 省校合作办."""
    return Unit.objects.filter(parent=county).exclude(kind=UnitKind.VILLAGE)


def county_settings_of(county: Unit) -> CountySettings | None:
    """The settings of a county the caller found in the user's scope, if it has them."""
    return CountySettings.objects.filter(county=county).first()


def county_settings_get(user: AnyUser, pk: int) -> CountySettings:
    """The settings ``pk`` of a county in the user's scope (404 otherwise)."""
    counties_in_scope = unit_qs(user).filter(kind=UnitKind.COUNTY)
    return get_object_or_404(CountySettings.objects.filter(county__in=counties_in_scope), pk=pk)


def import_mapping_names(register: str) -> QuerySet[ImportMapping, str]:
    """The names of the column mappings saved for a register (shared by every importer)."""
    return ImportMapping.objects.filter(register=register).values_list("name", flat=True)
