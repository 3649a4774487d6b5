"""Password rules, checked the same way in the page, the API, the admin and a reset."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import GOOD, verified_client
from tests.conftest import Demo
from yanzhen.accounts.validators import local_words
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.models import ApprovalRequest, RoleKind, User
from yanzhen.demo.yongji import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

# Of the good fixtures none had to change: each is estimated at 10^12 guesses or more.

# Each is refused by at least one rule (the comment says which).
WEAK = [
    "Ab1!",
    "Abcdef1!",
    "Short1!abc",
    "Tq7#mVr2!pL",  # shorter than 12
    "abcdefghijklmn",
    "abcdefgh12345",
    "ABCDEFGH!!!!!",
    "abcdefghijkl!",
    "12345678901234",
    "ABCDEFGHIJ1234",
    "!!!!!!!!!!!!!!",
    "zyxwvutsrqpon!",  # fewer than 3 character classes
    "Password1234!",
    "Qwerty123456!",
    "Admin@123456",
    "1qaz2wsx3edc!Q",
    "P@ssw0rd2021!",
    "Adm1n!2345678",
    "Root#12345678",
    "Guest#1234567",
    "Abc123!Abc123!",
    "Woaini1314!!",
    "Test#12345678",
    "Letmein!2021a",  # common words (Django's list and ours)
    "Yongji@2021!!",
    "YunCheng#1234",
    "Shanxi2021!!!",
    "永济市2021abcD!",
    "Yanzhen#2025ab",
    "Kaizhang#2021a",
    "KaiZhang1234!",
    "Y0ngj1@2021!!",
    "SHANXISHENG#1a",
    "Kaizhangzhen#1",
    "运城Abc#123456",
    "开张镇Abc#12345",
    "Rencaiban#2021",
    "Shengxiao#2021",  # local words
    "Zhangwei#2021",
    "zhangwei@1234A",
    "ZhangWei!9876x",
    "A!13812345678",
    "x#12345678Abc",
    "Id#14088119880312",
    "Born@19880312x",
    "Mobile#5678zw13812345678",  # the user's own data
    "123456789012",
    "98765432101234",  # only digits
    "Aa1!Aa1!Aa1!",
    "Zhang#wei#2021",
    "Qq123456789!",
    "Aa@111111111",  # common and personal
    "Kaizhang-2021",
    "Sxyj#20210315",
    "Qwer!2345asdf",
    "Asdf#1234qwer",
    "Qaz!2wsx3edc4",
    "Yj@1234567Abc",  # pass the class rules, refused by the strength estimate (issue 11)
]
GOOD_PASSWORDS = [
    "Tq7#mVr2!pLx9",
    "Blue-Kite-58-Harbor",
    "Mu8$Zr4@Wq1&",
    "Rain+Forest+Owl+77",
    "jF9!kQ2@vL5#",
    "Copper;Lantern;93",
    "Hx4%Np7^Rb2*",
    "Silent-Maple-River-4",
    "Violin&Tiger&62",
    "Nq3!Wd8#Ks6@",
    "Granite.Falcon.19",
    "Pz7&Ly2*Mc5!",
    "Cobalt_Meadow_88",
    "Fr6@Jt1#Xe4$",
    "Amber/Glacier/31",
    "Wv5!Cq9@Hn2#",
    "Orchid#Compass#70",
    "Kb8$Rm3%Dz6^",
    "Harbor.Velvet.54",
    "Yp2*Gs7&Lt4!",
    "Quartz-Willow-16",
    "Ej9#Vx4@Nb7!",
]


def test_the_sets_are_large_enough() -> None:
    assert len(WEAK) >= 50
    assert len(set(WEAK)) == len(WEAK)
    assert len(GOOD_PASSWORDS) >= 20


@pytest.fixture
def page(clerk: User) -> Client:
    client = Client()
    client.force_login(clerk)
    return client


def test_the_page_refuses_every_weak_password(clerk: User, page: Client) -> None:
    url = reverse("accounts:password_change")
    for weak in WEAK:
        response = page.post(url, {"old_password": GOOD, "new_password": weak, "confirm": weak})
        assert response.status_code == 200, weak
        assert 'class="field-error"' in response.content.decode(), weak
        clerk.refresh_from_db()
        assert clerk.check_password(GOOD), weak


def test_the_page_accepts_every_good_password(clerk: User, page: Client) -> None:
    url = reverse("accounts:password_change")
    current = GOOD
    for good in GOOD_PASSWORDS:
        response = page.post(url, {"old_password": current, "new_password": good, "confirm": good})
        assert response.status_code == 302, (good, response.content.decode()[-2000:])
        clerk.refresh_from_db()
        assert clerk.check_password(good)
        current = good
    assert SecurityEvent.objects.filter(kind="password_change").count() == len(GOOD_PASSWORDS)


def test_the_api_applies_the_same_rules(clerk: User, page: Client) -> None:
    url = reverse("api:change_password")
    for weak in WEAK:
        response = page.post(
            url, {"old_password": GOOD, "new_password": weak}, content_type="application/json"
        )
        assert response.status_code == 400, weak
        assert response.json()["error"]["code"] == "weak_password", weak
        assert set(response.json()["error"]["fields"]) == {"new_password"}
    current = GOOD
    for good in GOOD_PASSWORDS:
        response = page.post(
            url, {"old_password": current, "new_password": good}, content_type="application/json"
        )
        assert response.status_code == 204, good
        current = good
    wrong = page.post(
        url,
        {"old_password": "nope", "new_password": "Zq8#Lp3!Rt6@"},
        content_type="application/json",
    )
    assert wrong.json()["error"]["fields"] == {"old_password": "原密码不正确"}


def test_the_admin_applies_the_same_rules(clerk: User) -> None:
    staff = User.objects.create_superuser("ops", password="Ops-Console-2024!x")
    client = Client()
    client.force_login(staff)
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    for weak in WEAK:
        response = client.post(
            url, {"password1": weak, "password2": weak, "usable_password": "true"}
        )
        assert response.status_code == 200, weak
        clerk.refresh_from_db()
        assert clerk.check_password(GOOD), weak
    for good in GOOD_PASSWORDS:
        response = client.post(
            url, {"password1": good, "password2": good, "usable_password": "true"}
        )
        assert response.status_code == 302, good
        clerk.refresh_from_db()
        assert clerk.check_password(good)


def test_a_reset_applies_the_same_rules_and_forces_a_change(
    clerk: User, make_admin: Callable[..., User]
) -> None:
    client = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    approver = verified_client(make_admin(RoleKind.SECURITY_ADMIN))
    url = reverse("accounts:user_password", kwargs={"pk": clerk.pk})
    for weak in WEAK:
        client.post(url, {"new_password": weak, "reason": "忘记密码"})
        assert not ApprovalRequest.objects.exists(), weak
        clerk.refresh_from_db()
        assert clerk.check_password(GOOD), weak
    for good in GOOD_PASSWORDS:
        assert client.post(url, {"new_password": good, "reason": "忘记密码"}).status_code == 302
        approval = ApprovalRequest.objects.get(state="requested")
        approver.post(
            reverse("accounts:request_detail", kwargs={"pk": approval.pk}),
            {"decision": "approve", "note": ""},
        )
        clerk.refresh_from_db()
        assert clerk.check_password(good)
        assert clerk.must_change_password is True
    assert ApprovalRequest.objects.filter(state="approved").count() == len(GOOD_PASSWORDS)


@pytest.mark.parametrize(
    "weak", ["Kaizhang-2021", "Puzhou#2021ab", "Sxyj#20210315", "Qwer!2345asdf"]
)
def test_the_passwords_found_in_the_demo_are_refused(weak: str, demo_db: Demo) -> None:
    """Town names of the county (蒲州镇, 开张镇), their pinyin, the province's and county's
    initials, dates and keyboard walks, for the office's account of the Yongji demo."""
    office = demo_db.users["office"]
    client = demo_db.client("office")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEMO_PASSWORD, "new_password": weak, "confirm": weak},
    )
    assert "密码强度不足" in response.content.decode()
    office.refresh_from_db()
    assert office.check_password(DEMO_PASSWORD)


