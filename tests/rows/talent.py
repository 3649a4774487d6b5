"""N rows of each list of the talent app (see tests/rows/__init__.py), in the scope of a user
of ``unit``: each row with units, people and universities of its own, so that a list reading
anything per row shows it in its query count."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from tests.rows import RowFactory
from yanzhen.benefits import services as benefit_services
from yanzhen.benefits.models import (
    AllocationStatus,
    Apartment,
    Benefit,
    BenefitKind,
    Entitlement,
    Room,
    RoomAllocation,
)
from yanzhen.core import integrity
from yanzhen.core.models import Person, Unit, UnitKind
from yanzhen.core.services import person_create, unit_create
from yanzhen.placement import services as placement_services
from yanzhen.placement.models import Internship, InternshipStatus
from yanzhen.reference.models import University
from yanzhen.talent import services
from yanzhen.talent.models import Campaign, Talent

D = dt.date
_serial = itertools.count(1)


def _unit(parent: Unit, kind: str = UnitKind.ENTERPRISE) -> Unit:
    return unit_create(actor=None, parent=parent, name=f"单位{next(_serial)}", kind=kind)


def _person(unit: Unit) -> Person:
    return person_create(actor=None, name=f"人员{next(_serial)}", unit=unit, mobile="13912345678")


def _university() -> University:
    n = next(_serial)
    return University.objects.create(name=f"测试大学{n}", code=f"49{n:08d}")


def _talents(n: int, unit: Unit, talent_type: str = "full_time") -> list[Talent]:
    """``n`` talents, each at an employer and from a university of its own."""
    out = []
    for _ in range(n):
        employer = _unit(unit)
        out.append(
            services.talent_create(
                actor=None,
                person=_person(employer),
                talent_type=talent_type,
                degree="master",
                university=_university(),
                employer=employer,
                channel="campus",
                start_date=D(2020, 1, 1),
            )
        )
    return out


def talents(n: int, unit: Unit) -> dict[str, str]:
    _talents(n, unit)
    return {}


def _campaign(unit: Unit) -> Campaign:
    return services.campaign_create(
        actor=None,
        name=f"招聘{next(_serial)}",
        channel="campus",
        owner_unit=unit,
        year=2021,
        start_date=D(2021, 3, 1),
        end_date=D(2021, 6, 30),
    )


def campaigns(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _campaign(unit)
    return {}


def applicants(n: int, unit: Unit) -> dict[str, str]:
    campaign = _campaign(unit)
    for _ in range(n):
        employer = _unit(unit)
        position = services.position_create(
            actor=None,
            campaign=campaign,
            title="工程师",
            unit=employer,
            talent_type="full_time",
            quota=1,
        )
        services.applicant_create(
            actor=None,
            position=position,
            person=_person(employer),
            applied_on=D(2021, 4, 1),
            university=_university(),
            degree="master",
        )
    return {}


def _benefit(unit: Unit, kind: str = BenefitKind.LIVING_SUBSIDY) -> Benefit:
    n = next(_serial)
    benefit = benefit_services.benefit_create(
        actor=None,
        code=f"b{n}",
        name=f"待遇{n}",
        kind=kind,
        owner_unit=unit,
        paying_unit=unit,
        monthly_amount=Decimal(1000),
        amount=Decimal(500),
        duration_months=24,
        interval_months=12,
        annual_budget=Decimal(100_000),
    )
    return benefit


def benefits(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _benefit(unit)
    return {}


def _entitlements(n: int, unit: Unit, kind: str = BenefitKind.LIVING_SUBSIDY) -> list[Entitlement]:
    """``n`` entitlements of one benefit (of ``kind``, paid by ``unit``), each of a talent of
    its own, running from 2020-01-01 to 2021-12-31 (sealed, as the services leave them)."""
    benefit = _benefit(unit, kind)
    made = [
        Entitlement.objects.create(
            talent=talent,
            benefit=benefit,
            start_date=D(2020, 1, 1),
            end_date=D(2021, 12, 31),
            monthly_amount=benefit.monthly_amount,
            amount=benefit.amount,
        )
        for talent in _talents(n, unit)
    ]
    integrity.seal(*made)
    return made


def entitlements(n: int, unit: Unit) -> dict[str, str]:
    _entitlements(n, unit)
    return {}


def deliveries(n: int, unit: Unit) -> dict[str, str]:
    for entitlement in _entitlements(n, unit):
        benefit_services.delivery_create(
            actor=None, entitlement=entitlement, date=D(2021, 11, 5), period=D(2021, 11, 1)
        )
    return {}


def payments(n: int, unit: Unit) -> dict[str, str]:
    _entitlements(n, unit)
    return {"paying_unit": str(unit.pk), "month": "2021-12"}


def reminders(n: int, unit: Unit) -> dict[str, str]:
    _entitlements(n, unit)  # each ends on 2021-12-31: within 30 days of 2021-12-20
    return {"on": "2021-12-20"}


def _apartment(unit: Unit) -> Room:
    apartment = Apartment.objects.create(name=f"公寓{next(_serial)}", owner_unit=_unit(unit))
    return Room.objects.create(apartment=apartment, number="101", beds=2)


def apartments(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _apartment(unit)
    return {}


def allocations(n: int, unit: Unit) -> dict[str, str]:
    for talent in _talents(n, unit):
        RoomAllocation.objects.create(
            room=_apartment(unit),
            talent=talent,
            allocated_on=D(2021, 3, 1),
            status=AllocationStatus.ALLOCATED,
        )
    return {}


def programmes(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        programme = placement_services.programme_create(
            actor=None,
            name=f"项目{next(_serial)}",
            kind="intern",
            owner_unit=_unit(unit, UnitKind.DEPARTMENT),
            year=2021,
            start_date=D(2021, 7, 5),
            end_date=D(2021, 8, 27),
        )
        placement_services.host_create(
            actor=None, programme=programme, unit=_unit(unit), capacity=1
        )
    return {}


def internships(n: int, unit: Unit) -> dict[str, str]:
    for talent in _talents(n, unit, talent_type="intern"):
        Internship.objects.create(
            talent=talent,
            host_unit=talent.employer,
            university=talent.university,
            start_date=D(2021, 7, 5),
            end_date=D(2021, 8, 27),
            status=InternshipStatus.COMPLETED,
        )
    return {}


ROWS: dict[str, RowFactory] = {
    "talent:talent_list": talents,
    "talent:talent_stats": talents,
    "talent:campaign_list": campaigns,
    "talent:applicant_list": applicants,
    "talent:benefit_list": benefits,
    "talent:entitlement_list": entitlements,
    "talent:delivery_list": deliveries,
    "talent:payment_list": payments,
    "talent:reminder_list": reminders,
    "talent:apartment_list": apartments,
    "talent:room_allocation_list": allocations,
    "talent:programme_list": programmes,
    "talent:internship_list": internships,
    "talent:conversion_stats": internships,
    "api:talent_list_talents": talents,
    "api:talent_stats": talents,
    "api:talent_list_campaigns": campaigns,
    "api:talent_list_entitlements": entitlements,
    "api:talent_payment_list": payments,
    "api:talent_list_programmes": programmes,
    "api:talent_list_internships": internships,
}
