"""N rows of the landed projects' yearly follow-ups (page and API), in the scope of a user of
``unit``: each of a landed cooperation with an owner of its own, entered by the system."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from tests.rows import RowFactory
from yanzhen.cooperation import services
from yanzhen.cooperation.models import FollowUp
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.services import unit_create
from yanzhen.reference.models import University

_serial = itertools.count(1)


def follow_ups(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        k = next(_serial)
        owner = unit_create(actor=None, parent=unit, name=f"跟踪单位{k}", kind=UnitKind.TOWN)
        cooperation = services.cooperation_create(
            actor=None,
            data=services.CooperationData(
                title=f"跟踪合作{k}",
                owner_unit=owner,
                parties=[owner],
                universities=[University.objects.create(name=f"跟踪大学{k}")],
                channel="find",
                kind="research",
                stage="landed",
                intention_date=dt.date(2020, 3, 1),
                agreement_date=dt.date(2020, 6, 1),
                landed_date=dt.date(2020, 9, 1),
            ),
        )
        FollowUp.objects.create(
            cooperation=cooperation, year=2021, output_value=Decimal(k), jobs=k, patents=1
        )
    return {}


ROWS: dict[str, RowFactory] = {
    "cooperation:followup_list": follow_ups,
    "api:list_follow_ups": follow_ups,
}
