"""Reads of the catalogue, entitlements, deliveries and apartments (scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from yanzhen.benefits.models import (
    MONTHLY_KINDS,
    OPEN_ALLOCATION,
    AllocationStatus,
    Apartment,
    Benefit,
    BenefitKind,
    Delivery,
    EligibilityRule,
    Entitlement,
    EntitlementStatus,
    Room,
    RoomAllocation,
)
from yanzhen.benefits.services.reminders import CATEGORY_LABELS
from yanzhen.core.filters import Filters, choice, day, flag, month, record, text, tristate
from yanzhen.core.models import Unit, UnitClosure
from yanzhen.core.scope import scope_of

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser
from yanzhen.talent.models import Talent
from yanzhen.talent.selectors.common import _unit_q
from yanzhen.talent.selectors.registry import talent_qs


def _ancestors(user: AnyUser) -> QuerySet[UnitClosure, Any]:
    unit_id = getattr(user, "unit_id", None)
    return UnitClosure.objects.filter(descendant_id=unit_id).values("ancestor_id")


def benefit_qs(user: AnyUser) -> QuerySet[Benefit]:
    scope = scope_of(user)
    if scope.everything:
        return Benefit.objects.all()
    condition = scope.q("owner_unit") | scope.q("paying_unit", None)
    if getattr(user, "unit_id", None) is not None:
        condition |= Q(owner_unit__in=_ancestors(user))
    return Benefit.objects.filter(condition)


@dataclass(frozen=True)
class BenefitFilters(Filters):
    q: str = text("搜索")
    kind: str = choice("待遇类别", BenefitKind)
    active: bool | None = tristate("启用")


def benefit_list(*, user: AnyUser, filters: BenefitFilters) -> QuerySet[Benefit]:
    qs = benefit_qs(user).select_related("owner_unit", "paying_unit")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs.annotate(
        n_rules=Count("rules", distinct=True), n_entitlements=Count("entitlements", distinct=True)
    ).order_by("sort_order", "id")


def benefit_get(user: AnyUser, pk: int) -> Benefit:
    return get_object_or_404(benefit_qs(user).select_related("owner_unit", "paying_unit"), pk=pk)


def benefit_manageable(user: AnyUser, benefit: Benefit) -> bool:
    return scope_of(user).contains_unit(benefit.owner_unit)


def rule_get(user: AnyUser, pk: int) -> EligibilityRule:
    return get_object_or_404(
        EligibilityRule.objects.filter(benefit__in=benefit_qs(user)).select_related("benefit"),
        pk=pk,
    )


def entitlement_qs(user: AnyUser) -> QuerySet[Entitlement]:
    scope = scope_of(user)
    return Entitlement.objects.filter(
        scope.q("talent__employer") | scope.q("benefit__paying_unit", None)
    )


@dataclass(frozen=True)
class EntitlementFilters(Filters):
    q: str = text("搜索")
    benefit: int | None = record("待遇项目", hidden=True)
    kind: str = choice("待遇类别", BenefitKind)
    status: str = choice("状态", EntitlementStatus)
    unit: int | None = record("用人单位", hidden=True)
    sub: bool = flag("含下级单位", hidden=True)
    current: bool | None = tristate("享受期内")
    expiring: bool = flag("30天内到期")
    talent: int | None = record("人才", hidden=True)


EXPIRING_DAYS = 30


def entitlement_list(
    *, user: AnyUser, filters: EntitlementFilters, today: dt.date
) -> QuerySet[Entitlement]:
    qs = entitlement_qs(user).select_related(
        "talent__person", "talent__employer", "benefit", "rule"
    )
    if filters.q:
        qs = qs.filter(
            Q(talent__person__name__icontains=filters.q) | Q(benefit__name__icontains=filters.q)
        )
    if filters.benefit is not None:
        qs = qs.filter(benefit_id=filters.benefit)
    if filters.kind:
        qs = qs.filter(benefit__kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.talent is not None:
        qs = qs.filter(talent_id=filters.talent)
    qs = qs.filter(_unit_q("talent__employer", filters.unit, filters.sub))
    running = Q(status=EntitlementStatus.ACTIVE, start_date__lte=today) & (
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    if filters.current is True:
        qs = qs.filter(running)
    elif filters.current is False:
        qs = qs.exclude(running)
    if filters.expiring:
        qs = qs.filter(
            status=EntitlementStatus.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + dt.timedelta(days=EXPIRING_DAYS),
        )
    return qs.annotate(n_deliveries=Count("deliveries")).order_by(
        "talent__person__name", "benefit__sort_order", "pk"
    )


def entitlement_get(user: AnyUser, pk: int) -> Entitlement:
    return get_object_or_404(
        entitlement_qs(user).select_related(
            "talent__person", "talent__employer", "benefit__paying_unit", "rule"
        ),
        pk=pk,
    )


def delivery_qs(user: AnyUser) -> QuerySet[Delivery]:
    return Delivery.objects.filter(entitlement__in=entitlement_qs(user))


@dataclass(frozen=True)
class DeliveryFilters(Filters):
    q: str = text("搜索")
    kind: str = choice("待遇类别", BenefitKind)
    benefit: int | None = record("待遇项目", hidden=True)
    unit: int | None = record("用人单位", hidden=True)
    sub: bool = flag("含下级单位", hidden=True)
    date_from: dt.date | None = day("兑现日期自")
    date_to: dt.date | None = day("至")
    period: dt.date | None = day("所属月份", hidden=True)
    paying_unit: int | None = record("发放单位", hidden=True)


def delivery_list(*, user: AnyUser, filters: DeliveryFilters) -> QuerySet[Delivery]:
    qs = delivery_qs(user).select_related(
        "entitlement__talent__person", "entitlement__talent__employer", "entitlement__benefit"
    )
    if filters.q:
        qs = qs.filter(
            Q(entitlement__talent__person__name__icontains=filters.q) | Q(note__icontains=filters.q)
        )
    if filters.kind:
        qs = qs.filter(entitlement__benefit__kind=filters.kind)
    if filters.benefit is not None:
        qs = qs.filter(entitlement__benefit_id=filters.benefit)
    qs = qs.filter(_unit_q("entitlement__talent__employer", filters.unit, filters.sub))
    if filters.date_from is not None:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.period is not None:
        qs = qs.filter(period=filters.period.replace(day=1))
    if filters.paying_unit is not None:
        qs = qs.filter(entitlement__benefit__paying_unit_id=filters.paying_unit)
    return qs.order_by("-date", "-id")


def delivery_get(user: AnyUser, pk: int) -> Delivery:
    return get_object_or_404(delivery_qs(user).select_related("entitlement"), pk=pk)


def paying_units(user: AnyUser) -> QuerySet[Unit]:
    """Units in scope that pay a monthly benefit."""
    payers = Benefit.objects.filter(kind__in=MONTHLY_KINDS).values("paying_unit_id")
    return Unit.objects.filter(scope_of(user).q("pk", None), pk__in=payers).order_by(
        "sort_order", "id"
    )


@dataclass(frozen=True)
class PaymentFilters(Filters):
    """The monthly payment list: a paying unit (in the user's scope) and a month."""

    paying_unit: int | None = record("发放单位", records=lambda user: paying_units(user))
    month: dt.date | None = month("月份")


@dataclass(frozen=True)
class ReminderFilters(Filters):
    on: dt.date | None = day("日期")  # today when not given
    category: str = choice("类别", CATEGORY_LABELS, hidden=True)


def apartment_qs(user: AnyUser) -> QuerySet[Apartment]:
    return Apartment.objects.filter(scope_of(user).q("owner_unit"))


@dataclass(frozen=True)
class Occupancy:
    apartment: Apartment
    rooms: int
    beds: int
    occupied: int
    reserved: int

    @property
    def free(self) -> int:
        return self.beds - self.occupied - self.reserved

    @property
    def rate(self) -> Decimal:
        if not self.beds:
            return Decimal(0)
        return (Decimal(self.occupied) * 100 / self.beds).quantize(Decimal("0.1"))


def occupancy(apartments: QuerySet[Apartment]) -> list[Occupancy]:
    """Beds, beds checked in and beds allocated but not yet moved into, per apartment."""
    beds = {
        row["pk"]: row
        for row in apartments.annotate(n_rooms=Count("rooms"), n_beds=Sum("rooms__beds")).values(
            "pk", "n_rooms", "n_beds"
        )
    }
    counts = {
        (row["room__apartment_id"], row["status"]): row["n"]
        for row in RoomAllocation.objects.filter(
            room__apartment__in=apartments, status__in=OPEN_ALLOCATION
        )
        .values("room__apartment_id", "status")
        .annotate(n=Count("pk"))
    }
    return [
        Occupancy(
            a,
            beds[a.pk]["n_rooms"],
            beds[a.pk]["n_beds"] or 0,
            counts.get((a.pk, AllocationStatus.CHECKED_IN), 0),
            counts.get((a.pk, AllocationStatus.ALLOCATED), 0),
        )
        for a in apartments
    ]


@dataclass(frozen=True)
class ApartmentFilters(Filters):
    q: str = text("搜索")
    free: bool = flag("仅有空床位")


def apartment_list(*, user: AnyUser, filters: ApartmentFilters) -> list[Occupancy]:
    """The apartments in the user's scope with their beds and occupancy."""
    apartments = apartment_qs(user).select_related("owner_unit").order_by("id")
    if filters.q:
        apartments = apartments.filter(
            Q(name__icontains=filters.q) | Q(address__icontains=filters.q)
        )
    rows = occupancy(apartments)
    return [o for o in rows if o.free > 0] if filters.free else rows


def apartment_get(user: AnyUser, pk: int) -> Apartment:
    return get_object_or_404(apartment_qs(user).select_related("owner_unit"), pk=pk)


def room_get(user: AnyUser, pk: int) -> Room:
    return get_object_or_404(
        Room.objects.filter(apartment__in=apartment_qs(user)).select_related("apartment"), pk=pk
    )


def room_allocation_qs(user: AnyUser) -> QuerySet[RoomAllocation]:
    scope = scope_of(user)
    return RoomAllocation.objects.filter(
        scope.q("room__apartment__owner_unit") | scope.q("talent__employer", None)
    )


@dataclass(frozen=True)
class RoomAllocationFilters(Filters):
    q: str = text("搜索")
    apartment: int | None = record("公寓", hidden=True)
    status: str = choice("状态", AllocationStatus)
    open: bool = flag("仅在住和待入住")


def room_allocation_list(
    *, user: AnyUser, filters: RoomAllocationFilters
) -> QuerySet[RoomAllocation]:
    qs = room_allocation_qs(user).select_related(
        "room__apartment", "talent__person", "talent__employer"
    )
    if filters.q:
        qs = qs.filter(
            Q(talent__person__name__icontains=filters.q) | Q(room__number__icontains=filters.q)
        )
    if filters.apartment is not None:
        qs = qs.filter(room__apartment_id=filters.apartment)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.open:
        qs = qs.filter(status__in=OPEN_ALLOCATION)
    return qs.order_by("-allocated_on", "-id")


def room_allocation_get(user: AnyUser, pk: int) -> RoomAllocation:
    return get_object_or_404(
        room_allocation_qs(user).select_related("room__apartment", "talent__person"), pk=pk
    )


def benefit_rules(benefit: Benefit) -> QuerySet[EligibilityRule]:
    return benefit.rules.order_by("sort_order", "id")


def benefit_ids_of(talent: Talent) -> set[int]:
    """The benefits a talent (fetched through its scoped selector) already holds."""
    return set(talent.entitlements.values_list("benefit_id", flat=True))


def talents_to_generate(user: AnyUser) -> QuerySet[Talent]:
    """Every talent in the user's scope with its employer, in id order."""
    return talent_qs(user).select_related("employer").order_by("pk")


def entitlement_deliveries(entitlement: Entitlement) -> list[Delivery]:
    """The deliveries of an entitlement, the latest first."""
    return list(entitlement.deliveries.order_by("-date", "-id"))


def delivery_total(rows: QuerySet[Delivery]) -> Decimal:
    """The sum of the amounts of the deliveries a ``delivery_list`` returned."""
    total: Decimal | None = rows.aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


RoomRow = tuple[Room, list[RoomAllocation], int]


def apartment_rooms(apartment: Apartment) -> list[RoomRow]:
    """The rooms of an apartment by number, each with its open allocations (and the talent's
    person) and its free beds."""
    rooms = list(apartment.rooms.order_by("number"))
    open_allocations: dict[int, list[RoomAllocation]] = {r.pk: [] for r in rooms}
    for allocation in RoomAllocation.objects.filter(
        room__apartment=apartment, status__in=OPEN_ALLOCATION
    ).select_related("talent__person"):
        open_allocations[allocation.room_id].append(allocation)
    return [(r, open_allocations[r.pk], r.beds - len(open_allocations[r.pk])) for r in rooms]


def apartment_candidates(user: AnyUser) -> QuerySet[Talent]:
    """The talents in the user's scope with an active apartment entitlement and no open
    allocation, by name: whom a room may be allocated to."""
    return (
        talent_qs(user)
        .filter(
            entitlements__benefit__kind=BenefitKind.APARTMENT,
            entitlements__status=EntitlementStatus.ACTIVE,
        )
        .exclude(room_allocations__status__in=OPEN_ALLOCATION)
        .select_related("person")
        .distinct()
        .order_by("person__name")
    )
