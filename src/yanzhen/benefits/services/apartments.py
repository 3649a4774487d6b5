"""Talent apartments: rooms, allocation of a bed, check-in and check-out, occupancy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from yanzhen.benefits.models import (
    OPEN_ALLOCATION,
    AllocationStatus,
    Apartment,
    BenefitKind,
    Entitlement,
    EntitlementStatus,
    Room,
    RoomAllocation,
)
from yanzhen.core.models import Unit, User
from yanzhen.talent.models import Talent
from yanzhen.talent.services.common import changed, check_unit, fail, not_in_future, save


def apartment_create(
    *, actor: User | None, name: str, owner_unit: Unit, address: str = "", note: str = ""
) -> Apartment:
    apartment = Apartment(name=name, owner_unit=owner_unit, address=address, note=note)
    return _apartment_save(actor, apartment)


def apartment_update(*, actor: User | None, apartment: Apartment, **fields: Any) -> Apartment:
    """Change the fields given (name, owner_unit, address, note); the others keep theirs."""
    fields_ = ("name", "owner_unit", "address", "note")
    return _apartment_save(actor, changed(apartment, fields, fields_))


def _apartment_save(actor: User | None, apartment: Apartment) -> Apartment:
    check_unit(actor, apartment.owner_unit, field="owner_unit", label=_("管理单位"))
    name = apartment.name = apartment.name.strip()
    duplicate = Apartment.objects.filter(owner_unit=apartment.owner_unit, name=name)
    if duplicate.exclude(pk=apartment.pk).exists():
        raise fail("name", _("已有名为“%(name)s”的公寓") % {"name": name})
    save(apartment, actor)
    return apartment


def room_create(
    *,
    actor: User | None,
    apartment: Apartment,
    number: str,
    beds: int,
    area: Decimal = Decimal(0),
    monthly_rent: Decimal = Decimal(0),
) -> Room:
    room = Room(apartment=apartment, number=number, beds=beds, area=area, monthly_rent=monthly_rent)
    return _room_save(actor, room)


def room_update(*, actor: User | None, room: Room, **fields: Any) -> Room:
    """Change the fields given (number, beds, area, monthly_rent); the others keep theirs."""
    return _room_save(actor, changed(room, fields, ("number", "beds", "area", "monthly_rent")))


def _room_save(actor: User | None, room: Room) -> Room:
    number = room.number = room.number.strip()
    if room.beds < 1:
        raise fail("beds", _("床位至少为1"))
    if room.pk is not None:
        taken = room.allocations.filter(status__in=OPEN_ALLOCATION).count()
        if room.beds < taken:
            raise fail(
                "beds", _("该房间已分配%(taken)s个床位，床位数不能少于%(taken)s") % {"taken": taken}
            )
    duplicate = Room.objects.filter(apartment=room.apartment_id, number=number)
    if duplicate.exclude(pk=room.pk).exists():
        raise fail(
            "number",
            _("%(name)s已有房号“%(number)s”") % {"name": room.apartment.name, "number": number},
        )
    save(room, actor)
    return room


@transaction.atomic
def room_allocate(
    *, actor: User | None, room: Room, talent: Talent, date: dt.date, note: str = ""
) -> RoomAllocation:
    """Give ``talent`` a bed in ``room``: the talent must hold a running apartment
    entitlement, have no other open allocation, and the room a free bed."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    not_in_future(date, "allocated_on", _("分配日期"))
    entitlement = (
        Entitlement.objects.filter(
            talent=talent, benefit__kind=BenefitKind.APARTMENT, status=EntitlementStatus.ACTIVE
        )
        .filter(start_date__lte=date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date))
        .first()
    )
    if entitlement is None:
        raise fail(
            "talent",
            _("%(name)s在%(date)s没有人才公寓待遇")
            % {"name": talent.person.name, "date": format(date, "%Y-%m-%d")},
        )
    current = RoomAllocation.objects.filter(talent=talent, status__in=OPEN_ALLOCATION).first()
    if current is not None:
        raise fail(
            "talent",
            _("%(name)s已分配%(room)s，请先退房或取消")
            % {"name": talent.person.name, "room": current.room},
        )
    taken = room.allocations.filter(status__in=OPEN_ALLOCATION).count()
    if taken >= room.beds:
        raise fail("room", _("%(room)s的%(beds)s个床位已满") % {"room": room, "beds": room.beds})
    allocation = RoomAllocation(
        room=room,
        talent=talent,
        entitlement=entitlement,
        allocated_on=date,
        status=AllocationStatus.ALLOCATED,
        note=note,
    )
    save(allocation, actor)
    return allocation


MOVES: dict[str, tuple[str, ...]] = {
    AllocationStatus.CHECKED_IN: (AllocationStatus.ALLOCATED,),
    AllocationStatus.CHECKED_OUT: (AllocationStatus.CHECKED_IN,),
    AllocationStatus.CANCELLED: (AllocationStatus.ALLOCATED,),
}


@transaction.atomic
def allocation_move(
    *, actor: User | None, allocation: RoomAllocation, target: str, date: dt.date, note: str = ""
) -> RoomAllocation:
    """Check in (from allocated), check out (from checked in), or cancel (before check-in)."""
    allocation = RoomAllocation.objects.select_for_update().get(pk=allocation.pk)
    labels = dict(AllocationStatus.choices)
    if target not in MOVES:
        raise fail("target", _("操作不正确"))
    if allocation.status not in MOVES[target]:
        raise fail(
            "target",
            _("“%(current)s”的分配不能变更为“%(target)s”")
            % {"current": labels[allocation.status], "target": labels[target]},
        )
    not_in_future(date, "date", _("日期"))
    if target == AllocationStatus.CHECKED_IN:
        if date < allocation.allocated_on:
            raise fail("date", _("入住日期不能早于分配日期"))
        allocation.check_in = date
    elif target == AllocationStatus.CHECKED_OUT:
        assert allocation.check_in is not None
        if date < allocation.check_in:
            raise fail("date", _("退房日期不能早于入住日期"))
        allocation.check_out = date
    allocation.status = target
    if note.strip():
        allocation.note = note.strip()
    save(allocation, actor)
    return allocation
