"""The demo's entitlements (as the rules give them), deliveries and the apartment."""

# Fictional people and dates come from seeded generators, not from a secure source:

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from yanzhen.benefits import services
from yanzhen.benefits.eligibility import add_months
from yanzhen.benefits.models import (
    MONTHLY_KINDS,
    AllocationStatus,
    Apartment,
    BenefitKind,
    Delivery,
    Entitlement,
    Room,
    RoomAllocation,
)
from yanzhen.core import integrity
from yanzhen.core.models import Unit
from yanzhen.demo.shared import DemoResult
from yanzhen.demo.talent.common import (
    HRSS,
    PAID_THROUGH,
    RECOGNISED_ON,
)
from yanzhen.talent.models import Talent

# Entitlements and deliveries -----------------------------------------------------------------


def load_entitlements(result: DemoResult, talents: list[Talent]) -> None:
    if not talents:
        return
    planned = services.entitlements_plan(
        Talent.objects.filter(pk__in=[t.pk for t in talents]).select_related("employer"),
        RECOGNISED_ON,
    )
    bulk_create_with_history(planned, Entitlement)
    integrity.seal_query(Entitlement.objects.filter(talent__in=talents))
    result.add("talent entitlements", len(planned))
    created = list(
        Entitlement.objects.filter(talent__in=talents).select_related("benefit", "talent")
    )
    deliveries: list[Delivery] = []
    rng = random.Random(6)
    for e in created:
        kind = e.benefit.kind
        if kind in MONTHLY_KINDS:
            month = add_months(e.start_date.replace(day=1), 0 if e.start_date.day == 1 else 1)
            while month <= PAID_THROUGH and (e.end_date is None or month <= e.end_date):
                paid_on = month.replace(day=15)
                deliveries.append(
                    Delivery(entitlement=e, date=paid_on, amount=e.monthly_amount, period=month,
                             note=f"{month:%Y年%m月}补贴发放")
                )  # fmt: skip
                month = add_months(month, 1)
        elif kind == BenefitKind.INSURANCE:
            deliveries.append(Delivery(entitlement=e, date=e.start_date, amount=e.amount,
                                       note="投保"))  # fmt: skip
        elif kind in (BenefitKind.VISIT, BenefitKind.CHECKUP):
            first = e.start_date + dt.timedelta(days=60 if kind == BenefitKind.VISIT else 30)
            if first <= dt.date(2021, 12, 10):
                deliveries.append(
                    Delivery(entitlement=e, date=first, amount=e.amount,
                             note="走访慰问" if kind == BenefitKind.VISIT else "入职体检")
                )  # fmt: skip
        elif kind == BenefitKind.TAX_RELIEF and rng.random() < 0.6:
            deliveries.append(Delivery(entitlement=e, date=dt.date(2021, 12, 15), amount=e.amount,
                                       note="2021年度税费减免"))  # fmt: skip
    bulk_create_with_history(deliveries, Delivery)
    integrity.seal_query(Delivery.objects.filter(entitlement__talent__in=talents))
    result.add("talent deliveries", len(deliveries))


def load_apartment(result: DemoResult, units: dict[str, Unit]) -> None:
    name = "永济市人才公寓"
    if Apartment.objects.filter(name=name).exists():
        return
    apartment = services.apartment_create(
        actor=None,
        name=name,
        owner_unit=units[HRSS],
        address="永济市城区（演示地址）",
        note="拎包入住：家具家电齐全",
    )
    rooms = Room.objects.bulk_create(
        Room(apartment=apartment, number=f"{floor}0{n}", beds=2 if n <= 2 else 1,
             area=Decimal(60 if n <= 2 else 45), monthly_rent=Decimal(0))
        for floor in range(1, 5)
        for n in range(1, 6)
    )  # fmt: skip
    holders = list(
        Entitlement.objects.filter(benefit__kind=BenefitKind.APARTMENT)
        .exclude(talent__employer__kind="enterprise")
        .select_related("talent")
        .order_by("talent__start_date", "pk")[:24]
    )
    beds = [room for room in rooms for _ in range(room.beds)]
    allocations = []
    for index, (entitlement, room) in enumerate(zip(holders, beds, strict=False)):
        talent = entitlement.talent
        allocated = talent.start_date
        status = AllocationStatus.CHECKED_IN
        check_in: dt.date | None = allocated + dt.timedelta(days=2)
        check_out = None
        if index >= 22:
            status, check_in = AllocationStatus.ALLOCATED, None
        elif index >= 20:
            status, check_out = AllocationStatus.CHECKED_OUT, dt.date(2021, 11, 30)
        allocations.append(
            RoomAllocation(room=room, talent=talent, entitlement=entitlement, allocated_on=allocated,
                           check_in=check_in, check_out=check_out, status=status)
        )  # fmt: skip
    RoomAllocation.objects.bulk_create(allocations)
    result.add("talent apartments")
