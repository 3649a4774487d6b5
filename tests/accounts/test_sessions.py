"""Sessions end as they should: logout clears the browser's copy of the site, expired sessions
are purged daily, every role type times out (15 idle minutes for administrators, 30 for the
others, 12 hours at most), administrators' passwords age out; no account has a default name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import GOOD, verified_client
from tests.accounts.test_login import login
from tests.conftest import Demo
from yanzhen.accounts.models import UserSession
from yanzhen.core.models import RoleKind, User

START = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
CLEAR = '"cache", "cookies", "storage"'


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_logout_clears_the_site_data(clerk: User) -> None:
    _, _, client = login("zhangwei", GOOD)
    key = client.cookies["sessionid"].value
    page = client.get(reverse("accounts:security"))
    assert "Clear-Site-Data" not in page
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == CLEAR
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_a_session_that_times_out_clears_the_site_data_too(
    clerk: User, clock: time_machine.Traveller
) -> None:
    _, _, client = login("zhangwei", GOOD)
    clock.move_to(START + dt.timedelta(minutes=31))
    response = client.get(reverse("accounts:security"))
    assert response["Location"].startswith(reverse("core:login"))
    assert response["Clear-Site-Data"] == CLEAR


@pytest.mark.django_db
def test_expired_sessions_are_purged_with_their_login_records(
    clerk: User, clock: time_machine.Traveller, capsys: pytest.CaptureFixture[str]
) -> None:
    old = [login("zhangwei", GOOD)[2].cookies["sessionid"].value for _ in range(2)]
    clock.move_to(START + dt.timedelta(hours=13))  # past the 12-hour cookie age
    fresh = login("zhangwei", GOOD)[2].cookies["sessionid"].value
    call_command("purge_sessions")
    assert capsys.readouterr().out.strip() == "已清理过期会话 2 个，已失效的登录记录 2 条"
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [fresh]
    assert not set(old) & set(UserSession.objects.values_list("session_key", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "idle"),
    [
        (RoleKind.BUSINESS, 30),
        (RoleKind.SYSTEM_ADMIN, 15),
        (RoleKind.SECURITY_ADMIN, 15),
        (RoleKind.AUDITOR, 15),
    ],
)
def test_every_role_type_times_out(
    kind: str, idle: int, clerk: User, make_admin: Callable[..., User],
    clock: time_machine.Traveller,
) -> None:  # fmt: skip
    user = clerk if kind == RoleKind.BUSINESS else make_admin(kind)
    client = verified_client(user)
    url = reverse("accounts:security")
    assert client.get(url).status_code == 200
    clock.move_to(START + dt.timedelta(minutes=idle - 1))
    assert client.get(url).status_code == 200
    clock.move_to(START + dt.timedelta(minutes=2 * idle))
    response = client.get(url)
    assert response["Location"].startswith(reverse("core:login"))
    # Active every few minutes, the session still ends 12 hours after the login.
    client = verified_client(user)
    step = 0
    for step in range(1, 200):
        clock.move_to(START + dt.timedelta(minutes=2 * idle + 1 + (idle - 1) * step))
        if client.get(url).status_code == 302:
            break
    ended = 2 * idle + 1 + (idle - 1) * step - (2 * idle + 1)
    assert 12 * 60 <= ended < 12 * 60 + idle


@pytest.mark.parametrize("username", ["leader", "sysadmin", "secadmin", "auditor"])
def test_passwords_of_leaders_and_administrators_age_out_after_90_days(
    username: str, demo_db: Demo
) -> None:
    user = demo_db.users[username]
    User.objects.filter(pk=user.pk).update(
        password_changed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    with time_machine.travel(dt.datetime(2026, 4, 2, tzinfo=dt.UTC), tick=False):
        client = demo_db.client(username)
        response = client.get(reverse("accounts:security"))
        assert response["Location"].startswith("/accounts/password/")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["admin", "Root", "TEST", "Administrator", "guest", "system"])
def test_no_account_gets_a_default_name(name: str, make_admin: Callable[..., User]) -> None:
    system = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    response = system.post(
        reverse("accounts:user_new"),
        {"username": name, "full_name": "某人", "password": "Fresh-Lantern-42", "unit": ""},
    )
    assert "不能使用通用账户名" in response.content.decode()
    assert not User.objects.filter(username__iexact=name).exists()


def test_the_demo_has_no_default_or_shared_account(demo_db: Demo) -> None:
    names = {u.lower() for u in User.objects.values_list("username", flat=True)}
    assert names & {"admin", "administrator", "root", "test", "sa", "guest"} == set()
    assert User.objects.filter(is_superuser=True).count() == 0


@pytest.mark.django_db
def test_an_account_name_differing_only_in_case_is_refused(
    clerk: User, make_admin: Callable[..., User]
) -> None:
    system = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    response = system.post(
        reverse("accounts:user_new"),
        {"username": "ZhangWei", "full_name": "张伟", "password": "Fresh-Lantern-42", "unit": ""},
    )
    assert "已存在" in response.content.decode()
    assert User.objects.filter(username__iexact="zhangwei").count() == 1
    assert Client().get("/").status_code == 302
