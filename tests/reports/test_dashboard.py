"""The dashboard on the Yongji demo: the case's figures exactly, each opening its records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import TODAY, Demo
from yanzhen.reports.selectors import dashboard

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def figures(client: Client, **params: str) -> dict[str, str]:
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(
        r'<a class="figure" href="([^"]+)" data-figure="([^"]+)"><span class="value">([^<]+)</span>',
        html,
    )
    return {label: value for _url, label, value in found}


def test_the_office_reads_the_case_figures(demo_db: Demo) -> None:
    assert figures(demo_db.client("office")) == {
        "合作意向": "120",
        "签约协议": "81",
        "落地项目": "63",
        "合作高校（院所）": "38",
        "终止": "4",
        "落地投资（万元）": "56,369",
    }
    assert figures(demo_db.client("office"), year="2021")["合作意向"] == "120"
    assert figures(demo_db.client("office"), year="2020")["合作意向"] == "0"


def test_the_leader_reads_the_same_figures(demo_db: Demo) -> None:
    assert figures(demo_db.client("leader")) == figures(demo_db.client("office"))


def test_scoped_users_read_their_own_figures(demo_db: Demo) -> None:
    assert figures(demo_db.client("town"))["合作意向"] == "9"
    assert figures(demo_db.client("enterprise"))["合作意向"] == "6"
    assert figures(demo_db.client("base"))["合作意向"] == "25"


def test_activities_coverage_and_international_come_from_records(demo_db: Demo) -> None:
    board = dashboard(user=demo_db.users["office"], year=None, today=TODAY)
    assert [(f.label, f.value) for f in board.activities] == [
        ("常委会研究", 3), ("带队赴高校对接", 5), ("推介会", 3), ("挂职交流", 1),
    ]  # fmt: skip
    assert [(f.label, f.value) for f in board.international] == [
        ("国际合作", 1),
        ("参与学生（人）", 34),
    ]
    # The villages are Yongji's real 195 villages and 22 communities (NBS 2021); the case's
    # cooperations reach 20 of them: the gap is real, the first ten uncovered are named.
    assert [
        (r.label, r.total, r.covered, [u.name for u in r.gaps]) for r in board.vertical
    ] == [
        ("市级", 1, 1, []),
        ("部门和镇（街道）", 24, 24, []),
        (
            "村（社区）", 217, 20,
            ["康乐社区", "迎新社区", "杏南社区", "西厢社区", "涑水社区", "杏北社区", "樱花社区",
             "府西社区", "东环社区", "新源村"],
        ),
    ]  # fmt: skip
    rows = [(r.label, r.total, r.covered) for _, group in board.horizontal for r in group]
    assert len(rows) == 16
    assert sum(t for _, t, _ in rows) == 17
    assert all(total == covered for _, total, covered in rows)


def _count_at(client: Client, url: str) -> int:
    """The number of records a figure's link opens (read from the list's total)."""
    response = client.get(url)
    assert response.status_code == 200, url
    match = re.search(r"共 (\d+) 条", response.content.decode())
    assert match, url
    return int(match.group(1))


def test_every_figure_opens_exactly_its_records(demo_db: Demo) -> None:
    client = demo_db.client("office")
    board = dashboard(user=demo_db.users["office"], year=2021, today=TODAY)
    checked = 0
    for figure in board.figures:
        if "投资" not in figure.label:
            assert _count_at(client, figure.url) == figure.value, figure.label
            checked += 1
    for series in board.series:
        for stage, urls in series.urls.items():
            for url, value in zip(urls, series.counts[stage], strict=True):
                assert _count_at(client, url) == value, (series.title, url)
                checked += 1
    for row in board.waiting:
        for figure in row["buckets"]:
            assert _count_at(client, figure.url) == figure.value, figure.url
            checked += 1
    for figure in [*board.sign_lag, *board.current, *board.international[:1]]:
        assert _count_at(client, figure.url) == figure.value, figure.url
        checked += 1
    assert checked > 100


def test_the_partner_list_holds_the_38_universities(demo_db: Demo) -> None:
    client = demo_db.client("office")
    assert _count_at(client, reverse("cooperation:partner_list")) == 38
    assert _count_at(client, reverse("cooperation:partner_list") + "?year=2021") == 38


def test_coverage_links_name_the_gaps(demo_db: Demo) -> None:
    board = dashboard(user=demo_db.users["office"], year=None, today=TODAY)
    village_row = board.vertical[2]
    query = parse_qs(urlparse(village_row.gap_url).query)
    assert query == {"covered": ["0"], "tier": ["village"]}
    assert _count_at(demo_db.client("office"), village_row.all_url) == 217
    assert _count_at(demo_db.client("office"), village_row.gap_url) == 197


def test_the_dashboard_api_gives_the_same_figures(demo_db: Demo) -> None:
    response = demo_db.client("leader").get(reverse("api:get_dashboard"))
    assert response.status_code == 200
    body = response.json()
    assert [(f["label"], float(f["value"])) for f in body["figures"][:4]] == [
        ("合作意向", 120.0),
        ("签约协议", 81.0),
        ("落地项目", 63.0),
        ("合作高校（院所）", 38.0),
    ]
