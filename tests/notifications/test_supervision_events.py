"""Every supervision action that hands work to someone notifies them, exactly once per
recipient and event: a round opened, its report due and late, a problem raised, assigned,
resolved (to verify) and returned, a milestone handed to a unit, 督办 (time frozen at
2021-06-10 10:00, the supervision tests' small county)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.urls import reverse

from tests.supervision.conftest import NOW, World, build_world
from yanzhen.core.models import Unit, User
from yanzhen.notifications.models import Notification
from yanzhen.supervision import services
from yanzhen.supervision.models import Problem, Round

pytestmark = pytest.mark.django_db
D = dt.date
ZONE = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(county: Unit, make_user: Callable[..., User]) -> World:
    return build_world(county, make_user)


def inbox(kind: str | None = None) -> list[tuple[str, str, str, str]]:
    qs = Notification.objects.select_related("recipient").order_by("pk")
    if kind is not None:
        qs = qs.filter(kind=kind)
    return [(n.recipient.username, n.kind, n.title, n.url) for n in qs]


def open_round(w: World) -> Round:
    response = w.client(w.office_user).post(
        reverse("supervision:round_new"),
        {"title": "2021年6月调度", "kind": "monthly", "opened_on": "2021-06-10",
         "deadline": "2021-06-15", "bases": [w.base.pk], "note": "请报送进展"},
    )  # fmt: skip
    assert response.status_code == 302
    return Round.objects.get(title="2021年6月调度")


def test_opening_a_round_asks_the_lead_department_once(world: World) -> None:
    round = open_round(world)
    url = reverse("supervision:report_edit", args=[round.pk, world.base.pk])
    assert inbox() == [
        (
            world.lead_user.username,
            "round.opened",
            "请报送2021年6月调度（电机基地），2021-06-15前",
            url,
        )
    ]
    assert Notification.objects.get().body == "请报送进展"


def test_a_report_due_then_late_is_reminded_once_each(
    world: World,
    clock: time_machine.Traveller,
) -> None:
    round = open_round(world)
    lead = world.lead_user.username
    url = reverse("supervision:report_edit", args=[round.pk, world.base.pk])
    assert services.round_reminders(today=D(2021, 6, 13)) == []  # not yet
    for _ in range(2):
        services.round_reminders(today=D(2021, 6, 14))
        services.round_reminders(today=D(2021, 6, 15))
    assert inbox("round.due") == [
        (lead, "round.due", "2021年6月调度（电机基地）尚未报送，请于2021-06-15前报送", url)
    ]
    for day in (16, 17):
        services.round_reminders(today=D(2021, 6, day))
    assert inbox("round.late") == [
        (lead, "round.late", "2021年6月调度（电机基地）尚未报送，已逾期1天", url)
    ]
    # A later deadline reminds again; a base that has reported is not reminded.
    services.round_update(actor=world.office_user, round=round, title=round.title,
                          deadline=D(2021, 6, 20), note="", state="open")  # fmt: skip
    services.round_reminders(today=D(2021, 6, 19))
    assert len(inbox("round.due")) == 2
    services.report_submit(actor=world.lead_user, round=round, base=world.base, summary="进展",
                           items=[])  # fmt: skip
    services.round_reminders(today=D(2021, 6, 21))
    assert len(inbox("round.late")) == 1


def test_a_problem_raised_goes_to_who_assigns_then_to_the_unit(world: World) -> None:
    problem = services.problem_create(
        actor=world.lead_user, title="用地审批慢", raised_by_unit=world.lead, base=world.base
    )
    url = reverse("supervision:problem_detail", args=[problem.pk])
    assert inbox() == [
        (world.office_user.username, "problem.raised", "待交办问题：用地审批慢（工信局提出）", url)
    ]
    response = world.client(world.office_user).post(
        reverse("supervision:problem_move", args=[problem.pk]),
        {"action": "assign", "responsible_unit": world.other.pk, "deadline": "2021-06-30"},
    )
    assert response.status_code == 302
    assert inbox("problem.assigned") == [
        (
            world.other_user.username,
            "problem.assigned",
            "交办问题：用地审批慢，2021-06-30前办结",
            url,
        )
    ]


def test_resolving_asks_who_verifies_and_returning_tells_the_unit(world: World) -> None:
    problem = services.problem_create(
        actor=world.office_user, title="用地审批慢", raised_by_unit=world.lead,
        responsible_unit=world.other, deadline=D(2021, 6, 30),
    )  # fmt: skip
    assert [r for r, *_ in inbox()] == [world.other_user.username]  # raised and assigned at once
    services.problem_move(actor=world.other_user, problem=problem, action="resolve", note="已办")
    office = world.office_user.username
    assert inbox("problem.resolved")[0][:3] == (
        office,
        "problem.resolved",
        "问题已办结待验收：用地审批慢（科技局）",
    )
    services.problem_move(actor=world.office_user, problem=problem, action="return", note="未办好")
    assert inbox("problem.returned")[0][:3] == (
        world.other_user.username,
        "problem.returned",
        "问题验收未通过，退回办理：用地审批慢",
    )
    assert Notification.objects.get(kind="problem.returned").body == "未办好"
    services.problem_move(actor=world.other_user, problem=problem, action="resolve", note="再办")
    assert [r for r, *_ in inbox("problem.resolved")] == [office, office]  # each resolve once
    assert Problem.objects.get().state == "resolved"


def test_a_milestone_handed_to_a_unit_tells_it_once(world: World) -> None:
    milestone = services.milestone_create(
        actor=world.office_user, base=world.base, title="共建实验室",
        owner_unit=world.other, due_date=D(2021, 9, 30), deliverable="挂牌",
    )  # fmt: skip
    expected = (world.other_user.username, "milestone.assigned",
                "节点任务：电机基地“共建实验室”，2021-09-30前完成")  # fmt: skip
    assert [n[:3] for n in inbox()] == [expected]
    services.milestone_update(
        actor=world.office_user, milestone=milestone, base=world.base, title="共建实验室（改）",
        owner_unit=world.other, due_date=D(2021, 10, 30),
    )  # fmt: skip
    assert len(inbox()) == 1  # the same unit: nothing handed
    services.milestone_update(
        actor=world.office_user, milestone=milestone, base=world.base, title="共建实验室",
        owner_unit=world.lead, due_date=D(2021, 10, 30),
    )  # fmt: skip
    assert [r for r, *_ in inbox()] == [world.other_user.username, world.lead_user.username]


def test_escalation_tells_each_recipient_once_however_often_it_runs(
    world: World,
    clock: time_machine.Traveller,
) -> None:
    services.problem_create(
        actor=world.office_user, title="用地审批慢", raised_by_unit=world.lead,
        responsible_unit=world.other, deadline=D(2021, 6, 12), base=world.base,
    )  # fmt: skip
    world.milestones[0].delete()
    for day in (13, 13, 20, 20, 21):
        clock.move_to(dt.datetime(2021, 6, day, 8, tzinfo=ZONE))
        services.remind_due(today=D(2021, 6, day))
    escalations = [(r, t) for r, _, t, _ in inbox("escalation")]
    assert escalations == [
        (world.other_user.username, "【督办】问题“用地审批慢”已逾期1天"),
        (world.other_user.username, "【督办】问题“用地审批慢”已逾期8天"),
        (world.leader_user.username, "【报领导督办】问题“用地审批慢”已逾期8天"),
    ]
    reminders = [r for r, *_ in inbox("reminder")]
    assert sorted(reminders) == sorted(
        [world.other_user.username] * 3 + [world.leader_user.username] * 3
    )  # one a day each (13, 20, 21)
