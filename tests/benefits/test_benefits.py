"""Services that keep talents: rules as data, entitlements generated from them with reasons,
deliveries, the monthly payment list (exact sums against the budget) and its XLSX, apartments."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.talent.conftest import World, benefit
from yanzhen.benefits import selectors, services
from yanzhen.benefits.models import Benefit, Delivery, Entitlement, RoomAllocation
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date
YEAR_END = D(2021, 12, 31)


def catalogue(world: World) -> dict[str, Benefit]:
    subsidy = benefit(world, "subsidy", "living_subsidy", monthly_amount=Decimal(1500),
                      duration_months=36, annual_budget=Decimal(50_000))  # fmt: skip
    services.rule_create(actor=None, benefit=subsidy, name="全职硕士",
                       talent_types=["full_time"], degrees=["master"])  # fmt: skip
    bachelor = benefit(world, "bachelor", "living_subsidy", monthly_amount=Decimal(800),
                       duration_months=6, annual_budget=Decimal(10_000))  # fmt: skip
    services.rule_create(actor=None, benefit=bachelor, name="全职本科",
                       talent_types=["full_time"], degrees=["bachelor"])  # fmt: skip
    tax = benefit(world, "tax", "tax_relief", amount=Decimal(20_000), duration_months=12)
    services.rule_create(actor=None, benefit=tax, name="企业引进",
                       employer_kinds=["enterprise"], degrees=["master", "doctor"])  # fmt: skip
    checkup = benefit(world, "checkup", "checkup", amount=Decimal(600), interval_months=12,
                      duration_months=36)  # fmt: skip
    services.rule_create(actor=None, benefit=checkup, name="满1年", min_years=1)
    return {"subsidy": subsidy, "bachelor": bachelor, "tax": tax, "checkup": checkup}


def test_rules_are_checked_when_the_office_edits_them(world: World) -> None:
    item = benefit(world, "visit", "visit", interval_months=6)
    with pytest.raises(DomainError) as caught:
        services.rule_create(
            actor=None, benefit=item, name="坏规则", talent_types=["wizard"],
            degrees=["phd"], employer_kinds=["castle"], min_years=3, max_years=2,
        )  # fmt: skip
    assert caught.value.fields == {
        "talent_types": "未知的人才类型：wizard",
        "employer_kinds": "未知的单位类型：castle",
        "degrees": "未知的学位：phd",
        "max_years": "“到岗不超过”的年数应大于“到岗满”的年数",
    }
    with pytest.raises(DomainError) as caught:
        benefit(world, "bad", "living_subsidy", monthly_amount=Decimal(0))
    assert caught.value.fields == {"monthly_amount": "按月发放的待遇须填写每月标准"}
    with pytest.raises(DomainError) as caught:
        benefit(world, "bad", "checkup")
    assert caught.value.fields == {"interval_months": "走访、体检须填写周期"}


def test_entitlements_follow_the_rules_with_their_reasons_once(world: World) -> None:
    items = catalogue(world)
    master = world.talent("张三", start=D(2021, 3, 15))
    bachelor = world.talent("李四", degree="bachelor", unit=world.town, start=D(2021, 7, 1))
    report = services.entitlements_generate(actor=None, talents=[master, bachelor], on=YEAR_END)
    got = {
        (e.talent.person.name, e.benefit.code): (
            e.start_date,
            e.end_date,
            e.monthly_amount,
            e.amount,
        )
        for e in report.created
    }
    assert got == {
        ("张三", "subsidy"): (D(2021, 3, 15), D(2024, 3, 14), Decimal(1500), Decimal(0)),
        ("张三", "tax"): (D(2021, 3, 15), D(2022, 3, 14), Decimal(0), Decimal(20_000)),
        ("李四", "bachelor"): (D(2021, 7, 1), D(2021, 12, 31), Decimal(800), Decimal(0)),
    }
    entitlement = Entitlement.objects.get(talent=master, benefit=items["subsidy"])
    assert entitlement.reason == (
        "2021-12-31认定：符合“subsidy”：规则“全职硕士”符合：人才类型“全职引进人才”在适用范围"
        "（全职引进人才）内；学位“硕士”在适用范围（硕士）内；不限用人单位类型"
    )
    assert entitlement.rule is not None
    assert entitlement.rule.name == "全职硕士"
    assert entitlement.history.count() == 1
    refused = {(t.person.name, b.code): v.summary() for t, b, v in report.not_eligible}
    assert refused[("李四", "tax")] == (
        "不符合“tax”：规则“企业引进”不符合：不限人才类型；学位“学士”不在适用范围（硕士、博士）内；"
        "用人单位“甲镇”为镇，不在适用范围（企业）内"
    )
    assert refused[("张三", "checkup")] == (
        "不符合“checkup”：规则“满1年”不符合：不限人才类型；不限学位；不限用人单位类型；"
        "截至2021-12-31到岗0年9个月（2021-03-15起），未满1年"
    )
    again = services.entitlements_generate(actor=None, talents=[master, bachelor], on=YEAR_END)
    assert (len(again.created), again.existing) == (0, 3)
    later = services.entitlements_generate(actor=None, talents=[master], on=D(2022, 3, 15))
    assert [(e.benefit.code, e.start_date, e.end_date) for e in later.created] == [
        ("checkup", D(2022, 3, 15), D(2025, 3, 14))
    ]


@pytest.fixture
def items(world: World) -> dict[str, Benefit]:
    return catalogue(world)


def _subsidy(world: World, name: str, start: dt.date, amount: int = 1500) -> Entitlement:
    talent = world.talent(name, start=start, degree="master" if amount == 1500 else "bachelor")
    services.entitlements_generate(actor=None, talents=[talent], on=YEAR_END)
    return Entitlement.objects.get(talent=talent, benefit__kind="living_subsidy")


@pytest.mark.usefixtures("items")
def test_deliveries_keep_to_the_entitlement(world: World) -> None:
    e = _subsidy(world, "张三", D(2021, 3, 15))
    record = services.delivery_create

    def refused(**kwargs: object) -> dict[str, str]:
        with pytest.raises(DomainError) as caught:
            record(actor=None, entitlement=e, **kwargs)  # type: ignore[arg-type]
        return caught.value.fields

    assert refused(date=D(2021, 4, 15)) == {"period": "按月发放的补贴须填写所属月份"}
    assert refused(date=D(2021, 4, 15), period=D(2021, 3, 1)) == {
        "period": "2021年03月不在该待遇的享受期内"
    }
    assert refused(date=D(2021, 3, 1), period=D(2021, 4, 1)) == {
        "date": "兑现日期不能早于待遇起始日期（2021-03-15）"
    }
    assert refused(date=D(2022, 1, 15), period=D(2021, 12, 1)) == {"date": "兑现日期不能晚于今天"}
    paid = record(
        actor=None, entitlement=e, date=D(2021, 4, 15), period=D(2021, 4, 20),
        evidence=SimpleUploadedFile("回单.pdf", b"%PDF-1.4"),
    )  # fmt: skip
    assert (paid.period, paid.amount, str(paid.evidence.name).endswith(".pdf")) == (
        D(2021, 4, 1),
        Decimal(1500),
        True,
    )
    assert refused(date=D(2021, 4, 16), period=D(2021, 4, 1)) == {"period": "2021年04月已发放"}
    services.entitlement_cancel(actor=None, entitlement=e, reason="离职")
    assert refused(date=D(2021, 5, 15), period=D(2021, 5, 1)) == {"date": "已取消的待遇不能兑现"}
    assert Delivery.objects.count() == 1


@pytest.mark.usefixtures("items")
def test_the_payment_list_sums_the_month_against_the_budget(world: World) -> None:
    first = _subsidy(world, "张三", D(2021, 3, 15))  # paid Apr–Nov before December
    second = _subsidy(world, "李四", D(2021, 11, 1))  # paid November
    _subsidy(world, "王五", D(2021, 12, 15))  # starts after 1 December: not on the list
    bachelor = _subsidy(world, "赵六", D(2021, 7, 1), amount=800)  # July–December
    for month in range(4, 12):
        services.delivery_create(actor=None, entitlement=first, date=D(2021, month, 20),
                                 period=D(2021, month, 1))  # fmt: skip
    services.delivery_create(actor=None, entitlement=second, date=D(2021, 11, 20),
                             period=D(2021, 11, 1))  # fmt: skip
    services.delivery_create(actor=None, entitlement=bachelor, date=D(2021, 12, 5),
                             period=D(2021, 12, 1))  # fmt: skip
    listing = services.payment_list(paying_unit=world.hrss, month=D(2021, 12, 9))
    assert listing.month == D(2021, 12, 1)
    assert [(line.entitlement.talent.person.name, line.amount, line.paid is not None)
            for line in listing.lines] == [
        ("张三", Decimal(1500), False), ("李四", Decimal(1500), False), ("赵六", Decimal(800), True),
    ]  # fmt: skip
    assert listing.total == Decimal(3800)
    assert [(b.benefit.code, b.budget, b.paid_before, b.this_month, b.remaining)
            for b in listing.budget] == [
        ("subsidy", Decimal(50_000), Decimal(13_500), Decimal(3000), Decimal(33_500)),
        ("bachelor", Decimal(10_000), Decimal(0), Decimal(800), Decimal(9200)),
    ]  # fmt: skip
    assert (listing.budget_total, listing.remaining_total) == (Decimal(60_000), Decimal(42_700))
    made = services.payment_confirm(
        actor=None, paying_unit=world.hrss, month=D(2021, 12, 1), date=D(2021, 12, 20)
    )
    assert sorted(d.entitlement.talent.person.name for d in made) == ["张三", "李四"]
    assert [list(d.history.values_list("history_type", "amount")) for d in made] == [
        [("+", d.amount)] for d in made
    ]
    assert services.payment_list(paying_unit=world.hrss, month=D(2021, 12, 1)).unpaid == []
    with pytest.raises(DomainError) as caught:
        services.payment_confirm(actor=None, paying_unit=world.hrss, month=D(2021, 12, 1),
                                 date=D(2021, 12, 20))  # fmt: skip
    assert caught.value.message == "2021年12月没有待发放的补贴"


@pytest.mark.usefixtures("items")
def test_the_payment_list_exports_for_finance_with_masked_ids(
    world: World, make_user: Callable[..., User]
) -> None:
    first = _subsidy(world, "张三", D(2021, 3, 15))
    _subsidy(world, "赵六", D(2021, 7, 1), amount=800)
    services.delivery_create(actor=None, entitlement=first, date=D(2021, 11, 20),
                             period=D(2021, 11, 1))  # fmt: skip
    user = make_user(world.county, "unit_and_below",
                     ["benefits.view_delivery", "talent.export_talent"])  # fmt: skip
    client = Client()
    client.force_login(user)
    response = client.get(
        reverse("talent:payment_list"),
        {"paying_unit": str(world.hrss.pk), "month": "2021-12", "export": "xlsx"},
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == ["序号", "姓名", "身份证号", "用人单位", "人才类型", "学位", "补贴项目",
                       "起止日期", "本月金额（元）", "已发放"]  # fmt: skip
    number = first.talent.person.id_number
    assert rows[1] == [1, "张三", number[:4] + "**********" + number[-4:], "甲公司",
                       "全职引进人才", "硕士", "subsidy", "2021-03-15至2024-03-14", 1500, None]  # fmt: skip
    assert rows[2][1:2] + rows[2][8:] == ["赵六", 800, None]
    assert rows[3] == [None, "合计", None, None, None, None, "2人次", None, 2300, None]
    notes = [r[0] for r in book["填写说明"].iter_rows(values_only=True)]
    assert notes == [
        "人社局 2021年12月人才补贴发放表",
        "发放规则：享受期覆盖当月1日的，发放当月全额补贴。",
        "本月合计：2300.00 元，2 人次。",
        "subsidy：2021年度预算 50000.00 元，此前已发放 1500.00 元，本月 1500.00 元，预算余额 47000.00 元。",
        "bachelor：2021年度预算 10000.00 元，此前已发放 0.00 元，本月 800.00 元，预算余额 9200.00 元。",
    ]


def test_an_apartment_bed_needs_the_entitlement_and_moves_in_and_out(world: World) -> None:
    home = benefit(world, "apartment", "apartment", duration_months=36)
    services.rule_create(actor=None, benefit=home, name="硕士", degrees=["master"])
    apartment = services.apartment_create(actor=None, name="人才公寓",
                                        owner_unit=world.hrss)  # fmt: skip
    room = services.room_create(actor=None, apartment=apartment, number="101", beds=1)
    services.room_create(actor=None, apartment=apartment, number="102", beds=2)
    holder = world.talent("张三")
    other = world.talent("李四", degree="bachelor")
    services.entitlements_generate(actor=None, talents=[holder, other], on=YEAR_END)

    def refused(**kwargs: object) -> dict[str, str]:
        with pytest.raises(DomainError) as caught:
            services.room_allocate(actor=None, **kwargs)  # type: ignore[arg-type]
        return caught.value.fields

    assert refused(room=room, talent=other, date=D(2021, 4, 1)) == {
        "talent": "李四在2021-04-01没有人才公寓待遇"
    }
    allocation = services.room_allocate(actor=None, room=room, talent=holder, date=D(2021, 4, 1))
    third = world.talent("王五", start=D(2021, 3, 1))
    services.entitlements_generate(actor=None, talents=[third], on=YEAR_END)
    assert refused(room=room, talent=third, date=D(2021, 4, 1)) == {
        "room": "人才公寓 101的1个床位已满"
    }
    assert refused(room=room, talent=holder, date=D(2021, 4, 2)) == {
        "talent": "张三已分配人才公寓 101，请先退房或取消"
    }
    occupancy = selectors.occupancy(apartment.__class__.objects.filter(pk=apartment.pk))[0]
    assert (occupancy.rooms, occupancy.beds, occupancy.occupied, occupancy.reserved, occupancy.free,
            occupancy.rate) == (2, 3, 0, 1, 2, Decimal("0.0"))  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.allocation_move(actor=None, allocation=allocation, target="checked_out",
                                 date=D(2021, 4, 3))  # fmt: skip
    assert caught.value.fields == {"target": "“已分配待入住”的分配不能变更为“已退房”"}
    services.allocation_move(actor=None, allocation=allocation, target="checked_in",
                             date=D(2021, 4, 3))  # fmt: skip
    occupancy = selectors.occupancy(apartment.__class__.objects.filter(pk=apartment.pk))[0]
    assert (occupancy.occupied, occupancy.reserved, occupancy.rate) == (1, 0, Decimal("33.3"))
    with pytest.raises(DomainError) as caught:
        services.allocation_move(actor=None, allocation=allocation, target="checked_out",
                                 date=D(2021, 4, 2))  # fmt: skip
    assert caught.value.fields == {"date": "退房日期不能早于入住日期"}
    services.allocation_move(actor=None, allocation=allocation, target="checked_out",
                             date=D(2021, 11, 30))  # fmt: skip
    allocation.refresh_from_db()
    assert (allocation.status, allocation.check_in, allocation.check_out) == (
        "checked_out",
        D(2021, 4, 3),
        D(2021, 11, 30),
    )
    again = services.room_allocate(actor=None, room=room, talent=third, date=D(2021, 12, 1))
    assert RoomAllocation.objects.filter(status="allocated").get() == again
