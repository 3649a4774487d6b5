"""Group robots only at allowed hosts (issue 11): WeCom and DingTalk over HTTPS, plus the
configured hosts; never a private, loopback or link-local address unless the host is
explicitly configured as private — checked when sending (the host is resolved, every address
checked, and the connection made to the checked address), and at start-up. No network: name
resolution and connections are replaced by recorders."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from tests.notifications.conftest import add_robot, work
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.notifications.checks import webhooks_moved
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Delivery
from yanzhen.notifications.services import notify

pytestmark = pytest.mark.django_db

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY"


class Network:
    """What the code looked up and where it connected; every connection is refused."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []
        self.connections: list[tuple[str, int]] = []

    def getaddrinfo(self, host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        self.lookups.append(host)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in self.answers.get(host, [host])
        ]

    def create_connection(self, address: tuple[str, int], *args: Any) -> socket.socket:
        self.connections.append(address)
        raise ConnectionRefusedError("测试环境不连网")


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, list[str]]], Network]:
    def install(answers: dict[str, list[str]]) -> Network:
        fake = Network(answers)
        monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", fake.create_connection)
        return fake

    return install


@pytest.fixture
def town(county: Unit, make_user: Callable[..., User]) -> Unit:
    unit = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    make_user(unit)
    return unit


def send(settings: Any, town: Unit, *urls: str) -> list[tuple[bool, str, str]]:
    """Robots saved for the town earlier (the allow-list is checked again when sending), one
    notice, one attempt each: (sent, host, error) per robot."""
    for n, url in enumerate(urls):
        add_robot(town, url, name=f"群{n}")
    notify(event=Event.REMINDER, about=town, title="提醒", units=[town])
    work()
    return [
        (d.state == "sent", d.host, d.error)
        for d in Delivery.objects.filter(channel="webhook").order_by("pk")
    ]


def test_a_host_off_the_list_is_refused_without_a_lookup(
    settings: Any, town: Unit, network: Callable[..., Network]
) -> None:
    fake = network({})
    assert send(settings, town, "https://evil.example.com/hook?key=SECRET-KEY") == [
        (
            False,
            "evil.example.com",
            "机器人主机“evil.example.com”不在允许范围内"
            "（企业微信、钉钉，或 YANZHEN_WEBHOOK_HOSTS 中配置的主机）",
        )
    ]
    assert (fake.lookups, fake.connections) == ([], [])


@pytest.mark.parametrize(
    ("address", "kind"),
    [("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("169.254.169.254", "link-local"),
     ("::1", "loopback v6"), ("::ffff:192.168.1.1", "mapped private"), ("100.64.0.1", "shared"),
     ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast")],  # noqa: S104 (refused)
)  # fmt: skip
def test_an_allowed_host_resolving_to_a_private_address_is_refused(
    settings: Any, town: Unit, network: Callable[..., Network], address: str, kind: str
) -> None:
    fake = network({"qyapi.weixin.qq.com": ["101.226.1.1", address]})
    assert send(settings, town, WECOM) == [
        (
            False,
            "qyapi.weixin.qq.com",
            f"机器人主机“qyapi.weixin.qq.com”解析到内网、本机或链路本地地址（{address}），已拒绝发送",
        )
    ]
    assert fake.connections == []


def test_an_allowed_host_is_reached_at_the_checked_address(
    settings: Any, town: Unit, network: Callable[..., Network]
) -> None:
    fake = network({"qyapi.weixin.qq.com": ["101.226.1.1"]})
    [(ok, target, error)] = send(settings, town, WECOM)
    assert (ok, target) == (False, "qyapi.weixin.qq.com")
    assert "测试环境不连网" in error
    assert "SECRET" not in error
    # One lookup, and the connection went to the address that was checked (no second lookup
    # that a rebinding DNS could answer differently).
    assert (fake.lookups, fake.connections) == (["qyapi.weixin.qq.com"], [("101.226.1.1", 443)])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", "机器人地址须使用 HTTPS（qyapi.weixin.qq.com）"),
        ("https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send", "机器人地址不能包含用户名或密码"),
        ("https://qyapi.weixin.qq.com.evil.example/hook", "机器人主机“qyapi.weixin.qq.com.evil.example”不在允许范围内（企业微信、钉钉，或 YANZHEN_WEBHOOK_HOSTS 中配置的主机）"),
        ("https://169.254.169.254/latest/meta-data", "机器人主机“169.254.169.254”不在允许范围内（企业微信、钉钉，或 YANZHEN_WEBHOOK_HOSTS 中配置的主机）"),
        ("file:///etc/passwd", "机器人主机“（空）”不在允许范围内（企业微信、钉钉，或 YANZHEN_WEBHOOK_HOSTS 中配置的主机）"),
    ],
)  # fmt: skip
def test_bad_addresses_are_refused(
    settings: Any, town: Unit, network: Callable[..., Network], url: str, message: str
) -> None:
    fake = network({})
    [(ok, _, error)] = send(settings, town, url)
    assert (ok, error) == (False, message)
    assert fake.connections == []


def test_a_configured_host_must_still_be_public(
    settings: Any, town: Unit, network: Callable[..., Network]
) -> None:
    settings.YANZHEN_WEBHOOK_HOSTS = ["robot.example.org", "169.254.169.254"]
    fake = network({"robot.example.org": ["101.226.9.9"]})
    results = send(
        settings,
        town,
        "https://robot.example.org/send?key=K",
        "https://169.254.169.254/latest/meta-data",
    )
    assert results[0][:2] == (False, "robot.example.org")
    assert "测试环境不连网" in results[0][2]
    assert results[1] == (
        False,
        "169.254.169.254",
        "机器人主机“169.254.169.254”解析到内网、本机或链路本地地址（169.254.169.254），已拒绝发送",
    )
    assert fake.connections == [("101.226.9.9", 443)]


def test_a_private_host_is_allowed_only_when_configured_so(
    settings: Any, town: Unit, network: Callable[..., Network]
) -> None:
    settings.YANZHEN_WEBHOOK_PRIVATE_HOSTS = ["relay.intranet"]
    fake = network({"relay.intranet": ["10.0.0.5"]})
    [(ok, target, error)] = send(settings, town, "http://relay.intranet:8080/robot?key=K")
    assert (ok, target) == (False, "relay.intranet:8080")
    assert "测试环境不连网" in error
    assert fake.connections == [("10.0.0.5", 8080)]


def test_the_start_up_check_warns_of_the_former_global_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("YANZHEN_WEBHOOK_URLS", raising=False)
    assert webhooks_moved() == []
    monkeypatch.setenv("YANZHEN_WEBHOOK_URLS", WECOM)
    assert [(p.id, p.msg) for p in webhooks_moved()] == [
        (
            "yanzhen.W011",
            "YANZHEN_WEBHOOK_URLS 已不再使用：群机器人按单位在平台上配置（消息 → 群机器人），"
            "以免一个县的提醒发到另一个县的群",
        )
    ]
