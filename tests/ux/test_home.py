"""The home page of each role (工作台): its to-dos first, then what the role works on; each
figure opens its records; the number of queries does not depend on the data."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Demo

pytestmark = pytest.mark.usefixtures("demo_db")


def _figures(html: str, attribute: str) -> dict[str, tuple[str, str]]:
    pattern = rf'<a class="figure" href="([^"]+)" {attribute}="([^"]+)"><span class="value">([^<]+)'
    return {label: (count, unescape(href)) for href, label, count in re.findall(pattern, html)}


def unescape(text: str) -> str:
    return text.replace("&amp;", "&")


def test_the_office_lands_on_its_to_dos(demo_db: Demo) -> None:
    html = demo_db.client("office").get("/").content.decode()
    todos = _figures(html, "data-todo")
    assert list(todos) == ["待我审核", "待填报任务", "交办给本单位的问题", "逾期节点", "未读消息"]
    assert todos["逾期节点"][1] == "/supervision/milestones/?overdue=1"
    assert todos["未读消息"][1] == "/notifications/?unread=1"


@pytest.mark.parametrize(
    ("username", "section"),
    [("enterprise", "本单位人才需求"), ("town", "所辖村（社区）")],
)
def test_an_enterprise_and_a_town_see_their_own_work(
    demo_db: Demo, username: str, section: str
) -> None:
    client = demo_db.client(username)
    html = client.get("/").content.decode()
    own = _figures(html, "data-own")
    assert section in own
    for label, (count, href) in own.items():
        page = client.get(href)
        assert page.status_code == 200, label
        total = re.search(r"共 (\d+) 条", page.content.decode())
        if total is not None:
            assert total.group(1) == count.replace(",", ""), label


def test_the_towns_villages_are_counted_exactly(demo_db: Demo) -> None:
    from yanzhen.core.models import UnitKind
    from yanzhen.core.selectors import unit_qs

    town = demo_db.users["town"]
    html = demo_db.client("town").get("/").content.decode()
    expected = unit_qs(town).filter(kind=UnitKind.VILLAGE).count()
    assert expected > 0
    assert _figures(html, "data-own")["所辖村（社区）"][0] == str(expected)


def test_the_leader_is_led_to_the_year_at_a_glance(demo_db: Demo) -> None:
    html = demo_db.client("leader").get("/").content.decode()
    assert 'href="/overview/" id="year-at-a-glance"' in html


@pytest.mark.parametrize("username", ["office", "leader", "town", "enterprise", "base"])
def test_the_home_page_runs_a_pinned_number_of_queries(demo_db: Demo, username: str) -> None:
    client = demo_db.client(username)
    client.get("/")  # sessions and caches warmed
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    from yanzhen.notifications.models import Notification

    user = demo_db.users[username]
    Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind="test", subject=f"test:{i}", title=f"通知{i}")
            for i in range(5)
        ]
    )
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(second) == len(first)
    # The sums of the user's scope: kept from the warming request on SQLite (the ledger's
    # generation is read instead of the rows); on PostgreSQL a test's transaction has written
    # (the demo), so it reads no generation and the rows as well.
    kept = 0 if connection.vendor == "sqlite" else 1
    assert len(first) == PINNED[username] + kept, len(first)


# The leader counts its 签发 inbox (the briefings in the shared review inbox): in the header
# and among the to-dos. The dashboard reads the settings of the user's county once (its local
# industries): one query, and one more to find the county of a unit below it (town,
# enterprise, base); the office's county scope finds its county in one query.
PINNED = {"office": 21, "leader": 21, "town": 21, "enterprise": 18, "base": 19}
