"""The permission matrix beyond the ledger: every demo role × a talent, an internship, a
benefit entitlement and an assessment score — of Yongji and of another county — × list,
detail, create, update, export and the API gives exactly the expected answer; and fifty
ids of each kind probed by every role, and by an office of another county that holds every
permission, leak nothing (G10)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.assessment.models import Score
from yanzhen.assessment.selectors import score_qs
from yanzhen.benefits.models import Entitlement
from yanzhen.benefits.selectors import entitlement_qs
from yanzhen.core.models import DataScope, Role, UnitKind, User
from yanzhen.core.services import unit_create, user_create
from yanzhen.placement.models import Internship
from yanzhen.placement.selectors import internship_qs
from yanzhen.talent.models import Talent
from yanzhen.talent.selectors.registry import talent_qs

pytestmark = pytest.mark.usefixtures("demo_db")

ROLES = (
    "office", "leader", "base", "town", "enterprise", "university", "sysadmin", "secadmin",
    "auditor",
)  # fmt: skip


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    unit_field: str  # the field that puts a record in a unit (moved to the other county)
    list: str
    detail: str
    create: str | None
    update: str | None
    api: tuple[str, str] | None  # (route name, id keyword)
    name_field: str  # the path to a name the record shows (must not leak)
    visible: Callable[[User], QuerySet[Any]]  # the kind's selector: what the user may see

    def marker(self, record: models.Model) -> str:
        value: object = record
        for step in self.name_field.split("__"):
            value = getattr(value, step)
        return str(value)


KINDS = {
    "talent": Kind(
        Talent, "employer", "talent:talent_list", "talent:talent_detail", "talent:talent_new",
        "talent:talent_edit", ("api:talent_get_talent", "talent_id"),
        "person__name", talent_qs,
    ),
    "internship": Kind(
        Internship, "host_unit", "talent:internship_list", "talent:internship_detail", None,
        "talent:internship_move", None,
        "talent__person__name", internship_qs,
    ),
    "entitlement": Kind(
        Entitlement, "talent__employer", "talent:entitlement_list", "talent:entitlement_detail",
        None, "talent:entitlement_move", None,
        "talent__person__name", entitlement_qs,
    ),
    "score": Kind(
        Score, "unit", "assessment:period_list", "assessment:score_detail", None, None,
        ("api:get_assessment_score", "score_id"), "name", score_qs,
    ),
}  # fmt: skip

# kind → role → the answers for a record of the role's own unit, then for one of another
# county, in the order list, detail, export, create, update, api (the actions the kind has).
# The office and the leader see their county and all below it (DataScope.COUNTY): a talent or a
# score of another county is a 404 to them, as to the scoped roles, which get 404 for what is
# outside their unit wherever they hold the permission, 403 where they do not (an internship
# or an entitlement is also seen through the unit of its programme or benefit, which the test
# leaves in Yongji); the
# three administrators reach no business record, nor does a university's account (the portal
# refuses every internal route to it: 403 whatever the record).
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "talent": {
        "office": ("200 200 200 200 200 200", "200 404 200 200 404 404"),
        "leader": ("200 200 200 403 403 200", "200 404 200 403 403 404"),
        "base": ("200 200 200 403 403 200", "200 404 200 403 403 404"),
        "town": ("200 200 200 200 200 200", "200 404 200 200 404 404"),
        "enterprise": ("200 200 200 403 200 200", "200 404 200 403 404 404"),
        "university": ("403 403 403 403 403 403", "403 403 403 403 403 403"),
        "sysadmin": ("403 403 403 403 403 403", "403 403 403 403 403 403"),
        "secadmin": ("403 403 403 403 403 403", "403 403 403 403 403 403"),
        "auditor": ("403 403 403 403 403 403", "403 403 403 403 403 403"),
    },
    "internship": {
        "office": ("200 200 200 200", "200 200 200 200"),
        "leader": ("200 200 200 403", "200 200 200 403"),
        "base": ("200 200 200 403", "200 404 200 403"),
        "town": ("200 200 200 200", "200 404 200 404"),
        "enterprise": ("403 403 403 403", "403 403 403 403"),
        "university": ("403 403 403 403", "403 403 403 403"),
        "sysadmin": ("403 403 403 403", "403 403 403 403"),
        "secadmin": ("403 403 403 403", "403 403 403 403"),
        "auditor": ("403 403 403 403", "403 403 403 403"),
    },
    "entitlement": {
        "office": ("200 200 200 200", "200 200 200 200"),
        "leader": ("200 200 200 403", "200 200 200 403"),
        "base": ("200 200 200 403", "200 404 200 403"),
        "town": ("200 200 200 403", "200 404 200 403"),
        "enterprise": ("200 200 200 403", "200 404 200 403"),
        "university": ("403 403 403 403", "403 403 403 403"),
        "sysadmin": ("403 403 403 403", "403 403 403 403"),
        "secadmin": ("403 403 403 403", "403 403 403 403"),
        "auditor": ("403 403 403 403", "403 403 403 403"),
    },
    "score": {
        "office": ("200 200 200 200", "200 404 200 404"),
        "leader": ("200 200 200 200", "200 404 200 404"),
        "base": ("200 200 200 200", "200 404 200 404"),
        "town": ("200 200 200 200", "200 404 200 404"),
        "enterprise": ("403 403 403 403", "403 403 403 403"),
        "university": ("403 403 403 403", "403 403 403 403"),
        "sysadmin": ("403 403 403 403", "403 403 403 403"),
        "secadmin": ("403 403 403 403", "403 403 403 403"),
        "auditor": ("403 403 403 403", "403 403 403 403"),
    },
}  # fmt: skip


@dataclass(frozen=True)
class Records:
    own: dict[tuple[str, str], models.Model]  # (role, kind) → a record of the role's unit
    other: dict[str, models.Model]  # kind → a record of another county
    outsider: User


def _set(record: models.Model, field_path: str, value: object) -> None:
    """Set the field at the end of ``field_path`` (``a__b__field``) of ``record``'s relation."""
    path = field_path.split("__")
    target: models.Model = record
    for step in path[:-1]:
        target = getattr(target, step)
    type(target)._default_manager.filter(pk=target.pk).update(**{path[-1]: value})


