"""Review deadlines: a review still open after its flow's deadline is overdue — marked in the
inbox (filter 已超期, the API's ``overdue``) — and the daily job ``remind_reviews`` (a periodic
job of the worker) tells its deciders once per review and day, never its author."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from yanzhen.core.models import ApprovalRequest, DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.core.workflow import (
    _FLOWS,
    Flow,
    is_overdue,
    register_flow,
    review_decide,
    review_remind_overdue,
    review_submit,
)
from yanzhen.jobs.schedule import periodic_jobs
from yanzhen.notifications.models import Notification

pytestmark = pytest.mark.django_db
PERM = "core.change_unit"
# Submitted on Monday 2026-11-02 at 10:00 in the county: the deadline is 3 days later.
SUBMITTED = dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)
FLOW = Flow(
    code="test.deadline",
    label="测试报送",
    model=Unit,
    permission=PERM,
    reviewer=lambda target, unit: unit.parent if unit is not None else None,
    title=lambda target: f"报送 {target.name}",
    url=lambda target: f"/units/{target.pk}/",
    deadline_days=3,
)
NO_DEADLINE = Flow(
    code="test.no_deadline",
    label="无期限报送",
    model=Unit,
    permission=PERM,
    reviewer=lambda target, unit: unit.parent if unit is not None else None,
    title=lambda target: f"无期限 {target.name}",
    url=lambda target: f"/units/{target.pk}/",
    deadline_days=None,
)


@pytest.fixture(autouse=True)
def flows() -> Iterator[None]:
    register_flow(FLOW)
    register_flow(NO_DEADLINE)
    yield
    _FLOWS.pop(FLOW.code)
    _FLOWS.pop(NO_DEADLINE.code)


@pytest.fixture
def people(county: Unit, make_user: Callable[..., User]) -> dict[str, User]:
    town = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    return {
        "town": make_user(town, DataScope.UNIT, [PERM]),
        "first": make_user(county, DataScope.UNIT_AND_BELOW, [PERM]),
        "second": make_user(county, DataScope.UNIT_AND_BELOW, [PERM]),
        "no_perm": make_user(county, DataScope.UNIT_AND_BELOW, []),
    }


def at(day: int, hour: int = 10) -> dt.datetime:
    """A time of November 2026 in the county (UTC+8)."""
    return dt.datetime(2026, 11, day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def submitted(people: dict[str, User]) -> tuple[ApprovalRequest, ApprovalRequest]:
    town = people["town"]
    unit = town.unit
    assert unit is not None
    with time_machine.travel(SUBMITTED, tick=False):
        late = review_submit(flow=FLOW, target=unit, actor=town, unit=unit)
        never = review_submit(flow=NO_DEADLINE, target=unit, actor=town, unit=unit)
    return late, never


def overdue_notes() -> list[tuple[str, str, str, str]]:
    return [
        (n.recipient.username, n.occasion, n.title, n.body)
        for n in Notification.objects.filter(kind="review.overdue").order_by("id")
    ]


def test_the_deciders_are_told_once_a_day_after_the_deadline(
    people: dict[str, User], submitted: tuple[ApprovalRequest, ApprovalRequest]
) -> None:
    late, _never = submitted
    assert late.deadline == dt.date(2026, 11, 5)
    with time_machine.travel(at(5, 23), tick=False):  # the deadline day itself: not yet
        assert review_remind_overdue() == 0
        assert not is_overdue(late)
    with time_machine.travel(at(6, 7), tick=False):
        assert is_overdue(late)
        assert review_remind_overdue() == 2
        assert review_remind_overdue() == 0  # the same day again: nobody
    first, second = people["first"].username, people["second"].username
    title = "审核已超期：测试报送 报送 甲镇"
    assert overdue_notes() == [
        (first, "2026-11-06", title, "审核期限为2026-11-05，已超期1天，请尽快审核。"),
        (second, "2026-11-06", title, "审核期限为2026-11-05，已超期1天，请尽快审核。"),
    ]
    with time_machine.travel(at(7, 7), tick=False):
        call_command("remind_reviews", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("remind_reviews", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(overdue_notes()) == 4
    assert overdue_notes()[2:] == [
        (first, "2026-11-07", title, "审核期限为2026-11-05，已超期2天，请尽快审核。"),
        (second, "2026-11-07", title, "审核期限为2026-11-05，已超期2天，请尽快审核。"),
    ]
    # Decided: no more reminders.
    with time_machine.travel(at(8, 9), tick=False):
        review_decide(approval=late, approver=people["first"], decision="approve")
        assert review_remind_overdue() == 0
    assert len(overdue_notes()) == 4
    recipients = set(Notification.objects.filter(kind="review.overdue").values_list(
        "recipient__username", flat=True
    ))  # fmt: skip
    assert recipients == {first, second}  # never the author, never one without the permission


def test_the_inbox_marks_and_filters_the_overdue(
    people: dict[str, User], submitted: tuple[ApprovalRequest, ApprovalRequest]
) -> None:
    late, never = submitted
    with time_machine.travel(at(6), tick=False):
        client = Client()
        client.force_login(people["first"])
        page = client.get(reverse("core:review_list")).content.decode()
        assert page.count("已超期") == 2  # the filter's label and the one overdue row
        only = client.get(reverse("core:review_list"), {"overdue": "on"}).content.decode()
        assert "报送 甲镇" in only
        assert "无期限 甲镇" not in only
        detail = client.get(reverse("core:review_detail", args=[late.pk])).content.decode()
        assert "2026-11-05（已超期）" in detail
        api = client.get("/api/v1/reviews").json()
        assert [(i["id"], i["overdue"]) for i in api["items"]] == [
            (late.pk, True), (never.pk, False),
        ]  # fmt: skip
        assert [i["id"] for i in client.get("/api/v1/reviews?overdue=true").json()["items"]] == [
            late.pk
        ]
    with time_machine.travel(at(5), tick=False):
        client = Client()
        client.force_login(people["first"])
        only = client.get(reverse("core:review_list"), {"overdue": "on"}).content.decode()
        assert "报送 甲镇" not in only


def test_the_reminder_is_a_daily_periodic_job_of_the_worker() -> None:
    jobs = {j.name: j for j in periodic_jobs()}
    assert (jobs["remind_reviews"].command, jobs["remind_reviews"].cron) == (
        "remind_reviews", "25 7 * * *",
    )  # fmt: skip
