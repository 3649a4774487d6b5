"""Recruitment: campaigns and positions, applicants moving stage by stage, onboarding into the
registry within the quota, and the link of a position to a talent need."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.talent.conftest import World
from yanzhen.core.errors import DomainError
from yanzhen.demand.models import TalentNeed
from yanzhen.talent import services
from yanzhen.talent.models import Applicant, ApplicantEvent, Campaign, Position, Talent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
D = dt.date


def campaign(world: World, channel: str = "campus") -> Campaign:
    return services.campaign_create(
        actor=None,
        name="2021年校园招聘",
        channel=channel,
        owner_unit=world.office,
        year=2021,
        start_date=D(2021, 3, 1),
        end_date=D(2021, 6, 30),
        target_universities=[world.xjtu, world.nwpu],
    )


def position(world: World, quota: int = 1) -> Position:
    return services.position_create(
        actor=None,
        campaign=campaign(world),
        title="电机设计工程师",
        unit=world.firm,
        talent_type="full_time",
        quota=quota,
    )


def applicant(world: World, pos: Position, name: str = "张三") -> Applicant:
    return services.applicant_create(
        actor=None,
        position=pos,
        person=world.person(name),
        applied_on=D(2021, 3, 10),
        university=world.xjtu,
        degree="master",
    )


def move(a: Applicant, target: str, day: dt.date, reason: str = "") -> Applicant:
    return services.applicant_move(actor=None, applicant=a, target=target, date=day, reason=reason)


def error(call: object) -> dict[str, str]:
    assert callable(call)
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.fields


def test_an_applicant_moves_stage_by_stage_into_the_registry(world: World) -> None:
    a = applicant(world, position(world))
    for target, day in (
        ("screened", D(2021, 3, 20)),
        ("examined", D(2021, 4, 10)),
        ("offered", D(2021, 5, 10)),
        ("onboarded", D(2021, 7, 1)),
    ):
        a = move(a, target, day)
    talent = Talent.objects.get()
    assert a.talent == talent
    assert (
        talent.person.name, talent.talent_type, talent.degree, talent.university,
        talent.employer, talent.channel, talent.campaign, talent.start_date,
    ) == ("张三", "full_time", "master", world.xjtu, world.firm, "campus", a.campaign,
          D(2021, 7, 1))  # fmt: skip
    assert list(
        ApplicantEvent.objects.filter(applicant=a).values_list("from_stage", "to_stage", "date")
    ) == [
        ("", "applied", D(2021, 3, 10)),
        ("applied", "screened", D(2021, 3, 20)),
        ("screened", "examined", D(2021, 4, 10)),
        ("examined", "offered", D(2021, 5, 10)),
        ("offered", "onboarded", D(2021, 7, 1)),
    ]
    assert talent.history.count() == 1


def test_each_refused_move_names_its_reason_and_changes_nothing(world: World) -> None:
    a = applicant(world, position(world))
    assert error(lambda: move(a, "offered", D(2021, 3, 20))) == {
        "target": "只能按顺序推进：“已报名”之后为“资格审查通过”，或本人放弃、未录用"
    }
    assert error(lambda: move(a, "rejected", D(2021, 3, 20))) == {"reason": "“未录用”须说明原因"}
    assert error(lambda: move(a, "screened", D(2021, 3, 1))) == {
        "date": "日期不能早于上一阶段日期（2021-03-10）"
    }
    assert error(lambda: move(a, "screened", D(2022, 1, 1))) == {"date": "日期不能晚于今天"}
    assert error(
        lambda: services.applicant_move(
            actor=None, applicant=a, target="screened", date=None, reason=""
        )
    ) == {"date": "请填写日期"}
    assert error(lambda: move(a, "hired", D(2021, 3, 20))) == {"target": "目标阶段不正确"}
    a.refresh_from_db()
    assert (a.stage, ApplicantEvent.objects.filter(applicant=a).count()) == ("applied", 1)
    a = move(a, "withdrawn", D(2021, 3, 12), "已被其他单位录用")
    assert (a.stage, a.stage_reason) == ("withdrawn", "已被其他单位录用")
    assert error(lambda: move(a, "screened", D(2021, 3, 20))) == {
        "target": "该报名已是“本人放弃”，不能再变更"
    }
    assert services.next_stages("withdrawn") == []
    assert services.next_stages("examined") == ["offered", "withdrawn", "rejected"]


def test_onboarding_stops_at_the_quota(world: World) -> None:
    pos = position(world, quota=1)
    first, second = applicant(world, pos, "张三"), applicant(world, pos, "李四")
    for a in (first, second):
        for target, day in (("screened", D(2021, 4, 1)), ("examined", D(2021, 4, 2)),
                            ("offered", D(2021, 4, 3))):  # fmt: skip
            a = move(a, target, day)
    move(first, "onboarded", D(2021, 7, 1))
    with pytest.raises(DomainError) as caught:
        move(second, "onboarded", D(2021, 7, 1))
    assert (caught.value.code, caught.value.message) == (
        "quota_full",
        "岗位“电机设计工程师”名额1人已满",
    )
    assert Talent.objects.count() == 1
    assert error(
        lambda: services.position_update(
            actor=None, position=pos, title=pos.title, unit=pos.unit,
            talent_type="full_time", quota=0)
    ) == {"quota": "招聘名额至少为1"}  # fmt: skip


def test_a_campaign_keeps_to_the_three_channels_and_its_dates(
    world: World, make_user: object
) -> None:
    assert error(lambda: campaign(world, channel="selection")) == {
        "channel": "引才渠道应为公开招聘、柔性引才或校园招聘"
    }
    assert error(
        lambda: services.campaign_create(
            actor=None, name="x", channel="open", owner_unit=world.office,
            year=2021, start_date=D(2021, 5, 1), end_date=D(2021, 4, 1))
    ) == {"end_date": "结束日期不能早于开始日期"}  # fmt: skip
    first = campaign(world)
    assert sorted(u.name for u in first.target_universities.all()) == [
        "西北工业大学",
        "西安交通大学",
    ]
    assert error(lambda: campaign(world)) == {"name": "人才办已有名为“2021年校园招聘”的招聘活动"}
    assert callable(make_user)
    town_clerk = make_user(world.town, "unit_and_below")
    assert error(
        lambda: services.campaign_create(
            actor=town_clerk, name="越权", channel="open", owner_unit=world.office,
            year=2021, start_date=D(2021, 3, 1), end_date=D(2021, 4, 1))
    ) == {"owner_unit": "不在您的数据范围内"}  # fmt: skip


def test_a_position_answers_a_need_of_its_own_unit(world: World) -> None:
    need = TalentNeed.objects.create(
        code="XQ2021001", enterprise=world.firm, position="电机设计工程师", degree="master"
    )
    other = TalentNeed.objects.create(
        code="XQ2021002", enterprise=world.other_firm, position="化工工艺员", degree="bachelor"
    )
    pos = services.position_create(
        actor=None, campaign=campaign(world), title="电机设计工程师",
        unit=world.firm, talent_type="full_time", quota=2, talent_need=need,
    )  # fmt: skip
    assert pos.talent_need == need
    assert list(need.talent_positions.all()) == [pos]
    assert error(
        lambda: services.position_update(
            actor=None, position=pos, title=pos.title, unit=world.firm,
            talent_type="full_time", quota=2, talent_need=other)
    ) == {"talent_need": "人才需求“化工工艺员”不是甲公司的需求"}  # fmt: skip
