"""N rows of the portal's lists in the scope of a user of ``unit``: registrations decided by
``unit``'s county (the unit itself in the tests), and portal accounts of the unit."""

from __future__ import annotations

import itertools

from tests.rows import RowFactory
from yanzhen.core.models import Unit
from yanzhen.core.services import user_create
from yanzhen.portal.models import OutsideAccount, Registration

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


ROWS: dict[str, RowFactory] = {
    "portal:registration_list": registrations,
    "portal:home": accounts,
}