def test_the_estimate_accepts_a_good_password_in_the_demo(demo_db: Demo) -> None:
    client = demo_db.client("office")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEMO_PASSWORD, "new_password": "Blue-Kite-58-Harbor",
         "confirm": "Blue-Kite-58-Harbor"},
    )  # fmt: skip
    assert response.status_code == 302


def test_the_estimate_knows_the_county_and_its_initials(demo_db: Demo) -> None:
    words = local_words(demo_db.users["office"])
    assert {"puzhou", "kaizhang", "sxyj", "yongji", "蒲州", "永济市"} <= set(words)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def test_wrong_old_passwords_lock_the_change_like_the_login(
    clerk: User, page: Client, clock: time_machine.Traveller, make_admin: Callable[..., User]
) -> None:
    start = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    url = reverse("accounts:password_change")
    new = "Quartz-Willow-16"
    for minute in range(5):
        clock.move_to(start + dt.timedelta(minutes=2 * minute))
        response = page.post(url, {"old_password": f"Guess-{minute}", "new_password": new,
                                   "confirm": new})  # fmt: skip
    assert "原密码错误次数过多，已锁定30分钟" in response.content.decode()
    # While locked, even the right old password is refused (page and API alike).
    response = page.post(url, {"old_password": GOOD, "new_password": new, "confirm": new})
    assert "原密码错误次数过多" in response.content.decode()
    api = page.post(
        reverse("api:change_password"), {"old_password": GOOD, "new_password": new},
        content_type="application/json",
    )  # fmt: skip
    assert (api.status_code, api.json()["error"]["code"]) == (429, "password_check_locked")
    clerk.refresh_from_db()
    assert clerk.check_password(GOOD)
    failed = SecurityEvent.objects.filter(kind="login_failed", username="zhangwei")
    assert [e.detail for e in failed] == [{"step": "password_change"}] * 5
    lock = SecurityEvent.objects.get(kind="lockout", username="zhangwei")
    assert lock.detail == {"step": "password_change"}
    # Thirty minutes after the lock the right password changes it.
    clock.move_to(start + dt.timedelta(minutes=8 + 31))
    response = page.post(url, {"old_password": GOOD, "new_password": new, "confirm": new})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(new)


