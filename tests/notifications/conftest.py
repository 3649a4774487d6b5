"""Fixtures of the notification tests: a local fake group robot (WeCom / DingTalk answer), two
counties with towns, robots and users, e-mail kept in memory, the worker run in-process."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.jobs.worker import run_ready
from yanzhen.notifications.models import Robot, RobotKind


class FakeRobot:
    """A local HTTP server that answers like a WeCom / DingTalk group robot."""

    def __init__(self, answer: dict[str, object] | None = None) -> None:
        self.answer = answer or {"errcode": 0, "errmsg": "ok"}
        self.received: list[tuple[str, dict[str, object]]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                robot.received.append((self.path, json.loads(self.rfile.read(length))))
                body = json.dumps(robot.answer).encode()
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

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server.server_port}"

    def texts(self) -> list[str]:
        return [str(body["text"]["content"]) for _, body in self.received]  # type: ignore[index]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _local_robots_and_mail(settings: object) -> None:
    """The fake robots listen on this machine (an explicitly configured private host); mail
    stays in memory."""
    settings.YANZHEN_WEBHOOK_PRIVATE_HOSTS = ["127.0.0.1"]  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]


@pytest.fixture
def fake_robots() -> Iterator[Callable[..., FakeRobot]]:
    made: list[FakeRobot] = []

    def make(answer: dict[str, object] | None = None) -> FakeRobot:
        made.append(FakeRobot(answer))
        return made[-1]

    yield make
    for robot in made:
        robot.close()


def add_robot(unit: Unit, url: str, *, secret: str = "", name: str = "") -> Robot:
    """A robot saved as the pages save it, pointing at a fake robot on this machine."""
    return Robot.objects.create(
        unit=unit,
        name=name or f"{unit.name}工作群",
        kind=RobotKind.DINGTALK if secret else RobotKind.WECOM,
        url=url,
        secret=secret,
    )


def work() -> int:
    """Run the queued tasks (the worker, in this process)."""
    return run_ready()


@dataclass
class Counties:
    a: Unit
    a_town: Unit
    a_village: Unit
    b: Unit
    b_town: Unit
    a_clerk: User
    a_villager: User
    b_clerk: User
    a_office: User


@pytest.fixture
def counties(make_user: Callable[..., User]) -> Counties:
    city = unit_create(actor=None, parent=None, name="运城市", kind=UnitKind.CITY)
    a = unit_create(actor=None, parent=city, name="甲县", kind=UnitKind.COUNTY)
    a_town = unit_create(actor=None, parent=a, name="甲县东镇", kind=UnitKind.TOWN)
    a_village = unit_create(actor=None, parent=a_town, name="东村", kind=UnitKind.VILLAGE)
    b = unit_create(actor=None, parent=city, name="乙县", kind=UnitKind.COUNTY)
    b_town = unit_create(actor=None, parent=b, name="乙县西镇", kind=UnitKind.TOWN)
    a_clerk = make_user(a_town)
    a_clerk.email = "clerk@a.example.org"
    a_clerk.save()
    a_villager = make_user(a_village)
    b_clerk = make_user(b_town)
    b_clerk.email = "clerk@b.example.org"
    b_clerk.save()
    a_office = make_user(a, DataScope.UNIT_AND_BELOW)
    return Counties(a, a_town, a_village, b, b_town, a_clerk, a_villager, b_clerk, a_office)
