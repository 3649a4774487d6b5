"""The ledger's services: rules of a cooperation and of its stages, the figures kept in step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine

from yanzhen.cooperation import services, tally
from yanzhen.cooperation.models import (
    Base,
    Cooperation,
    CooperationLink,
    CooperationTally,
    StageEvent,
)
from yanzhen.core.errors import DomainError
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.engines.ledger import Tally, TallyKey, TallyValue
from yanzhen.reference.models import University

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_2021() -> object:
    with time_machine.travel(dt.datetime(2021, 12, 31, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(county: Unit) -> dict[str, object]:
    office = unit_create(actor=None, parent=county, name="合作办", kind=UnitKind.DEPARTMENT)
    town = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    village = unit_create(actor=None, parent=town, name="甲村", kind=UnitKind.VILLAGE)
    firm = unit_create(actor=None, parent=town, name="甲公司", kind=UnitKind.ENTERPRISE)
    xjtu = University.objects.create(name="西安交通大学", code="4161010698")
    nwpu = University.objects.create(name="西北工业大学", code="4161010699")
    base = Base.objects.create(code="B1", name="基地一", county=county, lead_department=office)
    return {"county": county, "office": office, "town": town, "village": village, "firm": firm,
            "xjtu": xjtu, "nwpu": nwpu, "base": base}  # fmt: skip


def data(w: dict[str, object], **overrides: object) -> services.CooperationData:
    values: dict[str, object] = {
        "title": "电机联合研发",
        "owner_unit": w["office"],
        "parties": [w["firm"]],
        "universities": [w["xjtu"]],
        "channel": "invite",
        "kind": "research",
        "intention_date": dt.date(2021, 3, 1),
    }
    values.update(overrides)
    return services.CooperationData(**values)  # type: ignore[arg-type]


def stored() -> dict[TallyKey, TallyValue]:
    return tally.stored_rows()


def recount() -> dict[TallyKey, TallyValue]:
    return dict(Tally.of(tally.facts_for(None).values()).nonzero())


def test_it_creates_a_cooperation_with_its_links_event_and_figures(
    world: dict[str, object],
) -> None:
    coop = services.cooperation_create(
        actor=None, data=data(world, base=world["base"], planned_investment=Decimal("300.50"))
    )
    assert coop.code == "HZ2021000001"
    assert set(
        CooperationLink.objects.filter(cooperation=coop).values_list("unit__name", flat=True)
    ) == {"合作办", "甲公司"}
    assert list(
        StageEvent.objects.filter(cooperation=coop).values_list("from_stage", "to_stage", "reason")
    ) == [("", "intention", "新建登记")]
    assert stored() == recount()
    assert stored()[("total", "", "intention", 2021)].planned == Decimal("300.50")
    firm = Unit.objects.get(name="甲公司")
    assert firm.cooperation_count == 1
    second = services.cooperation_create(actor=None, data=data(world, title="第二项"))
    assert second.code == "HZ2021000002"


def test_it_refuses_an_incomplete_cooperation_naming_each_field(world: dict[str, object]) -> None:
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(
            actor=None,
            data=data(world, title=" ", parties=[], universities=[], planned_investment=Decimal(-1),
                      landed_investment=Decimal(5)),
        )  # fmt: skip
    assert caught.value.fields == {
        "title": "请填写合作名称",
        "parties": "至少选择一个本地合作方",
        "universities": "至少选择一所合作高校（院所）",
        "planned_investment": "计划投资不能为负数",
        "landed_investment": "尚未落地的合作不应填写落地投资",
    }
    assert Cooperation.objects.count() == 0
    assert CooperationTally.objects.count() == 0


def test_it_refuses_a_university_as_a_local_party(world: dict[str, object], county: Unit) -> None:
    campus = unit_create(actor=None, parent=None, name="某大学", kind=UnitKind.UNIVERSITY)
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(actor=None, data=data(world, parties=[campus]))
    assert caught.value.fields == {"parties": "“某大学”不是本地单位，高校请填在合作高校中"}


def test_it_refuses_a_second_cooperation_of_the_same_name_in_a_unit(
    world: dict[str, object],
) -> None:
    services.cooperation_create(actor=None, data=data(world))
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(actor=None, data=data(world))
    assert caught.value.fields == {"title": "合作办已登记过同名合作“电机联合研发”"}
    assert Cooperation.objects.count() == 1


def test_it_refuses_inconsistent_stage_dates_on_create(world: dict[str, object]) -> None:
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(
            actor=None, data=data(world, stage="landed", landed_date=dt.date(2021, 5, 1))
        )
    assert caught.value.fields == {"agreement_date": "阶段为“落地”时必须填写签约日期"}


def test_moves_are_recorded_and_keep_the_figures(world: dict[str, object]) -> None:
    coop = services.cooperation_create(actor=None, data=data(world))
    services.cooperation_move(
        actor=None, cooperation=coop, target="agreement", date=dt.date(2021, 4, 2)
    )
    services.cooperation_move(
        actor=None, cooperation=coop, target="landed", date=dt.date(2021, 6, 2)
    )
    assert stored() == recount()
    services.cooperation_update(
        actor=None, cooperation=coop,
        data=data(world, stage="landed", agreement_date=dt.date(2021, 4, 2),
                  landed_date=dt.date(2021, 6, 2), landed_investment=Decimal(50)),
    )  # fmt: skip
    assert stored()[("total", "", "landed", 2021)].landed == Decimal(50)
    services.cooperation_move(
        actor=None, cooperation=coop, target="agreement", date=None, reason="项目延期"
    )
    coop.refresh_from_db()
    assert (coop.stage, coop.landed_date, coop.landed_investment) == ("agreement", None, Decimal(0))
    services.cooperation_move(
        actor=None, cooperation=coop, target="dropped", date=dt.date(2021, 7, 1), reason="企业转产"
    )
    assert Unit.objects.get(name="甲公司").cooperation_count == 0
    services.cooperation_move(
        actor=None, cooperation=coop, target="agreement", date=None, reason="重启"
    )
    assert Unit.objects.get(name="甲公司").cooperation_count == 1
    assert list(StageEvent.objects.filter(cooperation=coop).values_list("from_stage", "to_stage")) == [
        ("", "intention"), ("intention", "agreement"), ("agreement", "landed"),
        ("landed", "agreement"), ("agreement", "dropped"), ("dropped", "agreement"),
    ]  # fmt: skip
    assert stored() == recount()
    assert coop.history.count() == 7


@pytest.mark.parametrize(
    ("target", "date", "reason", "fields"),
    [
        (
            "landed",
            dt.date(2021, 5, 1),
            "",
            {"target": "未签约的合作不能直接落地：请先登记签约（协议）日期"},
        ),
        ("agreement", None, "", {"date": "请填写签约日期"}),
        ("agreement", dt.date(2021, 2, 1), "", {"date": "签约日期不能早于意向日期"}),
        ("agreement", dt.date(2022, 1, 1), "", {"date": "签约日期不能晚于今天"}),
        ("intention", None, "", {"target": "合作已处于“意向”阶段"}),
        ("dropped", None, "", {"date": "请填写终止日期", "reason": "终止合作必须说明原因"}),
        ("nonsense", None, "", {"target": "目标阶段不正确"}),
    ],
)
def test_every_rejected_move_changes_nothing(
    world: dict[str, object], target: str, date: dt.date | None, reason: str, fields: dict[str, str]
) -> None:
    coop = services.cooperation_create(actor=None, data=data(world))
    before = (stored(), list(StageEvent.objects.values_list("pk", flat=True)), coop.history.count())
    with pytest.raises(DomainError) as caught:
        services.cooperation_move(
            actor=None, cooperation=coop, target=target, date=date, reason=reason
        )
    assert caught.value.fields == fields
    coop.refresh_from_db()
    assert coop.stage == "intention"
    after = (stored(), list(StageEvent.objects.values_list("pk", flat=True)), coop.history.count())
    assert after == before


def test_update_refuses_a_stage_change_outside_a_move(world: dict[str, object]) -> None:
    coop = services.cooperation_create(actor=None, data=data(world))
    with pytest.raises(DomainError) as caught:
        services.cooperation_update(
            actor=None, cooperation=coop,
            data=data(world, stage="agreement", agreement_date=dt.date(2021, 4, 1)),
        )  # fmt: skip
    assert caught.value.fields == {"stage": "阶段不能在此修改"}


def test_update_moves_parties_links_and_figures(world: dict[str, object]) -> None:
    coop = services.cooperation_create(actor=None, data=data(world, base=world["base"]))
    services.cooperation_update(
        actor=None, cooperation=coop,
        data=data(world, parties=[world["village"]], universities=[world["xjtu"], world["nwpu"]],
                  channel="find"),
    )  # fmt: skip
    assert set(
        CooperationLink.objects.filter(cooperation=coop).values_list("unit__name", flat=True)
    ) == {"合作办", "甲村"}
    assert Unit.objects.get(name="甲公司").cooperation_count == 0
    assert Unit.objects.get(name="甲村").cooperation_count == 1
    assert stored() == recount()
    assert ("channel", "invite", "intention", 2021) not in stored()


def test_delete_takes_the_cooperation_out_of_the_figures(world: dict[str, object]) -> None:
    coop = services.cooperation_create(actor=None, data=data(world))
    services.cooperation_delete(actor=None, cooperation=coop)
    assert stored() == {}
    assert Unit.objects.get(name="甲公司").cooperation_count == 0


def test_recount_rebuilds_the_stored_figures(world: dict[str, object]) -> None:
    services.cooperation_create(
        actor=None, data=data(world, stage="agreement", agreement_date=dt.date(2021, 4, 1))
    )
    expected = stored()
    CooperationTally.objects.update(count=99)
    Unit.objects.update(cooperation_count=7)
    tally.recount()
    assert stored() == expected
    assert dict(Unit.objects.values_list("name", "cooperation_count")) == {
        "测试县": 0,
        "合作办": 0,
        "甲镇": 0,
        "甲村": 0,
        "甲公司": 1,
    }


def test_an_actor_cannot_file_for_units_outside_their_scope(
    world: dict[str, object], make_user: Callable[..., User]
) -> None:
    town_user = make_user(world["town"], DataScope.UNIT_AND_BELOW)
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(actor=town_user, data=data(world))
    assert caught.value.fields == {"owner_unit": "不在您的数据范围内"}
    created = services.cooperation_create(
        actor=town_user, data=data(world, owner_unit=world["town"], parties=[world["village"]])
    )
    assert created.created_by == town_user
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(
            actor=town_user,
            data=data(world, title="越权", owner_unit=world["town"], parties=[world["office"]]),
        )
    assert caught.value.fields == {"parties": "“合作办”不在您的数据范围内"}


def test_a_new_cooperation_never_takes_the_code_of_a_deleted_one(
    world: dict[str, object],
) -> None:
    """The numbering counted only the cooperations not deleted: the next one after a deletion
    took the deleted one's code and failed on the unique code (a server error)."""
    first = services.cooperation_create(actor=None, data=data(world))
    services.cooperation_delete(actor=None, cooperation=first)
    second = services.cooperation_create(actor=None, data=data(world, title="另一项合作"))
    assert (first.code, second.code) == ("HZ2021000001", "HZ2021000002")
    with pytest.raises(DomainError) as refused:
        services.cooperation_create(
            actor=None, data=data(world, title="第三项合作", code="HZ2021000001")
        )
    assert refused.value.fields == {"code": "编号已存在"}
    assert Cooperation.all_objects.count() == 2
