"""Who may change a cooperation's owner and base (issue 11, item 7): the owner only the county
office (``cooperation.reassign_cooperation``), the base only the office or the base's lead
department; the same rule for the API and the pages, and nothing changes on a refusal."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation import services
from yanzhen.cooperation.models import Base, Cooperation, CooperationLink
from yanzhen.core.models import Unit
from yanzhen.reference.models import University

pytestmark = pytest.mark.usefixtures("demo_db")

TRACTION = (
    "牵引电机控制技术联合研发"  # owned by the office, party 中车 (the enterprise), base of 工信局
)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def state(cooperation: Cooperation) -> tuple[Any, ...]:
    """Everything a takeover would change: owner, base, parties, visibility, version, history."""
    fresh = Cooperation.all_objects.get(pk=cooperation.pk)
    return (
        fresh.owner_unit_id,
        fresh.base_id,
        sorted(fresh.parties.values_list("pk", flat=True)),
        sorted(CooperationLink.objects.filter(cooperation=fresh).values_list("unit_id", flat=True)),
        fresh.version,
        fresh.history.count(),
        fresh.title,
    )


def api_body(cooperation: Cooperation, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": cooperation.title,
        "owner_unit_id": cooperation.owner_unit_id,
        "party_ids": sorted(cooperation.parties.values_list("pk", flat=True)),
        "university_ids": sorted(cooperation.universities.values_list("pk", flat=True)),
        "channel": cooperation.channel,
        "kind": cooperation.kind,
        "base_id": cooperation.base_id,
        "stage": cooperation.stage,
        "intention_date": cooperation.intention_date.isoformat(),
        "agreement_date": cooperation.agreement_date and cooperation.agreement_date.isoformat(),
        "landed_date": cooperation.landed_date and cooperation.landed_date.isoformat(),
        "planned_investment": str(cooperation.planned_investment),
        "landed_investment": str(cooperation.landed_investment),
        "participants": cooperation.participants,
        "version": cooperation.version,
    }
    values.update(overrides)
    return values


def put(client: Client, cooperation: Cooperation, body: dict[str, Any]) -> Any:
    url = reverse("api:update_cooperation", kwargs={"cooperation_id": cooperation.pk})
    return client.put(url, body, content_type="application/json")


def town_cooperation() -> Cooperation:
    """A cooperation of 开张镇 (the town) in a base the town does not lead (乡村振兴局's)."""
    units = {u.name: u for u in Unit.objects.filter(name__in=["开张镇", "东开张村"])}
    return services.cooperation_create(
        actor=None,
        data=services.CooperationData(
            title="芦笋种植技术示范",
            owner_unit=units["开张镇"],
            parties=[units["东开张村"]],
            universities=[University.objects.get(name="山西农业大学")],
            channel="find",
            kind="research",
            intention_date=dt.date(2026, 5, 1),
            base=Base.objects.get(name="乡村振兴校村结对基地"),
        ),
    )


def test_a_party_unit_cannot_take_over_a_cooperation_through_the_api(demo_db: Demo) -> None:
    cooperation = Cooperation.objects.get(title=TRACTION)
    enterprise = Unit.objects.get(name="中车永济电机有限公司")
    before = state(cooperation)
    response = put(
        demo_db.client("enterprise"),
        cooperation,
        api_body(cooperation, owner_unit_id=enterprise.pk, party_ids=[enterprise.pk], base_id=None),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "owner_change"
    assert response.json()["error"]["message"] == "登记单位只能由县合作办变更"
    assert response.json()["error"]["fields"] == {"owner_unit_id": "只有县合作办可以变更登记单位"}
    assert state(cooperation) == before


def test_a_party_unit_cannot_take_over_a_cooperation_through_the_page(demo_db: Demo) -> None:
    cooperation = Cooperation.objects.get(title=TRACTION)
    enterprise = Unit.objects.get(name="中车永济电机有限公司")
    before = state(cooperation)
    client = demo_db.client("enterprise")
    response = client.post(
        reverse("cooperation:cooperation_edit", kwargs={"pk": cooperation.pk}),
        {
            "title": cooperation.title,
            "owner_unit": str(enterprise.pk),
            "parties": "中车永济电机有限公司",
            "universities": "西安交通大学",
            "channel": cooperation.channel,
            "kind": cooperation.kind,
            "base": "",
            "intention_date": cooperation.intention_date.isoformat(),
            "version": str(cooperation.version),
        },
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert state(cooperation) == before


def test_the_office_may_change_the_owner(demo_db: Demo) -> None:
    cooperation = Cooperation.objects.get(title=TRACTION)
    enterprise = Unit.objects.get(name="中车永济电机有限公司")
    response = put(
        demo_db.client("office"), cooperation, api_body(cooperation, owner_unit_id=enterprise.pk)
    )
    assert response.status_code == 200, response.content
    assert response.json()["owner_unit"] == {"id": enterprise.pk, "name": "中车永济电机有限公司"}
    assert Cooperation.objects.get(pk=cooperation.pk).owner_unit == enterprise


def test_a_unit_without_the_base_cannot_drop_or_swap_it(demo_db: Demo) -> None:
    cooperation = town_cooperation()
    before = state(cooperation)
    client = demo_db.client("town")
    dropped = put(client, cooperation, api_body(cooperation, base_id=None))
    assert dropped.status_code == 403
    assert dropped.json()["error"] == {
        "code": "base_change",
        "message": "所属基地只能由县合作办或“乡村振兴校村结对基地”的牵头部门变更",
        "fields": {"base_id": "只有县合作办或基地牵头部门可以变更所属基地"},
    }
    other = Base.objects.get(name="轨道交通与电机电器产学研基地")
    swapped = put(client, cooperation, api_body(cooperation, base_id=other.pk))
    assert swapped.status_code == 400
    assert swapped.json()["error"]["fields"] == {"base_id": "基地不存在或不在您的数据范围内"}
    assert state(cooperation) == before


def test_a_unit_keeps_editing_its_cooperation_with_a_base_it_does_not_lead(
    demo_db: Demo,
) -> None:
    cooperation = town_cooperation()
    client = demo_db.client("town")
    response = put(client, cooperation, api_body(cooperation, title="芦笋绿色种植技术示范"))
    assert response.status_code == 200, response.content
    assert response.json()["base"]["name"] == "乡村振兴校村结对基地"
    page = client.get(
        reverse("cooperation:cooperation_edit", kwargs={"pk": cooperation.pk})
    ).content.decode()
    assert re.search(r'<select name="base"[^>]* disabled', page)
    assert re.search(r'<select name="owner_unit"[^>]* disabled', page)
    fresh = Cooperation.objects.get(pk=cooperation.pk)
    response = client.post(
        reverse("cooperation:cooperation_edit", kwargs={"pk": cooperation.pk}),
        {
            "title": "芦笋绿色高效种植技术示范",
            "owner_unit": str(fresh.owner_unit_id),
            "parties": "东开张村",
            "universities": "山西农业大学",
            "channel": "find",
            "kind": "research",
            "base": "",  # a disabled field: the posted value is ignored
            "intention_date": "2026-05-01",
            "version": str(fresh.version),
        },
    )
    assert response.status_code == 302, response.content.decode()
    fresh = Cooperation.objects.get(pk=cooperation.pk)
    assert (fresh.title, fresh.base) == (
        "芦笋绿色高效种植技术示范",
        Base.objects.get(name="乡村振兴校村结对基地"),
    )


def test_the_lead_department_and_the_office_may_change_the_base(demo_db: Demo) -> None:
    miit = Unit.objects.get(name="永济市工业和信息化局")  # the base login's unit
    rail = Base.objects.get(name="轨道交通与电机电器产学研基地")  # led by 工信局
    assert rail.lead_department == miit
    cooperation = services.cooperation_create(
        actor=None,
        data=services.CooperationData(
            title="电机能效测试平台共建",
            owner_unit=miit,
            parties=[miit],
            universities=[University.objects.get(name="西安交通大学")],
            channel="find",
            kind="research",
            intention_date=dt.date(2026, 5, 1),
            base=rail,
        ),
    )
    client = demo_db.client("base")
    # 工信局 leads the base: it may take the cooperation out of it …
    lead = put(client, cooperation, api_body(cooperation, base_id=None))
    assert lead.status_code == 200, lead.content
    cooperation = Cooperation.objects.get(pk=cooperation.pk)
    assert cooperation.base is None
    # … but not put it into a base led by another department; the office may.
    rural = Base.objects.get(name="乡村振兴校村结对基地")
    before = state(cooperation)
    refused = put(client, cooperation, api_body(cooperation, base_id=rural.pk))
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"base_id": "基地不存在或不在您的数据范围内"}
    assert state(cooperation) == before
    office = put(demo_db.client("office"), cooperation, api_body(cooperation, base_id=rural.pk))
    assert office.status_code == 200, office.content
    assert Cooperation.objects.get(pk=cooperation.pk).base == rural
