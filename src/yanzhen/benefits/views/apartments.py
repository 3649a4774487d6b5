"""Pages of talent apartments: occupancy, rooms, allocations, check-in and check-out."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.benefits import selectors, services
from yanzhen.benefits.forms import (
    AllocationMoveForm,
    ApartmentForm,
    RoomAllocationForm,
    RoomForm,
)
from yanzhen.benefits.models import (
    AllocationStatus,
    RoomAllocation,
)
from yanzhen.benefits.services.apartments import MOVES
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import (
    Action,
    Col,
    Figure,
    TablePage,
    form_view,
    initial_of,
    render_table,
    require_perm,
    url,
)
from yanzhen.core.selectors import active_units


def apartment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "benefits.view_apartment")
    user = request.user
    form = filter_form(selectors.ApartmentFilters)(request.GET or None)
    rows = selectors.apartment_list(user=user, filters=form.filters())

    def allocations(status: str) -> Callable[[selectors.Occupancy], str]:
        return lambda o: url(
            "talent:room_allocation_list",
            query={"apartment": str(o.apartment.pk), "status": status},
        )

    columns: list[Col[selectors.Occupancy]] = [
        Col(
            _("公寓"),
            lambda o: o.apartment.name,
            lambda o: url("talent:apartment_detail", o.apartment.pk),
            width=24,
        ),
        Col(_("管理单位"), lambda o: o.apartment.owner_unit.name, width=24),
        Col(_("地址"), lambda o: o.apartment.address, width=30),
        Col(_("房间"), lambda o: o.rooms, kind="int", width=8),
        Col(_("床位"), lambda o: o.beds, kind="int", width=8),
        Col(
            _("已入住"),
            lambda o: o.occupied,
            allocations(AllocationStatus.CHECKED_IN),
            kind="int",
            width=8,
        ),
        Col(
            _("待入住"),
            lambda o: o.reserved,
            allocations(AllocationStatus.ALLOCATED),
            kind="int",
            width=8,
        ),
        Col(_("空床位"), lambda o: o.free, kind="int", width=8),
        Col(_("入住率（%）"), lambda o: o.rate, kind="decimal", width=10),
    ]
    beds = sum(o.beds for o in rows)
    occupied = sum(o.occupied for o in rows)
    actions = []
    if user.has_perm("benefits.add_apartment"):
        actions.append(Action(_("新增公寓"), url("talent:apartment_new"), primary=True))
    actions.append(Action(_("分配记录"), url("talent:room_allocation_list")))
    return render_table(
        request,
        TablePage(
            title=_("人才公寓"),
            columns=columns,
            rows=rows,
            form=form,
            actions=actions,
            figures=[
                Figure(_("床位"), beds),
                Figure(
                    _("已入住"),
                    occupied,
                    url("talent:room_allocation_list", query={"status": "checked_in"}),
                ),
                Figure(_("入住率"), f"{occupied * 100 / beds:.1f}%" if beds else "—"),
            ],
            export_perm="talent.export_talent",
        ),
    )


def apartment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "benefits.view_apartment")
    user = request.user
    apartment = selectors.apartment_get(user, pk)
    rooms = selectors.apartment_rooms(apartment)
    occupancy = selectors.occupancy(selectors.apartment_qs(user).filter(pk=apartment.pk))[0]
    context = {
        "apartment": apartment,
        "occupancy": occupancy,
        "rooms": rooms,
        "can_change": user.has_perm("benefits.change_apartment"),
        "can_add_room": user.has_perm("benefits.add_room"),
        "can_allocate": user.has_perm("benefits.add_roomallocation"),
        "can_move": user.has_perm("benefits.change_roomallocation"),
    }
    return render(request, "benefits/apartment_detail.html", context)


def apartment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "benefits.add_apartment")
    user = request.user
    form = ApartmentForm(
        request.POST or None, initial={"owner_unit": user.unit_id}, units=active_units(user)
    )
    return form_view(
        request,
        form,
        lambda: services.apartment_create(actor=user, **form.cleaned_data),
        lambda a: redirect("talent:apartment_detail", pk=a.pk),
        title=_("新增人才公寓"),
        back=url("talent:apartment_list"),
    )


def apartment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "benefits.change_apartment")
    user = request.user
    apartment = selectors.apartment_get(user, pk)
    initial = initial_of(apartment, "name", "owner_unit", "address", "note")
    form = ApartmentForm(request.POST or None, initial=initial, units=active_units(user))
    return form_view(
        request,
        form,
        lambda: services.apartment_update(actor=user, apartment=apartment, **form.cleaned_data),
        lambda a: redirect("talent:apartment_detail", pk=a.pk),
        title=_("编辑公寓：%(name)s") % {"name": apartment.name},
        back=url("talent:apartment_detail", apartment.pk),
    )


def room_new(request: AuthenticatedHttpRequest, apartment_pk: int) -> HttpResponse:
    require_perm(request, "benefits.add_room")
    user = request.user
    apartment = selectors.apartment_get(user, apartment_pk)
    form = RoomForm(request.POST or None, initial={"beds": 1})
    return form_view(
        request,
        form,
        lambda: services.room_create(actor=user, apartment=apartment, **form.cleaned_data),
        lambda r: redirect("talent:apartment_detail", pk=apartment.pk),
        title=_("%(name)s：新增房间") % {"name": apartment.name},
        back=url("talent:apartment_detail", apartment.pk),
    )


def room_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "benefits.change_room")
    user = request.user
    room = selectors.room_get(user, pk)
    form = RoomForm(
        request.POST or None,
        initial={f: getattr(room, f) for f in ("number", "beds", "area", "monthly_rent")},
    )
    return form_view(
        request,
        form,
        lambda: services.room_update(actor=user, room=room, **form.cleaned_data),
        lambda r: redirect("talent:apartment_detail", pk=r.apartment_id),
        title=_("%(name)s：编辑房间") % {"name": room.apartment.name},
        back=url("talent:apartment_detail", room.apartment_id),
    )


def room_allocation_new(request: AuthenticatedHttpRequest, room_pk: int) -> HttpResponse:
    require_perm(request, "benefits.add_roomallocation")
    user = request.user
    room = selectors.room_get(user, room_pk)
    today = timezone.localdate()
    talents = selectors.apartment_candidates(user)
    form = RoomAllocationForm(
        request.POST or None, talents=talents, initial={"allocated_on": today}
    )
    return form_view(
        request,
        form,
        lambda: services.room_allocate(
            actor=user,
            room=room,
            talent=form.cleaned_data["talent"],
            date=form.cleaned_data["allocated_on"],
            note=form.cleaned_data["note"],
        ),
        lambda a: redirect("talent:apartment_detail", pk=room.apartment_id),
        _("已分配"),
        title=_("分配房间：%(room)s") % {"room": room},
        back=url("talent:apartment_detail", room.apartment_id),
        intro=_("可选人才：享有人才公寓待遇、且尚未分配房间的人才。"),
    )


def room_allocation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "benefits.view_roomallocation")
    user = request.user
    form = filter_form(selectors.RoomAllocationFilters)(request.GET or None)
    columns: list[Col[RoomAllocation]] = [
        Col(
            _("公寓"),
            lambda a: a.room.apartment.name,
            lambda a: url("talent:apartment_detail", a.room.apartment_id),
            width=24,
        ),
        Col(_("房号"), lambda a: a.room.number, width=8),
        Col(
            _("人才"),
            lambda a: a.talent.person.name,
            lambda a: url("talent:talent_detail", a.talent_id),
            width=10,
        ),
        Col(_("用人单位"), lambda a: a.talent.employer.name, width=24),
        Col(_("分配日期"), lambda a: a.allocated_on, kind="date", width=12),
        Col(_("入住日期"), lambda a: a.check_in, kind="date", width=12),
        Col(_("退房日期"), lambda a: a.check_out, kind="date", width=12),
        Col(
            _("状态"),
            lambda a: a.get_status_display(),
            lambda a: (
                url("talent:room_allocation_move", a.pk)
                if a.status in (AllocationStatus.ALLOCATED, AllocationStatus.CHECKED_IN)
                else None
            ),
            width=12,
        ),
    ]
    return render_table(
        request,
        TablePage(
            title=_("公寓分配记录"),
            columns=columns,
            rows=selectors.room_allocation_list(user=user, filters=form.filters()),
            form=form,
            export_perm="talent.export_talent",
        ),
    )


def room_allocation_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Check in, check out or cancel an allocation."""
    require_perm(request, "benefits.change_roomallocation")
    user = request.user
    allocation = selectors.room_allocation_get(user, pk)
    labels: dict[str, str] = {
        AllocationStatus.CHECKED_IN: _("入住"),
        AllocationStatus.CHECKED_OUT: _("退房"),
        AllocationStatus.CANCELLED: _("取消分配"),
    }
    targets = [(t, labels[t]) for t, sources in MOVES.items() if allocation.status in sources]
    form = AllocationMoveForm(
        request.POST or None, targets=targets, initial={"date": timezone.localdate()}
    )
    return form_view(
        request,
        form,
        lambda: services.allocation_move(actor=user, allocation=allocation, **form.cleaned_data),
        lambda a: redirect("talent:apartment_detail", pk=a.room.apartment_id),
        title=f"{allocation.room}：{allocation.talent.person.name}（{allocation.get_status_display()}）",
        back=url("talent:apartment_detail", allocation.room.apartment_id),
        warnings=[] if targets else [_("该分配已结束")],
    )
