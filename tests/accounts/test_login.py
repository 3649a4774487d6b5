"""Logging in: lockout by user name, identical answers, sessions and their limits, two factors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import GOOD, verified_client
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.models import RoleKind, User

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def login(username: str, password: str, ip: str = "10.0.0.8") -> tuple[int, str, Client]:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("core:login"), {"username": username, "password": password})
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
    return response.status_code, body, client


def test_wrong_user_and_wrong_password_get_the_same_answer(clerk: User) -> None:
    """G04: ten pairs, each from its own address; a name that does not exist locks at the
    fifth failure as a real one does."""
    for attempt in range(10):
        password = f"Not-The-Right-{attempt}!"
        wrong_password = login("zhangwei", password, ip=f"10.0.1.{attempt}")
        wrong_user = login("nobody-here", password, ip=f"10.0.2.{attempt}")
        assert wrong_password[0] == wrong_user[0] == (200 if attempt < 4 else 429)
        assert wrong_password[1].replace("zhangwei", "X") == wrong_user[1].replace(
            "nobody-here", "X"
        )
        assert ("用户名或密码不正确" if attempt < 4 else "已锁定30分钟") in wrong_password[1]


def test_five_failures_in_15_minutes_lock_the_name_for_30(
    clerk: User, clock: time_machine.Traveller
) -> None:
    for minute in range(5):
        clock.move_to(START + dt.timedelta(minutes=3 * minute))
        expected = 429 if minute == 4 else 200  # the fifth failure locks
        assert login("zhangwei", "Wrong-Password-1!", ip=f"10.0.0.{minute}")[0] == expected
    status, body, _ = login("zhangwei", GOOD, ip="10.9.9.9")
    assert status == 429
    assert "已锁定30分钟" in body
    # Another account behind the same address is not locked.
    assert login("nobody", "Wrong-Password-1!", ip="10.0.0.1")[0] == 200
    clock.move_to(START + dt.timedelta(minutes=12 + 29))
    assert login("zhangwei", GOOD)[0] == 429
    clock.move_to(START + dt.timedelta(minutes=12 + 31))
    assert login("zhangwei", GOOD)[0] == 302
    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds.count("lockout") == 1
    assert kinds[-1] == "login"


def test_failures_spread_over_more_than_15_minutes_do_not_lock(
    clerk: User, clock: time_machine.Traveller
) -> None:
    for minute in (0, 4, 8, 12, 16, 20):
        clock.move_to(START + dt.timedelta(minutes=minute))
        login("zhangwei", "Wrong-Password-1!")
    clock.move_to(START + dt.timedelta(minutes=17, seconds=30))
    assert login("zhangwei", GOOD)[0] == 302


def test_names_that_do_not_exist_lock_the_same_way(db: None) -> None:
    for _ in range(5):
        login("ghost", "Wrong-Password-1!")
    assert login("ghost", "Wrong-Password-1!")[0] == 429


def test_the_security_administrator_unlocks(clerk: User, make_admin: Callable[[str], User]) -> None:
    for _ in range(5):
        login("zhangwei", "Wrong-Password-1!")
    assert login("zhangwei", GOOD)[0] == 429
    admin = verified_client(make_admin(RoleKind.SECURITY_ADMIN))
    page = admin.get(reverse("accounts:lockout_list")).content.decode()
    assert "zhangwei" in page
    assert admin.post(reverse("accounts:unlock"), {"username": "zhangwei"}).status_code == 302
    assert login("zhangwei", GOOD)[0] == 302
    assert SecurityEvent.objects.filter(kind="unlock", detail__account="zhangwei").count() == 1


def test_a_login_gets_a_new_session_and_logout_deletes_it(clerk: User) -> None:
    client = Client()
    client.get(reverse("core:login"))
    before = client.cookies.get("sessionid")
    status, _, client = login("zhangwei", GOOD)
    assert status == 302
    cookie = client.cookies["sessionid"]
    key = cookie.value
    assert before is None or before.value != key
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("core:logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_idle_and_absolute_timeouts(clerk: User, clock: time_machine.Traveller) -> None:
    _, _, client = login("zhangwei", GOOD)
    url = reverse("core:unit_list")
    clock.move_to(START + dt.timedelta(minutes=29))
    assert client.get(url).status_code == 403  # logged in (no permission for units)
    clock.move_to(START + dt.timedelta(minutes=29 + 31))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    _, _, client = login("zhangwei", GOOD)
    for step in range(1, 26):  # active every 29 minutes, for more than 12 hours
        clock.move_to(START + dt.timedelta(minutes=60 + 29 * step))
        response = client.get(url)
        if response.status_code == 302:
            break
    assert step == 25  # 12 h 05 min after the login
    assert SecurityEvent.objects.filter(kind="session_expired").count() == 2


def test_administrators_time_out_after_15_idle_minutes(
    make_admin: Callable[[str], User], clock: time_machine.Traveller
) -> None:
    client = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    url = reverse("accounts:user_list")
    assert client.get(url).status_code == 200
    clock.move_to(START + dt.timedelta(minutes=16))
    assert client.get(url).status_code == 302


def test_disabling_a_user_ends_all_its_sessions(
    clerk: User, make_admin: Callable[[str], User]
) -> None:
    sessions = [login("zhangwei", GOOD)[2] for _ in range(2)]
    keys = [c.cookies["sessionid"].value for c in sessions]
    admin = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    assert admin.post(reverse("accounts:user_active", kwargs={"pk": clerk.pk})).status_code == 302
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert sessions[0].get(reverse("reports:dashboard")).status_code == 302


def code_for(device: TOTPDevice, at: dt.datetime) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


@pytest.fixture
def admin_user(make_admin: Callable[[str], User]) -> User:
    return make_admin(RoleKind.SECURITY_ADMIN)


def test_administrators_enrol_and_use_two_factors(
    admin_user: User, clock: time_machine.Traveller
) -> None:
    status, _, client = login(admin_user.username, GOOD)
    assert status == 302
    response = client.get(reverse("accounts:role_list"))
    assert response["Location"] == "/accounts/otp/?next=%2Faccounts%2Froles%2F"
    page = client.get(reverse("accounts:otp")).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    code = code_for(device, START)
    assert client.post(reverse("accounts:otp"), {"token": code}).status_code == 302
    assert client.get(reverse("accounts:role_list")).status_code == 200
    # The same code cannot be used again, even in a new session.
    _, _, again = login(admin_user.username, GOOD)
    response = again.post(reverse("accounts:otp"), {"token": code})
    assert "动态口令不正确或已使用过" in response.content.decode()
    clock.move_to(START + dt.timedelta(seconds=60))
    device.refresh_from_db()
    assert (
        again.post(
            reverse("accounts:otp"), {"token": code_for(device, START + dt.timedelta(seconds=60))}
        ).status_code
        == 302
    )


def test_five_wrong_codes_lock_the_second_factor(
    admin_user: User, clock: time_machine.Traveller
) -> None:
    device = TOTPDevice.objects.create(user=admin_user, name="t", confirmed=True)
    _, _, client = login(admin_user.username, GOOD)
    for attempt in range(5):
        clock.move_to(START + dt.timedelta(minutes=attempt))
        client.post(reverse("accounts:otp"), {"token": "000000"})
    clock.move_to(START + dt.timedelta(minutes=6))
    response = client.post(
        reverse("accounts:otp"), {"token": code_for(device, START + dt.timedelta(minutes=6))}
    )
    assert "已锁定" in response.content.decode()
    assert SecurityEvent.objects.filter(kind="otp_failed").count() == 5
    assert SecurityEvent.objects.filter(kind="otp_lockout").count() == 1
    clock.move_to(START + dt.timedelta(minutes=4 + 31))
    assert (
        client.post(
            reverse("accounts:otp"), {"token": code_for(device, START + dt.timedelta(minutes=35))}
        ).status_code
        == 302
    )


def test_leaders_need_two_factors_too(clerk: User) -> None:
    role = clerk.roles.get()
    role.requires_otp = True
    role.save()
    _, _, client = login("zhangwei", GOOD)
    assert client.get(reverse("reports:dashboard"))["Location"].startswith("/accounts/otp/")
