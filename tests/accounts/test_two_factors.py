"""Two factors cannot be bypassed: a user with a confirmed device is never offered an
enrolment (by the page, its URL or a POST); a new device needs a code of the old one, or a
security administrator's reset (logged, all sessions ended). The accounts that must use two
factors do; the demo gives each of them its own secret."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import GOOD, verified_client
from tests.accounts.test_login import code_for, login
from tests.conftest import Demo
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.models import RoleKind, User
from yanzhen.demo import yongji

START = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def auditor(make_admin: Callable[[str], User]) -> User:
    return make_admin(RoleKind.AUDITOR)


@pytest.fixture
def device(auditor: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=auditor, name="手机", confirmed=True)


def devices(user: User) -> list[tuple[str, bool]]:
    return list(TOTPDevice.objects.filter(user=user).order_by("pk").values_list("key", "confirmed"))


@pytest.mark.django_db
def test_the_password_alone_never_enrols_over_a_confirmed_device(
    auditor: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    before = devices(auditor)
    status, _, client = login(auditor.username, GOOD)
    assert status == 302
    page = client.get(reverse("accounts:otp") + "?enrol=1")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" not in text
    assert "绑定" not in text
    assert devices(auditor) == before  # no secret was drawn for a new device
    # An attacker's own device, as the old enrolment page created it, and its valid code.
    rogue = TOTPDevice.objects.create(user=auditor, name="rogue", confirmed=False)
    response = client.post(reverse("accounts:otp") + "?enrol=1", {"token": code_for(rogue, START)})
    assert "动态口令不正确或已使用过" in response.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is True
    assert TOTPDevice.objects.get(pk=rogue.pk).confirmed is False
    assert client.get(reverse("audit:event_list"))["Location"].startswith("/accounts/otp/")
    assert not SecurityEvent.objects.filter(kind="otp_enrolled").exists()
    assert SecurityEvent.objects.filter(kind="otp_failed", username=auditor.username).count() == 1


@pytest.mark.django_db
def test_a_new_device_needs_a_code_of_the_old_one(
    auditor: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    _, _, client = login(auditor.username, GOOD)
    assert client.post(reverse("accounts:otp"), {"token": code_for(device, START)}).status_code
    url = reverse("accounts:otp_rebind")
    assert "<svg" in client.get(url).content.decode()
    new = TOTPDevice.objects.get(user=auditor, confirmed=False)
    clock.move_to(START + dt.timedelta(seconds=60))
    now = START + dt.timedelta(seconds=60)
    response = client.post(url, {"old_token": "123456", "token": code_for(new, now)})
    assert "动态口令不正确或已使用过" in response.content.decode()
    assert devices(auditor) == [(device.key, True), (new.key, False)]
    later = START + dt.timedelta(seconds=90)  # past django-otp's throttle after a failure
    clock.move_to(later)
    response = client.post(
        url, {"old_token": code_for(device, later), "token": code_for(new, later)}
    )
    assert response["Location"] == reverse("accounts:security")
    assert devices(auditor) == [(new.key, True)]
    event = SecurityEvent.objects.get(kind="otp_enrolled")
    assert (event.username, event.detail) == (auditor.username, {"replaced": True})


@pytest.mark.django_db
def test_wrong_old_codes_on_the_new_device_page_lock_like_the_login(
    auditor: User, device: TOTPDevice, clock: time_machine.Traveller
) -> None:
    client = verified_client(auditor)
    url = reverse("accounts:otp_rebind")
    client.get(url)
    new = TOTPDevice.objects.filter(user=auditor, confirmed=False).get()
    for minute in range(5):
        clock.move_to(START + dt.timedelta(minutes=minute))
        client.post(url, {"old_token": "000000", "token": "000000"})
    clock.move_to(START + dt.timedelta(minutes=6))
    now = START + dt.timedelta(minutes=6)
    old_device = TOTPDevice.objects.filter(user=auditor, confirmed=True).order_by("pk").first()
    assert old_device is not None
    response = client.post(
        url, {"old_token": code_for(old_device, now), "token": code_for(new, now)}
    )
    assert "已锁定" in response.content.decode()
    assert TOTPDevice.objects.get(pk=new.pk).confirmed is False
    assert SecurityEvent.objects.filter(kind="otp_lockout").count() == 1


@pytest.mark.django_db
def test_the_security_administrator_resets_a_lost_factor(
    auditor: User, device: TOTPDevice, make_admin: Callable[[str], User]
) -> None:
    sessions = [login(auditor.username, GOOD)[2] for _ in range(2)]
    keys = [c.cookies["sessionid"].value for c in sessions]
    assert Session.objects.filter(session_key__in=keys).count() == 2
    url = reverse("accounts:user_otp_reset", kwargs={"pk": auditor.pk})
    system = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    assert system.post(url).status_code == 403
    assert devices(auditor) == [(device.key, True)]
    security_admin = make_admin(RoleKind.SECURITY_ADMIN)
    security = verified_client(security_admin)
    assert "确认重置" in security.get(url).content.decode()
    assert devices(auditor) == [(device.key, True)]
    assert security.post(url)["Location"] == reverse(
        "accounts:user_detail", kwargs={"pk": auditor.pk}
    )
    assert devices(auditor) == []
    assert not Session.objects.filter(session_key__in=keys).exists()
    event = SecurityEvent.objects.get(kind="user_change", detail__otp_reset=auditor.username)
    assert (event.username, event.detail) == (
        security_admin.username,
        {"otp_reset": auditor.username, "devices_removed": 1, "sessions_ended": 2},
    )
    # The next login enrols a new device after the password.
    _, _, again = login(auditor.username, GOOD)
    assert "<svg" in again.get(reverse("accounts:otp")).content.decode()
    # Nobody resets their own factor this way.
    own = reverse("accounts:user_otp_reset", kwargs={"pk": security_admin.pk})
    assert security.post(own, follow=True).status_code == 200
    assert TOTPDevice.objects.filter(user=security_admin, confirmed=True).count() == 1


@pytest.mark.django_db
def test_an_unlock_by_the_security_administrator_ends_the_second_factor_lock(
    auditor: User, device: TOTPDevice, make_admin: Callable[[str], User],
    clock: time_machine.Traveller,
) -> None:  # fmt: skip
    _, _, client = login(auditor.username, GOOD)
    for _ in range(5):
        client.post(reverse("accounts:otp"), {"token": "000000"})
    clock.move_to(START + dt.timedelta(minutes=1))
    code = code_for(device, START + dt.timedelta(minutes=1))
    assert "已锁定" in client.post(reverse("accounts:otp"), {"token": code}).content.decode()
    security = verified_client(make_admin(RoleKind.SECURITY_ADMIN))
    security.post(reverse("accounts:unlock"), {"username": auditor.username})
    assert client.post(reverse("accounts:otp"), {"token": code}).status_code == 302


@pytest.mark.parametrize("username", ["leader", "sysadmin", "secadmin", "auditor"])
def test_the_demo_accounts_that_need_two_factors_get_no_page_with_the_password_alone(
    username: str, demo_db: Demo
) -> None:
    client = Client()
    response = client.post(
        reverse("core:login"), {"username": username, "password": yongji.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    for url in ("/", reverse("accounts:user_list"), reverse("audit:event_list"),
                reverse("accounts:role_list"), reverse("api:me")):  # fmt: skip
        answer = client.get(url)
        if url.startswith("/api/"):
            assert answer.json()["error"]["code"] == "otp_required"
        else:
            assert answer["Location"].startswith("/accounts/otp/?next="), url
    assert "<svg" not in client.get(reverse("accounts:otp")).content.decode()


def test_each_demo_account_has_its_own_second_factor(
    demo_db: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = dict(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", "key"))
    assert sorted(keys) == ["auditor", "leader", "secadmin", "sysadmin", "university",
                            "yj_auditor", "yj_secadmin", "yj_sysadmin"]  # fmt: skip
    assert len(set(keys.values())) == 8
    assert "3132333435363738393031323334353637383930" not in keys.values()
    call_command("demo")
    out = capsys.readouterr().out
    for username, key in keys.items():
        secret = base64.b32encode(bytes.fromhex(key)).decode()
        assert f"  {username:<11} {secret}" in out
    # The test client of the demo is verified with the account's own device.
    assert demo_db.client("leader").get("/").status_code == 200
