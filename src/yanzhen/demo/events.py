"""The demo's 云对接会: Yongji's 2021 online matchmaking with universities (永济市 was the first
in 运城 to run "云对接"), through the services as in use — the office creates it, 中车永济电机
(the ``enterprise`` login), 西安交通大学 (``university``) and its expert (``expert``) register
on the portal, the office registers two more enterprises of the county, the parties request
meetings (one pair both ways), the expert cannot attend the first slot, the office computes
the schedule with the meeting engine and publishes it (both parties of every meeting are told),
then records the minutes of the first meeting and links the cooperation of the ledger that came
out of it. Nothing of the ledger changes (the case's figures stay). Idempotent."""

from __future__ import annotations

import datetime as dt

from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import Unit, User
from yanzhen.demo.shared import DemoResult, grant
from yanzhen.portal import event_services as services
from yanzhen.portal.event_models import EventMeeting, EventParty, MatchEvent

TITLE = "2021年永济市—高校云对接会"
DATE = dt.date(2021, 6, 18)
HELD = dt.datetime(2021, 6, 18, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PERMISSIONS = {
    "office": ["portal.view_matchevent", "portal.add_matchevent", "portal.change_matchevent"],
    "leader": ["portal.view_matchevent"],
}
AGENDA = """09:00 开幕：市领导致辞，介绍永济市省校合作“十二大基地”
09:20 高校科技成果云推介（西安交通大学）
10:00 企业与高校、专家一对一云洽谈
11:00 云签约意向交流与总结"""
SLOTS = "10:00–10:20\n10:20–10:40\n10:40–11:00"
ROOMS = """云洽谈室一 https://meeting.example.cn/yongji-2021-1
云洽谈室二 https://meeting.example.cn/yongji-2021-2"""
OTHER_ENTERPRISES = ("永济市贝特电气机械有限公司", "山西穿越光电科技有限公司")
MINUTES = (
    "双方围绕牵引电机绝缘系统耐电晕寿命和永磁电机温度在线估计交流了需求与成果，"
    "商定由西安交通大学电气工程学院与企业技术中心组建联合研发团队，形成合作意向。"
)


def load(result: DemoResult) -> None:
    grant(PERMISSIONS)
    if MatchEvent.objects.filter(title=TITLE).exists():
        return
    office = User.objects.get(username="office")
    enterprise = User.objects.get(username="enterprise")
    university = User.objects.get(username="university")
    expert = User.objects.get(username="expert")
    event = services.event_create(
        actor=office,
        title=TITLE,
        date=DATE,
        description="永济市在运城率先以“云对接”方式与高校开展对接：企业与高校、专家通过视频会议"
        "一对一洽谈，主办方按双方的约见请求排定时段和云洽谈室。",
        agenda=AGENDA,
        slots=SLOTS,
        rooms=ROOMS,
    )
    crrc = services.party_register(actor=enterprise, event=event)
    xjtu = services.party_register(actor=university, event=event)
    professor = services.party_register(actor=expert, event=event)
    others = [
        services.party_register(actor=office, event=event, unit=Unit.objects.get(name=name))
        for name in OTHER_ENTERPRISES
    ]
    services.party_availability(
        actor=expert, party=professor, unavailable=[event.slots.order_by("position")[0]]
    )
    asks: list[tuple[User, EventParty, EventParty, str]] = [
        (enterprise, crrc, xjtu, "牵引电机绝缘系统联合研发"),
        (university, xjtu, crrc, "电机绝缘局部放电检测技术许可"),  # the same pair: mutual
        (enterprise, crrc, professor, "永磁电机温度在线估计"),
        (office, others[0], xjtu, "电气机械产品轻量化设计"),
        (office, others[0], professor, ""),
        (office, others[1], xjtu, "光电材料联合实验室"),
    ]
    for actor, by, other, topic in asks:
        services.meeting_request_create(actor=actor, by=by, other=other, topic=topic)
    services.event_schedule(actor=office, event=event)
    services.event_publish(actor=office, event=event)
    MatchEvent.objects.filter(pk=event.pk).update(
        created_at=HELD - dt.timedelta(days=30),
        scheduled_at=HELD - dt.timedelta(days=2),
        published_at=HELD - dt.timedelta(days=2),
    )
    first = EventMeeting.objects.get(request__a=crrc, request__b=xjtu)
    cooperation = (
        Cooperation.objects.filter(parties=crrc.unit, universities__name=xjtu.unit.name)
        .order_by("pk")
        .first()
    )
    services.meeting_minutes(
        actor=office,
        meeting=first,
        minutes=MINUTES,
        cooperations=[cooperation] if cooperation is not None else [],
    )
    EventMeeting.objects.filter(pk=first.pk).update(minutes_at=HELD)
    result.add("matchmaking events")
