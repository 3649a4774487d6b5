"""The demo's inboxes, filled by what the demo does through the services: the January 2022
round asks the bases' lead departments, a problem is assigned to the town, the daily runs of
31 December 2021 remind the office and the talents' employers and payers; no administrator
is sent business notices; 信息报送's decisions reach
who sent the item in; the town's robot is configured but off (nothing leaves)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.notifications.models import Delivery, Notification, Robot

pytestmark = pytest.mark.usefixtures("demo_db")


def test_each_business_role_has_notices_from_the_demos_actions() -> None:
    notices = Notification.objects.select_related("recipient", "recipient__unit")
    kinds = Counter(
        (n.recipient.username, n.kind) for n in notices if n.recipient.has_usable_password()
    )
    # The towns' clerks (accounts without a password) who handed the 数据填报 in hear the
    # office's decision (and the 催报 when it was returned).
    clerks = Counter(
        (str(n.recipient.unit), n.kind) for n in notices if not n.recipient.has_usable_password()
    )
    assert kinds == {
        ("base", "round.opened"): 2,  # 工信局 leads two bases
        ("base", "talent.reminder"): 1,
        ("town", "problem.assigned"): 1,
        ("office", "reminder"): 1,
        ("enterprise", "talent.reminder"): 3,
        # The quarterly 数据填报 task: issued to the town, then 催报; five towns handed in.
        ("town", "reporting.issued"): 1,
        ("town", "reporting.due"): 1,
        # Five towns' 数据填报 and the two cooperations reported by a town and an enterprise.
        ("office", "review.requested"): 7,
        # The office's second member (the briefings' reviewer) hears what the office hears,
        # and reviews the 揭榜挂帅 call the office drafted (four eyes).
        ("reviewer", "review.requested"): 8,
        ("office", "review.decided"): 1,
        # 揭榜挂帅: the published call told 西安交通大学 and its expert; its application told
        # the office.
        ("university", "call.step"): 1,
        ("expert", "call.step"): 1,
        ("office", "call.step"): 1,
        ("reviewer", "call.step"): 1,
        ("reviewer", "reminder"): 1,
        # The halls: two technology needs of 中车永济电机 told 西安交通大学 and its expert, two
        # results of 西安交通大学 told the enterprise.
        ("university", "hall.need"): 2,
        ("expert", "hall.need"): 2,
        ("enterprise", "hall.result"): 2,
        # The 2021 云对接会: its published schedule told each party its meetings.
        ("enterprise", "event.scheduled"): 1,
        ("university", "event.scheduled"): 1,
        ("expert", "event.scheduled"): 1,
        # 信息报送: the office adopts the work information the base's lead department sent in.
        ("base", "info.decided"): 1,
        # 对接洽谈: the four messages between the enterprise and 西安交通大学 told the other side
        # (the university's accounts: its institution account and its expert).
        ("enterprise", "thread.message"): 2,
        ("university", "thread.message"): 2,
        ("expert", "thread.message"): 2,
        # The signed agreement's two obligations became milestones of base YJ-B01, each told
        # to the unit that answers for it (the enterprise; the office and its second member).
        ("enterprise", "milestone.assigned"): 1,
        ("office", "milestone.assigned"): 1,
        ("reviewer", "milestone.assigned"): 1,
    }
    assert clerks == {
        ("城西街道", "reporting.approved"): 1,
        ("城北街道", "reporting.approved"): 1,
        ("卿头镇", "reporting.returned"): 1,
        ("卿头镇", "reporting.due"): 1,  # returned, so still missing at the 催报
        # 信息报送: the office adopts the first item of every other town (5) and returns the
        # second item of 虞乡镇; the clerk who sent it in hears the decision.
        ("城西街道", "info.decided"): 1,
        ("城东街道", "info.decided"): 1,
        ("卿头镇", "info.decided"): 1,
        ("栲栳镇", "info.decided"): 1,
        ("韩阳镇", "info.decided"): 1,
        ("虞乡镇", "info.decided"): 1,
    }
    assert not Notification.objects.filter(
        recipient__username__in=["sysadmin", "secadmin", "auditor"]
    ).exists()
    assert Delivery.objects.count() == 0  # no demo user has an e-mail; the robot is off
    robot = Robot.objects.get()
    assert (robot.unit.name, robot.is_active, robot.host) == (
        "开张镇",
        False,
        "qyapi.weixin.qq.com",
    )


def test_the_header_counts_the_unread_and_the_inbox_lists_them(demo_db: Demo) -> None:
    client = demo_db.client("town")
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<span class="tag gap">3</span>' in page  # the problem, the 数据填报 and its 催报
    assert "交办问题：东开张村与太原理工大学共建实践基地的场地尚未落实" in page
    api = client.get("/api/v1/notifications").json()
    assert (api["count"], api["items"][0]["kind"], api["items"][0]["read"]) == (
        3,
        "reporting.due",
        False,
    )
