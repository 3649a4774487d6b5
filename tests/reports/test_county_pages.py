"""The county comparison at a province's or the nation's size: a national reader's figures
summed by the database from the stored tally (the same as the city's from its records), a page
of counties (50 unless asked, the 13 of 运城市 whole), sorted by any figure, and queries that do
not grow with the number of counties."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation import tally
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.demo import province
from yanzhen.demo.shared import DemoResult
from yanzhen.engines import ledger
from yanzhen.reports import scoped_sums, views
from yanzhen.reports.counties import COUNTY_DIMENSIONS

URL = "/api/v1/dashboard"


@pytest.fixture
def national(make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(None, DataScope.ALL, ["cooperation.view_cooperation"]))
    return client


def _city() -> Client:
    client = Client()
    client.force_login(User.objects.get(username=province.CITY_USER[0]))
    return client


def _values(rows: list[dict[str, Any]]) -> dict[str, list[Decimal]]:
    return {r["county"]["name"]: [Decimal(str(f["value"])) for f in r["figures"]] for r in rows}


def test_the_stored_sums_are_the_rows_sums(demo_db: Demo) -> None:
    province.load(DemoResult())
    for year in (None, 2025, 2026):
        rows = tally.stored_rows(dimension__in=COUNTY_DIMENSIONS)
        expected = ledger.county_funnels(rows, year=year)
        funnels = tally.stored_county_funnels(year)
        universities = tally.stored_county_universities(year)
        assert {k: f.universities for k, f in expected.items() if f.universities} == universities
        assert {
            k: f.__class__(**{**f.__dict__, "universities": 0}) for k, f in expected.items()
        } == funnels
        some = sorted(universities)[:2]
        assert tally.stored_county_universities(year, [int(k) for k in some]) == {
            k: universities[k] for k in some
        }
    assert tally.stored_county_universities(None, []) == {}


def test_a_national_reader_sees_the_city_s_figures(demo_db: Demo, national: Client) -> None:
    province.load(DemoResult())
    body = national.get(URL).json()
    city = _city().get(URL).json()
    assert body["by_county_total"] == city["by_county_total"] == 13
    assert _values(body["by_county"]) == _values(city["by_county"])
    assert [r["rank"] for r in body["by_county"]] == list(range(1, 14))
    yongji = _values(body["by_county"])["永济市"]
    assert yongji[:6] == [120, 81, 63, 38, 4, Decimal("56369")]
    # Sorted by universities, largest first, ties by rank.
    by_universities = national.get(URL, {"county_sort": "universities"}).json()["by_county"]
    assert _values(by_universities) == _values(body["by_county"])
    keys = [(-Decimal(str(r["figures"][3]["value"])), r["rank"]) for r in by_universities]
    assert keys == sorted(keys)
    assert by_universities[0]["county"]["name"] == "永济市"


def test_a_page_of_counties(demo_db: Demo, national: Client) -> None:
    province.load(DemoResult())
    whole = national.get(URL).json()["by_county"]
    page = national.get(URL, {"county_offset": 10, "county_limit": 5}).json()
    assert page["by_county_total"] == 13
    assert [r["rank"] for r in page["by_county"]] == [11, 12, 13]
    assert page["by_county"] == whole[10:]
    query: dict[str, str | int] = {"county_sort": "interns", "county_limit": 2}
    by_interns = national.get(URL, query).json()["by_county"]

    def key(r: dict[str, Any]) -> tuple[Decimal, int]:
        return -Decimal(str(r["figures"][7]["value"])), r["rank"]

    assert [key(r) for r in by_interns] == sorted(key(r) for r in whole)[:2]
    for wrong in ({"county_limit": 0}, {"county_limit": 501}, {"county_sort": "名称"}):
        assert national.get(URL, wrong).status_code == 422


def test_the_dashboard_pages_and_sorts_the_counties(
    demo_db: Demo, national: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    province.load(DemoResult())
    page = national.get(reverse("reports:dashboard")).content.decode()
    assert page.count('<td>13</td><th><a href="/overview/?unit=') == 1  # all 13 on one page
    assert 'id="county-pager"' not in page
    monkeypatch.setattr(views, "COUNTY_PAGE_SIZE", 5)
    last = national.get(reverse("reports:dashboard"), {"county_page": 3}).content.decode()
    assert "第 3 / 3 页，共 13 个县（市、区）" in last
    assert [n for n in range(1, 14) if f'<td>{n}</td><th><a href="/overview/' in last] == [
        11,
        12,
        13,
    ]
    assert '<a href="?county_page=2#by-county">上一页</a>' in last
    past = national.get(reverse("reports:dashboard"), {"county_page": 9}).content.decode()
    assert "第 3 / 3 页，共 13 个县（市、区）" in past
    sorted_page = national.get(
        reverse("reports:dashboard"), {"county_sort": "landed"}
    ).content.decode()
    assert "落地项目 ↓" in sorted_page
    assert '<a href="?county_sort=rank&amp;county_page=1#by-county">排名</a>' in sorted_page
    assert '<a href="?county_sort=landed&amp;county_page=2#by-county">下一页</a>' in sorted_page


def test_the_queries_do_not_grow_with_the_counties(demo_db: Demo, national: Client) -> None:
    def count(client: Client, query: dict[str, int] | None = None) -> tuple[int, int]:
        scoped_sums.forget()  # each count reads the rows the city's sums are made of
        with CaptureQueriesContext(connection) as queries:
            body = client.get(URL, query or {}).json()
        return len(body["by_county"]), len(queries)

    province.load(DemoResult())
    one, many = count(national, {"county_limit": 1}), count(national)
    assert (one[0], many[0]) == (1, 13)
    assert one[1] == many[1]
    city = Unit.objects.get(code="140800", kind=UnitKind.CITY)
    for n in range(5):
        unit_create(actor=None, parent=city, name=f"新县{n}", kind=UnitKind.COUNTY)
    more = count(national)
    assert more == (18, many[1])
    # The city's (from its records) neither.
    assert count(_city(), {"county_limit": 1})[1] == count(_city())[1]