def test_failures_spread_over_more_than_15_minutes_do_not_lock_the_change(
    clerk: User, page: Client, clock: time_machine.Traveller
) -> None:
    start = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    url = reverse("accounts:password_change")
    for minute in (0, 4, 8, 12, 16, 20):
        clock.move_to(start + dt.timedelta(minutes=minute))
        page.post(url, {"old_password": "Wrong-1!", "new_password": "x", "confirm": "x"})
    assert not SecurityEvent.objects.filter(kind="lockout").exists()
    response = page.post(
        url, {"old_password": GOOD, "new_password": "Quartz-Willow-16",
              "confirm": "Quartz-Willow-16"},
    )  # fmt: skip
    assert response.status_code == 302


def test_the_security_administrator_ends_the_lock_of_the_change(
    clerk: User, page: Client, make_admin: Callable[..., User]
) -> None:
    url = reverse("accounts:password_change")
    for _ in range(5):
        page.post(url, {"old_password": "Wrong-1!", "new_password": "x", "confirm": "x"})
    verified_client(make_admin(RoleKind.SECURITY_ADMIN)).post(
        reverse("accounts:unlock"), {"username": "zhangwei"}
    )
    response = page.post(
        url, {"old_password": GOOD, "new_password": "Quartz-Willow-16",
              "confirm": "Quartz-Willow-16"},
    )  # fmt: skip
    assert response.status_code == 302


def test_the_last_five_passwords_cannot_come_back(clerk: User, page: Client) -> None:
    url = reverse("accounts:password_change")
    used = [GOOD, *GOOD_PASSWORDS[:5]]
    for old, new in itertools.pairwise(used):
        assert (
            page.post(url, {"old_password": old, "new_password": new, "confirm": new}).status_code
            == 302
        )
    current = used[-1]
    for earlier in used[1:-1]:
        response = page.post(
            url, {"old_password": current, "new_password": earlier, "confirm": earlier}
        )
        assert "新密码不能与最近5次使用过的密码相同" in response.content.decode(), earlier
    # The sixth one back is allowed again.
    assert (
        page.post(url, {"old_password": current, "new_password": GOOD, "confirm": GOOD}).status_code
        == 302
    )
    clerk.refresh_from_db()
    assert check_password(GOOD, clerk.password)


@pytest.fixture
def leader(clerk: User) -> User:
    role = clerk.roles.get()
    role.password_max_age_days = 90
    role.save()
    return clerk


def test_a_temporary_password_must_be_changed_first(clerk: User, page: Client) -> None:
    User.objects.filter(pk=clerk.pk).update(must_change_password=True)
    response = page.get(reverse("cooperation:cooperation_list"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/?next=%2Fcooperation%2F"
    api = page.get(reverse("api:list_cooperations"))
    assert (api.status_code, api.json()["error"]["code"]) == (403, "password_change_required")


def test_an_old_password_of_a_leader_expires_after_90_days(leader: User, page: Client) -> None:
    User.objects.filter(pk=leader.pk).update(
        password_changed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    with time_machine.travel(dt.datetime(2026, 3, 31, tzinfo=dt.UTC), tick=False):
        fresh = Client()
        fresh.force_login(leader)
        assert fresh.get(reverse("core:unit_list")).status_code != 302
    with time_machine.travel(dt.datetime(2026, 4, 2, tzinfo=dt.UTC), tick=False):
        fresh = Client()
        fresh.force_login(leader)
        response = fresh.get(reverse("core:unit_list"))
        assert response["Location"].startswith("/accounts/password/")