@pytest.fixture
def records(demo_db: Demo) -> Records:
    county = unit_create(actor=None, parent=None, name="外县", kind=UnitKind.COUNTY)
    office = unit_create(actor=None, parent=county, name="外县合作办", kind=UnitKind.DEPARTMENT)
    own: dict[tuple[str, str], models.Model] = {}
    other: dict[str, models.Model] = {}
    for name, kind in KINDS.items():
        ordered = list(kind.model.objects.order_by("pk"))  # type: ignore[attr-defined]
        other[name] = ordered[-1]
        _set(other[name], kind.unit_field, office)
        _set(other[name], kind.name_field, f"外县{name}记录")
        other[name].refresh_from_db()
        for index, role in enumerate(ROLES):
            own[role, name] = ordered[index]
            if role in ("base", "town", "enterprise"):  # the others see all of Yongji
                _set(ordered[index], kind.unit_field, demo_db.users[role].unit)
    outsiders = Role.objects.create(
        code="outsider", name="外县全权", data_scope=DataScope.UNIT_AND_BELOW
    )
    outsiders.permissions.set(Permission.objects.all())
    user = user_create(
        username="outsider", password="x-Unused-Password-1", unit=office, roles=[outsiders]
    )
    return Records(own, other, user)


def answers(client: Client, kind: Kind, record: models.Model) -> dict[str, int]:
    got = {
        "list": client.get(reverse(kind.list)).status_code,
        "detail": client.get(reverse(kind.detail, kwargs={"pk": record.pk})).status_code,
        "export": client.get(reverse(kind.list), {"export": "csv"}).status_code,
    }
    if kind.create:
        got["create"] = client.get(reverse(kind.create)).status_code
    if kind.update:
        got["update"] = client.get(reverse(kind.update, kwargs={"pk": record.pk})).status_code
    if kind.api:
        name, key = kind.api
        got["api"] = client.get(reverse(name, kwargs={key: record.pk})).status_code
    return got


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_exactly_the_expected_answers_for_every_kind(
    role: str, demo_db: Demo, records: Records
) -> None:
    client = demo_db.client(role)
    got = {}
    for name, kind in KINDS.items():
        own = answers(client, kind, records.own[role, name])
        other = answers(client, kind, records.other[name])
        got[name] = (" ".join(map(str, own.values())), " ".join(map(str, other.values())))
    assert got == {name: EXPECTED[name][role] for name in KINDS}


@pytest.mark.parametrize("role", ["base", "town", "enterprise", "university"])
def test_the_lists_of_a_scoped_role_hold_no_foreign_row(
    role: str, demo_db: Demo, records: Records
) -> None:
    client = demo_db.client(role)
    for name, kind in KINDS.items():
        response = client.get(reverse(kind.list))
        if response.status_code == 200:
            assert kind.marker(records.other[name]) not in response.content.decode(), name


@pytest.mark.parametrize("role", ["base", "town", "enterprise", "university", "outsider"])
def test_fifty_foreign_ids_of_every_kind_leak_nothing(
    role: str, demo_db: Demo, records: Records
) -> None:
    """Fifty ids outside the role's scope, of each kind, on the detail page, the edit page
    and the API: refused (404 where the permission is held) and no name of the record in the
    answer. The office of another county holds every permission: 404 for every Yongji id."""
    user = records.outsider if role == "outsider" else demo_db.users[role]
    client = Client()
    client.force_login(user)
    for name, kind in KINDS.items():
        manager = kind.model.objects  # type: ignore[attr-defined]
        mine = set(kind.visible(user).values_list("pk", flat=True))
        if role == "outsider":  # its county holds the records moved there
            assert records.other[name].pk in mine
        foreign = [
            pk for pk in manager.order_by("pk").values_list("pk", flat=True) if pk not in mine
        ]
        top = max(manager.values_list("pk", flat=True))
        foreign += list(range(top + 1, top + 1 + max(0, 50 - len(foreign))))
        assert len(foreign) >= 50
        markers = {r.pk: kind.marker(r) for r in manager.filter(pk__in=foreign[:50])}
        for pk in foreign[:50]:
            urls = [reverse(kind.detail, kwargs={"pk": pk})]
            if kind.update:
                urls.append(reverse(kind.update, kwargs={"pk": pk}))
            if kind.api:
                urls.append(reverse(kind.api[0], kwargs={kind.api[1]: pk}))
            for url in urls:
                response = client.get(url)
                allowed = (404,) if role == "outsider" else (403, 404)
                assert response.status_code in allowed, (name, url, response.status_code)
                if pk in markers:
                    assert markers[pk] not in response.content.decode(), (name, url)
