"""The Yongji demo's reporting: the quarterly task of the fourth quarter of 2021 to the 10
towns and streets, a submission in every state, the figures pre-filled from the ledger, and
the notifications it left in the inboxes."""

from __future__ import annotations

from django.db.models import Count

from tests.conftest import Demo
from yanzhen.notifications.models import Notification
from yanzhen.reporting.models import Task
from yanzhen.reporting.selectors import rollup


def test_the_quarterly_task_has_a_submission_in_every_state(demo_db: Demo) -> None:
    task = Task.objects.get()
    assert (task.title, task.recurrence, task.state) == (
        "省校合作工作季度数据填报（2021年第4季度）",
        "quarterly",
        "issued",
    )
    rows = [
        (s.unit.name, s.state, s.values.get("agreements"), s.values.get("landed"), s.late)
        for s in task.submissions.order_by("unit__sort_order")
    ]
    assert rows == [
        ("城西街道", "approved", 1, 1, False),
        ("城北街道", "approved", 1, 0, False),
        ("城东街道", "submitted", 0, 1, False),
        ("虞乡镇", "submitted", 0, 2, False),
        ("卿头镇", "returned", 2, 4, False),
        ("开张镇", "draft", 1, 1, False),
        ("栲栳镇", "draft", 0, 0, False),
        ("蒲州镇", "not_started", 1, 3, False),
        ("韩阳镇", "not_started", 0, 3, False),
        ("张营镇", "not_started", 0, 0, False),
    ]
    states = dict(task.submissions.values_list("state").annotate(n=Count("pk")))
    assert states == {"approved": 2, "submitted": 2, "returned": 1, "draft": 2, "not_started": 3}


def test_the_rollup_counts_the_two_approved_towns(demo_db: Demo) -> None:
    r = rollup(user=demo_db.users["leader"], task=Task.objects.get())
    assert (r.totals["agreements"], r.totals["landed"], r.totals["investment"]) == (2, 1, "2060.50")
    assert [u.name for u in r.missing] == [
        "卿头镇",
        "开张镇",
        "栲栳镇",
        "蒲州镇",
        "韩阳镇",
        "张营镇",
    ]


def test_the_demo_left_notifications_in_the_inboxes(demo_db: Demo) -> None:
    town = Notification.objects.filter(
        recipient=demo_db.users["town"], kind__startswith="reporting"
    )
    assert sorted(town.values_list("kind", "title")) == [
        (
            "reporting.due",
            "催报：“省校合作工作季度数据填报（2021年第4季度）”已逾期（截止2022-01-10），请尽快填报",
        ),
        ("reporting.issued", "请填报“省校合作工作季度数据填报（2021年第4季度）”，2022-01-10前"),
    ]
    office = Notification.objects.filter(
        recipient=demo_db.users["office"],
        kind="review.requested",
        title__contains="数据填报",
    )
    task = "省校合作工作季度数据填报（2021年第4季度）"
    assert sorted(office.values_list("title", flat=True)) == [
        f"待审核：数据填报 {town}：{task}"
        for town in ("卿头镇", "城东街道", "城北街道", "城西街道", "虞乡镇")
    ]
