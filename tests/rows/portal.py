"""N rows of the portal's lists in the scope of a user of ``unit``: registrations decided by
``unit``'s county (the unit itself in the tests), and portal accounts of the unit."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.rows import RowFactory
from yanzhen.core.models import Unit
from yanzhen.core.services import unit_create, user_create
from yanzhen.portal.models import Call, CallApplication, OutsideAccount, Registration

_serial = itertools.count(1)


def registrations(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        k = next(_serial)
        Registration.objects.create(
            kind="enterprise",
            name=f"注册企业{k}",
            credit_code="91330100716105852F",
            contact=f"联系人{k}",
            mobile="13991234567",
            email=f"r{k}@example.cn",
            county=unit,
        )
    return {}


def accounts(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        k = next(_serial)
        user = user_create(
            username=f"portal{k}", password="x-Unused-Password-1", unit=unit, roles=[]
        )
        OutsideAccount.objects.create(user=user, kind="university", organisation=unit)
    return {}


def calls(n: int, unit: Unit) -> dict[str, str]:
    enterprise = unit_create(
        actor=None, parent=unit, name=f"出题企业{next(_serial)}", kind="enterprise"
    )
    author = user_create(
        username=f"caller{next(_serial)}", password="x-Unused-Password-1", unit=unit, roles=[]
    )
    for _ in range(n):
        k = next(_serial)
        call = Call.objects.create(
            county=unit, enterprise=enterprise, title=f"榜单{k}", problem="攻关任务",
            field="纺织印染", budget_min=10, budget_max=20, deadline=dt.date(2022, 3, 1),
            state="published", created_by=author,
        )  # fmt: skip
        CallApplication.objects.create(
            call=call, organisation=unit, applicant=author, proposal=f"方案{k}"
        )
    return {}


ROWS: dict[str, RowFactory] = {
    "portal:registration_list": registrations,
    "portal:home": accounts,
    "portal:staff_list": accounts,
    "portal:call_list": calls,
    "portal:my_applications": calls,
    "api:list_calls": calls,
}
