"""The sessions a sweep module signs in once (``tests/conftest.py``, ``demo_sessions``): however
long the module runs, no test finds its session expired, while the idle time-out still ends a
session inside a test; what a test's requests write to a session is rolled back with it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from tests.conftest import Sessions
from yanzhen.accounts.middleware import LAST_SEEN, STARTED

DEMO_SESSIONS = ("sysadmin", "office")
ADMIN_PAGE = "accounts:user_list"


def _stored(sessions: Sessions, username: str) -> dict[str, object]:
    return dict(SessionStore(session_key=sessions.keys[username]).load())


@pytest.mark.parametrize("later", [0, 16, 11 * 60])
def test_a_modules_session_opens_pages_however_late_the_test_runs(
    later: int, signed_in: Sessions
) -> None:
    """16 minutes: beyond an administrator's idle limit; 11 hours (the stored session itself
    lasts Django's 12 hours, ``SESSION_COOKIE_AGE``, from the module's start)."""
    at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=later)
    with time_machine.travel(at, tick=False):
        assert signed_in.client("sysadmin").get(reverse(ADMIN_PAGE)).status_code == 200
        assert signed_in.client("office").get(reverse("core:unit_list")).status_code == 200


def test_the_idle_limit_still_ends_a_modules_session_within_a_test(signed_in: Sessions) -> None:
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = signed_in.client("sysadmin")
        assert client.get(reverse(ADMIN_PAGE)).status_code == 200
        clock.move_to(start + dt.timedelta(minutes=16))
        response = client.get(reverse(ADMIN_PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("run", ["first", "second"])
def test_what_a_test_writes_to_a_modules_session_is_rolled_back(
    run: str, signed_in: Sessions
) -> None:
    """Whichever runs second finds the session as the module signed it in."""
    assert not {LAST_SEEN, STARTED} & set(_stored(signed_in, "office"))
    assert signed_in.client("office").get(reverse("core:unit_list")).status_code == 200
    assert {LAST_SEEN, STARTED} <= set(_stored(signed_in, "office"))
