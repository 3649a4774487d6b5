"""N rows of each list of the cooperation app (see tests/rows/__init__.py), in the scope of a
user of ``unit``: each cooperation with an owner, a party, a university, a base and industries
of its own, each base with a lead department, a leader and a task force of its own, so that a
list reading anything per row shows it in its query count; each activity with an organiser,
a leader, a university, a participant and a cooperation of its own, each secondment with a
person, a university, a host and a cooperation of its own."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from tests.rows import RowFactory
from yanzhen.cooperation import services
from yanzhen.cooperation.models import Activity, Base, BaseType, Cooperation, Secondment
from yanzhen.cooperation.services import activities as activity_services
from yanzhen.cooperation.services import secondments as secondment_services
from yanzhen.core.models import Person, Unit, UnitKind
from yanzhen.core.services import person_create, unit_create
from yanzhen.reference.models import Industry, LocalIndustry, University

D = dt.date
_serial = itertools.count(1)


def _unit(parent: Unit, kind: str = UnitKind.ENTERPRISE) -> Unit:
    return unit_create(actor=None, parent=parent, name=f"单位{next(_serial)}", kind=kind)


def _person(unit: Unit) -> Person:
    return person_create(actor=None, name=f"人员{next(_serial)}", unit=unit, position="科长")


def _base(unit: Unit) -> Base:
    n = next(_serial)
    lead = _unit(unit, UnitKind.DEPARTMENT)
    base = services.base_create(
        actor=None,
        code=f"B{n}",
        name=f"基地{n}",
        county=unit,
        lead_department=lead,
        leader=_person(lead),
        sort_order=n,
    )
    services.task_force_set(actor=None, base=base, members=[(_person(lead), "联络员")])
    return base


def _cooperations(n: int, unit: Unit) -> list[int]:
    """``n`` cooperations, each signed, with everything it refers to its own."""
    made = []
    for _ in range(n):
        k = next(_serial)
        industry = Industry.objects.create(code=f"9{k:04d}", name=f"行业{k}", level="class")
        local = LocalIndustry.objects.create(code=f"L{k}", name=f"产业{k}", group="leading")
        cooperation = services.cooperation_create(
            actor=None,
            data=services.CooperationData(
                title=f"合作{k}",
                owner_unit=_unit(unit, UnitKind.TOWN),
                parties=[_unit(unit)],
                universities=[University.objects.create(name=f"测试大学{k}", code=f"48{k:08d}")],
                channel="find",
                kind="research",
                stage="agreement",
                intention_date=D(2021, 3, 1),
                agreement_date=D(2021, 6, 1),
                base=_base(unit),
                local_industry=local,
                industry=industry,
                planned_investment=Decimal(100),
            ),
        )
        made.append(cooperation.pk)
    return made


def cooperations(n: int, unit: Unit) -> dict[str, str]:
    _cooperations(n, unit)
    return {}


def deleted(n: int, unit: Unit) -> dict[str, str]:
    for cooperation in Cooperation.objects.filter(pk__in=_cooperations(n, unit)):
        services.cooperation_delete(actor=None, cooperation=cooperation)
    return {}


def base_types(n: int, unit: Unit) -> dict[str, str]:
    """``n`` kinds of base of the catalogue, each with a base of the county."""
    for _ in range(n):
        k = next(_serial)
        kind = BaseType.objects.create(
            code=f"T{k}", name=f"类型{k}", purpose="目的", expected_content="内容", sort_order=k
        )
        Base.objects.filter(pk=_base(unit).pk).update(base_type=kind)
    return {}


def bases(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _base(unit)
    return {}


def _university() -> University:
    k = next(_serial)
    return University.objects.create(name=f"对接大学{k}", code=f"47{k:08d}")


def _activities(n: int, unit: Unit) -> list[int]:
    made = []
    for cooperation in Cooperation.objects.filter(pk__in=_cooperations(n, unit)):
        organizer = _unit(unit, UnitKind.DEPARTMENT)
        activity = activity_services.activity_create(
            actor=None,
            data=activity_services.ActivityData(
                kind="delegation",
                title=f"活动{next(_serial)}",
                date=D(2021, 11, 1),
                organizer_unit=organizer,
                leader=_person(organizer),
                location="西安",
                universities=[_university()],
                cooperations=[cooperation],
                participants=[activity_services.ParticipantData(name="石磊", unit=_unit(unit))],
            ),
        )
        made.append(activity.pk)
    return made


def activities(n: int, unit: Unit) -> dict[str, str]:
    _activities(n, unit)
    return {}


def deleted_activities(n: int, unit: Unit) -> dict[str, str]:
    for activity in Activity.objects.filter(pk__in=_activities(n, unit)):
        activity_services.activity_delete(actor=None, activity=activity)
    return {}


def _secondments(n: int, unit: Unit) -> list[int]:
    made = []
    for cooperation in Cooperation.objects.filter(pk__in=_cooperations(n, unit)):
        host = _unit(unit, UnitKind.TOWN)
        secondment = secondment_services.secondment_create(
            actor=None,
            data=secondment_services.SecondmentData(
                person=_person(host),
                university=_university(),
                host_unit=host,
                post="副镇长",
                start_date=D(2021, 3, 1),
                end_date=D(2022, 2, 28),
                cooperation=cooperation,
            ),
        )
        made.append(secondment.pk)
    return made


def secondments(n: int, unit: Unit) -> dict[str, str]:
    _secondments(n, unit)
    return {}


def deleted_secondments(n: int, unit: Unit) -> dict[str, str]:
    for secondment in Secondment.objects.filter(pk__in=_secondments(n, unit)):
        secondment_services.secondment_delete(actor=None, secondment=secondment)
    return {}


ROWS: dict[str, RowFactory] = {
    "cooperation:cooperation_list": cooperations,
    "cooperation:cooperation_trash": deleted,
    "cooperation:cooperation_options": cooperations,
    "cooperation:partner_list": cooperations,
    "cooperation:base_list": bases,
    "cooperation:base_type_list": base_types,
    "cooperation:base_options": bases,
    "api:list_cooperations": cooperations,
    "api:list_bases": bases,
    "cooperation:activity_list": activities,
    "cooperation:activity_trash": deleted_activities,
    "cooperation:secondment_list": secondments,
    "cooperation:secondment_trash": deleted_secondments,
    "api:list_activities": activities,
    "api:list_secondments": secondments,
}
