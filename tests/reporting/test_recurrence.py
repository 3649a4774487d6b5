"""Recurring tasks are issued by the background scheduler (time frozen): the declared job
runs ``issue_reporting`` each morning, which issues a quarterly task once for each new
quarter, with the same form, targets and lead time to the deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.reporting.conftest import FIELDS, World
from yanzhen.jobs import scheduler
from yanzhen.jobs.schedule import periodic_jobs
from yanzhen.jobs.worker import run_ready
from yanzhen.notifications.models import Notification
from yanzhen.reporting import services
from yanzhen.reporting.models import Task

ZONE = dt.timezone(dt.timedelta(hours=8))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def _quarterly(world: World) -> Task:
    return services.task_create(
        actor=world.users["office"],
        title="季度数据填报",
        deadline=dt.date(2021, 12, 31),
        fields=FIELDS[:2],
        target_kinds=["town"],
        recurrence="quarterly",
        issue=True,
    )


def test_the_scheduler_issues_the_next_quarter_once(
    world: World, clock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    (job,) = [j for j in periodic_jobs() if j.name == "issue_reporting"]
    monkeypatch.setattr(scheduler, "periodic_jobs", lambda: (job,))
    root = _quarterly(world)
    assert (root.period_start, root.period_end) == (dt.date(2021, 10, 1), dt.date(2021, 12, 31))
    scheduler.tick(now=_at(dt.date(2021, 12, 31), 6))  # first seen: its starting point
    clock.move_to(_at(dt.date(2022, 1, 1), 6))  # type: ignore[attr-defined]
    [run] = scheduler.tick()
    assert run.job == "issue_reporting"
    assert run_ready() == 1
    repeat = Task.objects.exclude(pk=root.pk).get()
    assert (repeat.title, repeat.parent, repeat.state) == (
        "季度数据填报（2022年第1季度）",
        root,
        "issued",
    )
    assert (repeat.period_start, repeat.period_end, repeat.deadline) == (
        dt.date(2022, 1, 1),
        dt.date(2022, 3, 31),
        dt.date(2022, 3, 31),
    )
    assert repeat.fields == root.fields
    assert sorted(repeat.submissions.values_list("unit__name", "state")) == [
        ("乙镇", "not_started"),
        ("甲镇", "not_started"),
    ]
    told = Notification.objects.filter(
        kind="reporting.issued", subject=f"reporting.task:{repeat.pk}"
    )
    assert told.count() == 2
    # The next mornings of the quarter: the job runs, nothing more is issued.
    clock.move_to(_at(dt.date(2022, 1, 2), 6))  # type: ignore[attr-defined]
    assert len(scheduler.tick()) == 1
    assert run_ready() == 1
    assert Task.objects.count() == 2


def test_a_monthly_task_is_issued_once_a_month(world: World) -> None:
    root = services.task_create(
        actor=world.users["office"],
        title="月度填报",
        deadline=dt.date(2021, 12, 25),
        fields=FIELDS[:1],
        target_units=[world.dept],
        recurrence="monthly",
        issue=True,
    )
    assert services.recurring_issue(today=dt.date(2021, 12, 28)) == []
    [january] = services.recurring_issue(today=dt.date(2022, 1, 1))
    assert (january.title, january.period_start, january.deadline) == (
        "月度填报（2022年1月）",
        dt.date(2022, 1, 1),
        dt.date(2022, 1, 25),
    )
    assert list(january.submissions.values_list("unit__name", flat=True)) == ["科技局"]
    assert services.recurring_issue(today=dt.date(2022, 1, 20)) == []
    [february] = services.recurring_issue(today=dt.date(2022, 2, 3))
    assert (february.period_end, february.parent) == (dt.date(2022, 2, 28), root)
    assert Task.objects.count() == 3


def test_a_task_that_does_not_recur_is_never_issued_again(world: World) -> None:
    services.task_create(
        actor=world.users["office"],
        title="一次性填报",
        deadline=dt.date(2021, 12, 25),
        fields=FIELDS[:1],
        target_kinds=["street"],
        issue=True,
    )
    assert services.recurring_issue(today=dt.date(2022, 4, 1)) == []
    assert Task.objects.count() == 1
