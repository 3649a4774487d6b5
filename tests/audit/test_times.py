"""Times of logs are shown as the county reads them, with their offset (G37): the audit
exports, the last sign-in of the account list, the reason a revert leaves in the history."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from tests.accounts.conftest import verified_client
from yanzhen.audit.services import access_logged, export_logged, record
from yanzhen.core.history import revert
from yanzhen.core.models import RoleKind, Unit, User
from yanzhen.core.services import person_create, person_update

pytestmark = pytest.mark.django_db
WHEN = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)  # 16:30 in Yongji


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(WHEN, tick=False):
        yield


def csv_rows(content: bytes) -> list[list[str]]:
    """The header and rows of a CSV export (without its watermark line)."""
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [row for row in rows if not row[0].startswith("# ")]


def test_the_audit_exports_give_local_times_with_their_offset(
    clerk: User, make_admin: Callable[[str], User]
) -> None:
    request = RequestFactory().get("/talents/1/")
    request.user = clerk
    record("login", user=clerk)
    access_logged(request=request, action="open", record_type="talent", record_id=1)
    export_logged(request=request, title="合作台账", filters={}, fmt="csv", rows=1, content=b"x",
                  unmasked=False)  # fmt: skip
    auditor = verified_client(make_admin(RoleKind.AUDITOR))
    times = {}
    for name in ("audit:event_list", "audit:access_list", "audit:export_list"):
        rows = csv_rows(auditor.get(reverse(name), {"export": "csv"}).content)
        column = rows[0].index("时间")
        times[name] = sorted({row[column] for row in rows[1:]})
    assert times == {
        "audit:event_list": ["2026-11-27T16:30:00+08:00"],
        "audit:access_list": ["2026-11-27T16:30:00+08:00"],
        "audit:export_list": ["2026-11-27T16:30:00+08:00"],
    }


def test_the_account_list_gives_the_last_sign_in_with_its_offset(
    clerk: User, make_admin: Callable[[str], User]
) -> None:
    User.objects.filter(pk=clerk.pk).update(last_login=WHEN)
    system = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    rows = csv_rows(system.get(reverse("accounts:user_list"), {"export": "csv"}).content)
    column = rows[0].index("最近登录")
    assert [row[column] for row in rows[1:] if row[0] == "zhangwei"] == ["2026-11-27 16:30+08:00"]


def test_a_revert_names_the_version_by_its_local_time(town: Unit) -> None:
    person = person_create(actor=None, name="赵六", unit=town, mobile="13700001111")
    first = person.history.order_by("history_id").first()
    with time_machine.travel(WHEN + dt.timedelta(hours=1), tick=False):
        person_update(actor=None, person=person, name="赵七", unit=town)
        revert(actor=None, instance=person, history_id=first.history_id)
    latest = person.history.order_by("-history_id").first()
    assert latest.history_change_reason == "还原到 2026-11-27 16:30:00+08:00 的版本"
