"""N rows of the agreement register (page and API) and of the ceremonies, in the scope of a
user of ``unit``: agreements of a cooperation of the unit, two parties each (the unit and an
enterprise under it, a signer each), all in one ceremony."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.rows import RowFactory
from yanzhen.cooperation import services as cooperation_services
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.services import unit_create, user_create
from yanzhen.reference.models import University
from yanzhen.signing import services
from yanzhen.signing.models import Agreement, Ceremony

_serial = itertools.count(1)


def agreements(n: int, unit: Unit) -> dict[str, str]:
    made = []
    for _ in range(n):
        k = next(_serial)
        enterprise = unit_create(
            actor=None, parent=unit, name=f"签约企业{k}", kind=UnitKind.ENTERPRISE
        )
        cooperation = cooperation_services.cooperation_create(
            actor=None,
            data=cooperation_services.CooperationData(
                title=f"签约合作{k}",
                owner_unit=unit,
                parties=[enterprise],
                universities=[University.objects.create(name=f"签约大学{k}")],
                channel="find",
                kind="research",
                intention_date=dt.date(2021, 1, 1),
            ),
        )
        ours = user_create(
            username=f"sgown{k}", password="x-Unused-Password-1", unit=unit, roles=[]
        )
        theirs = user_create(
            username=f"sgent{k}", password="x-Unused-Password-1", unit=enterprise, roles=[]
        )
        made.append(
            services.agreement_create(
                actor=None,
                cooperation=cooperation,
                kind="project",
                title=f"签约协议{k}",
                starts_on=dt.date(2021, 1, 1),
                expires_on=dt.date(2023, 12, 31),
                parties=[
                    services.PartyData(unit=enterprise, signer=theirs),
                    services.PartyData(unit=unit, signer=ours),
                ],
            )
        )
    ceremony = Ceremony.objects.create(
        title=f"集中云签约{next(_serial)}", owner_unit=unit, held_on=dt.date(2021, 6, 1)
    )
    Agreement.objects.filter(pk__in=[a.pk for a in made]).update(ceremony=ceremony)
    return {}


def ceremonies(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        agreements(2, unit)
    return {}


ROWS: dict[str, RowFactory] = {
    "signing:agreement_list": agreements,
    "api:list_agreements": agreements,
    "signing:ceremony_list": ceremonies,
}
