"""N rows of the portal's lists in the scope of a user of ``unit``: registrations decided by
``unit``'s county (the unit itself in the tests), portal accounts of the unit, the halls'
needs, results and experts, and the negotiation threads of the unit's enterprises."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from tests.rows import RowFactory
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.services import unit_create, user_create
from yanzhen.demand.models import Expert
from yanzhen.portal.models import (
    Call,
    CallApplication,
    HallState,
    OutsideAccount,
    Registration,
    RegistrationState,
    Result,
    TechNeed,
    Thread,
    ThreadStatus,
)
from yanzhen.reference.models import Discipline, University

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


def _enterprise(unit: Unit) -> Unit:
    """An enterprise below ``unit`` (the county of the tests), made once."""
    found = Unit.objects.filter(parent=unit, name="门户测试企业").first()
    return found or unit_create(
        actor=None, parent=unit, name="门户测试企业", kind=UnitKind.ENTERPRISE
    )


def _university() -> Unit:
    """An outside organisation (a university outside every county tree, with an account),
    made once."""
    university, _ = University.objects.get_or_create(
        code="4610010698", defaults={"name": "门户测试大学"}
    )
    found = Unit.objects.filter(university=university, parent__isnull=True).first()
    if found is not None:
        return found
    unit = unit_create(
        actor=None, parent=None, name=university.name, kind=UnitKind.UNIVERSITY,
        university=university,
    )  # fmt: skip
    user = user_create(username="portal-rows-university", password="x-Unused-Password-1",
                       unit=unit, roles=[])  # fmt: skip
    OutsideAccount.objects.create(user=user, kind="university", organisation=unit)
    return unit


def _discipline(code: str) -> Discipline:
    category, _ = Discipline.objects.get_or_create(code="08", defaults={"name": "工学"})
    return Discipline.objects.get_or_create(
        code=code, defaults={"name": f"学科{code}", "parent": category}
    )[0]


def _author() -> User:
    return User.objects.get_or_create(username="portal-rows", defaults={"full_name": "录入"})[0]


def tech_needs(n: int, unit: Unit) -> dict[str, str]:
    """Technology needs of an enterprise of ``unit``: half published, half drafts, each with a
    discipline (the office sees every state)."""
    enterprise = _enterprise(unit)
    author = _author()
    discipline = _discipline("0808")
    for _ in range(n):
        k = next(_serial)
        TechNeed.objects.create(
            enterprise=enterprise, title=f"技术难题{k}", problem="问题", field=f"领域{k % 3}",
            discipline=discipline, budget_min=1, budget_max=2, deadline=dt.date(2022, 6, 30),
            ip_expectation="shared", created_by=author,
            state=HallState.PUBLISHED if k % 2 else HallState.DRAFT,
            published_at=timezone.now() if k % 2 else None,
        )  # fmt: skip
    return {}


def results(n: int, unit: Unit) -> dict[str, str]:
    """Published results of an outside organisation whose registration ``unit`` approved."""
    organisation = _university()
    if not Registration.objects.filter(county=unit, unit=organisation).exists():
        Registration.objects.create(
            kind="university", name=organisation.name, contact="联系人", mobile="13991234567",
            email=f"u{next(_serial)}@example.cn", county=unit, state=RegistrationState.APPROVED,
            unit=organisation,
        )  # fmt: skip
    author = _author()
    discipline = _discipline("0808")
    for _ in range(n):
        k = next(_serial)
        Result.objects.create(
            organisation=organisation, title=f"科技成果{k}", kind="patent", summary="简介",
            discipline=discipline, maturity="pilot", transfer_mode="licence", price_min=1,
            price_max=2, state=HallState.PUBLISHED, published_at=timezone.now(),
            created_by=author,
        )  # fmt: skip
    return {}


def experts(n: int, unit: Unit) -> dict[str, str]:
    """Experts of an outside organisation approved by ``unit``, each with two disciplines,
    in the scope of ``unit`` (an expert's owner unit)."""
    results(0, unit)
    university = _university().university
    assert university is not None
    disciplines = [_discipline("0808"), _discipline("0811")]
    for _ in range(n):
        k = next(_serial)
        expert = Expert.objects.create(
            name=f"专家{k}", university=university, department="学院", title="教授",
            directions="方向", owner_unit=unit,
        )  # fmt: skip
        expert.disciplines.set(disciplines)
    return {}


def threads(n: int, unit: Unit) -> dict[str, str]:
    """Negotiations of an enterprise of ``unit`` with an outside organisation, on a published
    need each, with a cooperation every other one."""
    enterprise = _enterprise(unit)
    organisation = _university()
    author = _author()
    cooperation = Cooperation.objects.filter(owner_unit__in=[unit, enterprise]).first()
    for _ in range(n):
        k = next(_serial)
        need = TechNeed.objects.create(
            enterprise=enterprise, title=f"洽谈难题{k}", problem="问题", field="领域",
            budget_min=1, budget_max=2, deadline=dt.date(2022, 6, 30), ip_expectation="shared",
            created_by=author, state=HallState.PUBLISHED, published_at=timezone.now(),
        )  # fmt: skip
        Thread.objects.create(
            enterprise=enterprise, organisation=organisation, need=need, subject=need.title,
            started_by=author, messages_count=2, status=ThreadStatus.AGREED,
            cooperation=cooperation if k % 2 else None,
        )  # fmt: skip
    return {}


ROWS: dict[str, RowFactory] = {
    "portal:registration_list": registrations,
    "portal:home": accounts,
    "portal:staff_list": accounts,
    "portal:call_list": calls,
    "portal:my_applications": calls,
    "api:list_calls": calls,
    "portal:need_hall": tech_needs,
    "api:list_tech_needs": tech_needs,
    "portal:result_hall": results,
    "api:list_results": results,
    "portal:expert_directory": experts,
    "api:list_hall_experts": experts,
    "portal:thread_list": threads,
    "api:list_threads": threads,
}
