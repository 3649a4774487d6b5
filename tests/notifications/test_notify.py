"""Notifications: in the platform once per key, by e-mail, and to a (local, fake) group robot."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.notifications.models import Delivery, Notification
from yanzhen.notifications.services import dispatch, notify

pytestmark = pytest.mark.django_db


class Robot:
    """A local HTTP server that answers like a WeCom / DingTalk group robot."""

    def __init__(self, answer: dict[str, object]) -> None:
        self.received: list[tuple[str, dict[str, object]]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                robot.received.append((self.path, json.loads(self.rfile.read(length))))
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=SECRET-KEY"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _local_robots_allowed(settings: object) -> None:
    """The fake robots listen on this machine: an explicitly configured private host."""
    settings.YANZHEN_WEBHOOK_PRIVATE_HOSTS = ["127.0.0.1"]  # type: ignore[attr-defined]


@pytest.fixture
def robot() -> Iterator[Robot]:
    server = Robot({"errcode": 0, "errmsg": "ok"})
    yield server
    server.close()


@pytest.fixture
def town(county: Unit, make_user: Callable[..., User]) -> Unit:
    unit = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    first = make_user(unit)
    first.email = "clerk@example.org"
    first.save()
    make_user(unit)
    return unit


def test_a_notice_to_a_unit_reaches_each_of_its_users_once(town: Unit) -> None:
    sent = notify(category="overdue", title="节点任务逾期", units=[town], key="milestone:1:overdue")
    assert len(sent) == 2
    again = notify(
        category="overdue", title="节点任务逾期", units=[town], key="milestone:1:overdue"
    )
    assert again == []
    assert Notification.objects.count() == 2


def test_dispatch_sends_mail_and_one_robot_message(
    town: Unit, robot: Robot, settings: object
) -> None:
    settings.YANZHEN_WEBHOOK_URLS = [robot.url]  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    sent = notify(category="due", title="3日内到期：签订合作协议", body="请按时完成", units=[town])
    report = dispatch(sent)
    assert (report.emails, report.webhooks, report.failures) == (1, 1, 0)
    assert [m.subject for m in mail.outbox] == ["【雁阵】3日内到期：签订合作协议"]
    assert mail.outbox[0].to == ["clerk@example.org"]
    assert robot.received == [
        ("/cgi-bin/webhook/send?key=SECRET-KEY",
         {"msgtype": "text", "text": {"content": "【雁阵】1 条提醒\n· 3日内到期：签订合作协议"}}),
    ]  # fmt: skip
    hook = Delivery.objects.get(channel="webhook")
    assert (hook.ok, hook.target, hook.notifications.count()) == (True, robot.url.split("/")[2], 2)


def test_a_failing_robot_is_recorded_without_its_secret(town: Unit, settings: object) -> None:
    failing = Robot({"errcode": 93000, "errmsg": "invalid webhook url"})
    try:
        settings.YANZHEN_WEBHOOK_URLS = [failing.url]  # type: ignore[attr-defined]
        report = dispatch(notify(category="due", title="提醒", units=[town]))
    finally:
        failing.close()
    assert (report.webhooks, report.failures) == (0, 1)
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.ok is False
    assert delivery.error == "机器人返回错误 93000: invalid webhook url"
    assert "SECRET" not in delivery.target + delivery.error


def test_an_unreachable_robot_is_recorded(town: Unit, settings: object) -> None:
    settings.YANZHEN_WEBHOOK_URLS = ["http://127.0.0.1:9/robot?key=SECRET|signing-secret"]  # type: ignore[attr-defined]
    report = dispatch(notify(category="due", title="提醒", units=[town]))
    assert report.failures == 1
    delivery = Delivery.objects.get(channel="webhook")
    assert (delivery.ok, delivery.target) == (False, "127.0.0.1:9")
    assert "SECRET" not in delivery.error


def test_dingtalk_signing_adds_timestamp_and_sign(
    town: Unit, robot: Robot, settings: object
) -> None:
    settings.YANZHEN_WEBHOOK_URLS = [f"{robot.url}|SEC123"]  # type: ignore[attr-defined]
    dispatch(notify(category="due", title="提醒", units=[town]))
    path = robot.received[0][0]
    assert "&timestamp=" in path
    assert "&sign=" in path


def test_users_read_only_their_own_notices(town: Unit) -> None:
    first, second = User.objects.filter(unit=town).order_by("pk")
    notify(category="due", title="给第一位", users=[first])
    client = Client()
    client.force_login(second)
    assert "给第一位" not in client.get(reverse("notifications:list")).content.decode()
    client.force_login(first)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert '<span class="tag gap">1</span>' in page
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert Notification.objects.get().read_at is not None
