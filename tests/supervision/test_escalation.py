"""督办 and the daily reminders: the day after its deadline an open item is escalated to its
unit, a week later to the base's responsible leader (time frozen); ``yanzhen remind_due``
writes the notifications; the worker sends them to the county's (local, fake) group robot."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.supervision.conftest import World
from yanzhen.core.errors import DomainError
from yanzhen.jobs.worker import run_ready
from yanzhen.notifications.models import Delivery, Notification, Robot
from yanzhen.supervision import services
from yanzhen.supervision.models import Escalation, Problem, ProblemEvent

pytestmark = pytest.mark.django_db
D = dt.date
ZONE = dt.timezone(dt.timedelta(hours=8))


def assigned(w: World, deadline: dt.date) -> Problem:
    return services.problem_create(
        actor=w.office_user,
        title="用地审批慢",
        raised_by_unit=w.lead,
        base=w.base,
        responsible_unit=w.other,
        deadline=deadline,
    )


def notices() -> list[tuple[str, str]]:
    """The 督办 notices (the assignment's own notice is another test's business)."""
    return [
        (n.recipient.username, n.title)
        for n in Notification.objects.filter(kind="escalation")
        .select_related("recipient")
        .order_by("id")
    ]


def test_no_escalation_until_the_day_after_the_deadline(world: World) -> None:
    problem = assigned(world, D(2021, 6, 12))
    world.milestones[0].due_date = D(2021, 6, 30)
    world.milestones[0].save()
    assert services.escalate_overdue(today=D(2021, 6, 12)).escalations == []
    assert services.escalation_level_due(D(2021, 6, 12), D(2021, 6, 12)) == 0
    problem.refresh_from_db()
    assert problem.escalation_level == 0


def test_an_overdue_problem_goes_to_its_unit_then_a_week_later_to_the_leader(
    world: World, clock: time_machine.Traveller
) -> None:
    problem = assigned(world, D(2021, 6, 12))
    Escalation.objects.all().delete()  # the overdue milestone is another test's business
    world.milestones[0].delete()
    other = world.other_user.username
    clock.move_to(dt.datetime(2021, 6, 13, 8, tzinfo=ZONE))
    run = services.escalate_overdue(today=D(2021, 6, 13))
    assert [(e.level, e.unit, e.leader, e.note) for e in run.escalations] == [
        (1, world.other, None, "逾期1天，督办责任单位")
    ]
    assert notices() == [(other, "【督办】问题“用地审批慢”已逾期1天")]
    problem.refresh_from_db()
    assert problem.escalation_level == 1
    for day in (14, 19):
        clock.move_to(dt.datetime(2021, 6, day, 8, tzinfo=ZONE))
        assert services.escalate_overdue(today=D(2021, 6, day)).escalations == []
    clock.move_to(dt.datetime(2021, 6, 20, 8, tzinfo=ZONE))
    run = services.escalate_overdue(today=D(2021, 6, 20))
    assert [(e.level, e.leader, e.note) for e in run.escalations] == [
        (2, world.leader, "逾期8天，报责任领导王副县长督办")
    ]
    assert notices()[1:] == [
        (other, "【督办】问题“用地审批慢”已逾期8天"),
        (world.leader_user.username, "【报领导督办】问题“用地审批慢”已逾期8天"),
    ]
    assert services.escalate_overdue(today=D(2021, 6, 21)).escalations == []
    assert list(
        ProblemEvent.objects.filter(problem=problem, action="escalate").values_list("note", "at")
    ) == [
        ("逾期1天，督办责任单位", dt.datetime(2021, 6, 13, 0, tzinfo=dt.UTC)),
        ("逾期8天，报责任领导王副县长督办", dt.datetime(2021, 6, 20, 0, tzinfo=dt.UTC)),
    ]


def test_a_resolved_problem_is_not_escalated_and_a_new_deadline_starts_again(
    world: World, clock: time_machine.Traveller
) -> None:
    problem = assigned(world, D(2021, 6, 12))
    services.problem_move(actor=world.other_user, problem=problem, action="resolve", note="已办")
    escalated = services.escalate_overdue(today=D(2021, 6, 30)).escalations
    assert [(e.milestone, e.level) for e in escalated] == [  # only the overdue milestone
        (world.milestones[0], 1),
        (world.milestones[0], 2),
    ]
    services.problem_move(actor=world.office_user, problem=problem, action="return", note="未办好")
    services.problem_move(
        actor=world.office_user,
        problem=problem,
        action="assign",
        responsible_unit=world.other,
        deadline=D(2021, 6, 20),
    )
    clock.move_to(dt.datetime(2021, 6, 22, 8, tzinfo=ZONE))
    levels = [
        (e.level, e.due_date)
        for e in services.escalate_overdue(today=D(2021, 6, 22)).escalations
        if e.problem
    ]
    assert levels == [(1, D(2021, 6, 20))]


def test_an_overdue_milestone_is_escalated_to_its_owner_and_the_leader(world: World) -> None:
    run = services.escalate_overdue(today=D(2021, 6, 10))
    assert [(e.milestone, e.level, e.unit, e.leader) for e in run.escalations] == [
        (world.milestones[0], 1, world.lead, None),
        (world.milestones[0], 2, world.lead, world.leader),
    ]
    assert notices() == [
        (world.lead_user.username, "【督办】电机基地节点任务“组建专班”已逾期71天"),
        (world.lead_user.username, "【督办】电机基地节点任务“组建专班”已逾期71天"),
        (world.leader_user.username, "【报领导督办】电机基地节点任务“组建专班”已逾期71天"),
    ]


def test_the_office_escalates_by_hand_once_overdue(
    world: World, clock: time_machine.Traveller
) -> None:
    problem = assigned(world, D(2021, 6, 12))
    with pytest.raises(DomainError) as caught:
        services.problem_move(actor=world.office_user, problem=problem, action="escalate")
    assert caught.value.message == "问题尚未逾期，无需督办"
    clock.move_to(dt.datetime(2021, 6, 14, 9, tzinfo=ZONE))
    for level in (1, 2):
        services.problem_move(
            actor=world.office_user, problem=problem, action="escalate", note=f"第{level}次督办"
        )
        problem.refresh_from_db()
        assert problem.escalation_level == level
    with pytest.raises(DomainError) as caught:
        services.problem_move(actor=world.office_user, problem=problem, action="escalate")
    assert caught.value.message == "该问题已报责任领导督办"
    assert list(
        Escalation.objects.filter(problem=problem).values_list("level", "note", "actor")
    ) == [
        (1, "第1次督办", world.office_user.pk),
        (2, "第2次督办", world.office_user.pk),
    ]


class FakeRobot:
    """A local HTTP server answering like a WeCom / DingTalk group robot."""

    def __init__(self) -> None:
        self.received: list[dict[str, object]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                robot.received.append(json.loads(self.rfile.read(length)))
                body = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?key=SECRET"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot() -> Iterator[FakeRobot]:
    server = FakeRobot()
    yield server
    server.close()


def test_the_daily_command_reminds_units_and_leaders_and_sends_to_the_robot(
    world: World, robot: FakeRobot, settings: object, clock: time_machine.Traveller
) -> None:
    # The county's group robot (the units' notices go to their county's robot when they have
    # none); it listens on this machine: an explicitly configured private host.
    assigned(world, D(2021, 6, 12))  # due in 2 days
    Escalation.objects.all().delete()
    Notification.objects.all().delete()  # the assignment's notice is another test's business
    Robot.objects.create(unit=world.county, name="县工作群", kind="wecom", url=robot.url)
    settings.YANZHEN_WEBHOOK_PRIVATE_HOSTS = ["127.0.0.1"]  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    world.other_user.email = "keji@example.org"
    world.other_user.save()
    out = io.StringIO()
    call_command("remind_due", "--date", "2021-06-10", stdout=out)
    assert out.getvalue().splitlines() == [
        "2021-06-10 督办与到期提醒",
        "新增督办 2 项",
        "  [督办责任单位] 组建专班：逾期71天，督办责任单位",
        "  [报责任领导督办] 组建专班：逾期71天，报责任领导王副县长督办",
        "责任单位 2 个",
        "  科技局：逾期 0 项，3日内到期 1 项",
        "    · 问题〔电机基地〕用地审批慢：2021-06-12到期",
        "  工信局：逾期 1 项，3日内到期 0 项",
        "    · 节点任务〔电机基地〕组建专班：逾期71天（2021-03-31到期）",
        "责任领导 1 个",
        "  王副县长（责任领导）：逾期 1 项，3日内到期 1 项",
        "    · 节点任务〔电机基地〕组建专班：逾期71天（2021-03-31到期）",
        "    · 问题〔电机基地〕用地审批慢：2021-06-12到期",
        "调度报送提醒 0 条",
        "站内消息 6 条；待发送邮件 1 封，群机器人消息 1 条",
    ]
    assert (mail.outbox, robot.received) == ([], [])  # sent by the worker, not by the run
    run_ready()
    by_user = {
        (n.recipient.username, n.kind, n.title)
        for n in Notification.objects.select_related("recipient")
    }
    assert by_user == {
        (world.lead_user.username, "escalation", "【督办】电机基地节点任务“组建专班”已逾期71天"),
        (world.leader_user.username, "escalation", "【报领导督办】电机基地节点任务“组建专班”已逾期71天"),
        (world.other_user.username, "reminder", "06月10日提醒：逾期 0 项，3日内到期 1 项"),
        (world.lead_user.username, "reminder", "06月10日提醒：逾期 1 项，3日内到期 0 项"),
        (world.leader_user.username, "reminder", "06月10日提醒：逾期 1 项，3日内到期 1 项"),
    }  # fmt: skip
    assert Notification.objects.count() == 6  # the lead department had two 督办 notices
    assert [m.to for m in mail.outbox] == [["keji@example.org"]]
    assert len(robot.received) == 1
    content = robot.received[0]["text"]["content"]  # type: ignore[index]
    assert content.splitlines()[0] == "【雁阵】5 条提醒"
    webhook = Delivery.objects.get(channel="webhook")
    assert (webhook.state, webhook.notifications.count()) == ("sent", 6)
    again = io.StringIO()
    call_command("remind_due", "--date", "2021-06-10", stdout=again)
    assert again.getvalue().splitlines()[-1] == "站内消息 0 条；待发送邮件 0 封，群机器人消息 0 条"
    run_ready()
    assert len(robot.received) == 1


def test_the_reminder_links_to_the_units_problems(world: World) -> None:
    assigned(world, D(2021, 6, 11))
    services.remind_due(today=D(2021, 6, 10))
    notice = Notification.objects.get(recipient=world.other_user, kind="reminder")
    assert notice.url == reverse("supervision:problem_list") + f"?unit={world.other.pk}"
    page = world.client(world.other_user).get(notice.url).content.decode()
    assert "用地审批慢" in page


def test_a_bad_date_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("remind_due", "--date", "2021-13-01")
