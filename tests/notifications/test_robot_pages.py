"""A unit's robots, managed by who administers the unit, in their data scope; the address is
checked against the allow-list when saved and never shown again (it holds the key)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.notifications.conftest import Counties
from yanzhen.core.models import DataScope, User
from yanzhen.notifications.models import Robot

pytestmark = pytest.mark.django_db
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-OF-THE-TOWN"
PERMS = [f"notifications.{a}_robot" for a in ("view", "add", "change", "delete")]


@pytest.fixture
def admin_of_a(counties: Counties, make_user: Callable[..., User]) -> Client:
    """The administrator of 甲县东镇 (its unit and below)."""
    client = Client()
    client.force_login(make_user(counties.a_town, DataScope.UNIT_AND_BELOW, PERMS))
    return client


def form(unit: int, **fields: object) -> dict[str, object]:
    return {"unit": unit, "name": "东镇工作群", "kind": "wecom", "url": WECOM, "is_active": "on",
            **fields}  # fmt: skip


def test_the_town_adds_its_robot_and_sees_only_the_host(
    counties: Counties, admin_of_a: Client
) -> None:
    response = admin_of_a.post(reverse("notifications:robot_create"), form(counties.a_town.pk))
    assert response.status_code == 302
    robot = Robot.objects.get()
    assert (robot.unit, robot.name, robot.kind, robot.url, robot.host, robot.is_active) == (
        counties.a_town, "东镇工作群", "wecom", WECOM, "qyapi.weixin.qq.com", True,
    )  # fmt: skip
    page = admin_of_a.get(reverse("notifications:robot_list")).content.decode()
    assert "东镇工作群" in page
    assert "qyapi.weixin.qq.com" in page
    assert "KEY-OF-THE-TOWN" not in page
    edit = admin_of_a.get(reverse("notifications:robot_edit", args=[robot.pk])).content.decode()
    assert "KEY-OF-THE-TOWN" not in edit
    # Saved again with the address left empty: the address is kept.
    admin_of_a.post(
        reverse("notifications:robot_edit", args=[robot.pk]),
        form(counties.a_town.pk, url="", name="东镇工作群（新）"),
    )
    robot.refresh_from_db()
    assert (robot.name, robot.url) == ("东镇工作群（新）", WECOM)


def test_the_address_is_stored_encrypted(counties: Counties, admin_of_a: Client) -> None:
    from django.db import connection

    admin_of_a.post(reverse("notifications:robot_create"), form(counties.a_town.pk))
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM notifications_robot")
        [(stored,)] = cursor.fetchall()
    assert "KEY-OF-THE-TOWN" not in stored


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"url": "https://evil.example.com/hook?key=K"}, "url",
         "机器人主机“evil.example.com”不在允许范围内（企业微信、钉钉，或 YANZHEN_WEBHOOK_HOSTS 中配置的主机）"),
        ({"url": "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"}, "url",
         "机器人地址须使用 HTTPS（qyapi.weixin.qq.com）"),
        ({"secret": "SEC"}, "secret", "只有钉钉机器人有加签密钥"),
        ({"name": ""}, "name", "这个字段是必填项。"),
    ],
)  # fmt: skip
def test_a_bad_robot_is_refused_naming_the_field(
    counties: Counties, admin_of_a: Client, fields: dict[str, object], field: str, message: str
) -> None:
    response = admin_of_a.post(
        reverse("notifications:robot_create"), form(counties.a_town.pk, **fields)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Robot.objects.count() == 0


def test_no_robot_for_a_unit_outside_the_scope(counties: Counties, admin_of_a: Client) -> None:
    response = admin_of_a.post(reverse("notifications:robot_create"), form(counties.b_town.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [
        "该单位不在可选范围内（或不在您的数据范围内），请重新选择"
    ]
    assert Robot.objects.count() == 0


def test_another_countys_robot_is_out_of_reach(counties: Counties, admin_of_a: Client) -> None:
    theirs = Robot.objects.create(unit=counties.b_town, name="乙县群", kind="wecom", url=WECOM)
    assert "乙县群" not in admin_of_a.get(reverse("notifications:robot_list")).content.decode()
    for name, method in (("robot_edit", "get"), ("robot_edit", "post"), ("robot_delete", "post")):
        response = getattr(admin_of_a, method)(
            reverse(f"notifications:{name}", args=[theirs.pk]), form(counties.a_town.pk)
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.unit, theirs.name) == (counties.b_town, "乙县群")


def test_deleting_a_robot(counties: Counties, admin_of_a: Client) -> None:
    robot = Robot.objects.create(unit=counties.a_town, name="旧群", kind="wecom", url=WECOM)
    response = admin_of_a.post(reverse("notifications:robot_delete", args=[robot.pk]))
    assert response.status_code == 302
    assert Robot.objects.count() == 0


def test_without_the_permission_nothing_is_shown_or_changed(
    counties: Counties, make_user: Callable[..., User]
) -> None:
    client = Client()
    client.force_login(make_user(counties.a_town, DataScope.UNIT_AND_BELOW))
    assert client.get(reverse("notifications:robot_list")).status_code == 403
    assert (
        client.post(reverse("notifications:robot_create"), form(counties.a_town.pk)).status_code
        == 403
    )
    assert Robot.objects.count() == 0
