"""Query counts pinned on every list: each list route of ``tests/routes`` is rendered with 1 row
and with 30 rows (made by its factory in ``tests/rows/<app>.py``), as a user of the county
holding every permission, and runs the same number of queries both times — no query per row.
A failure names the route and the statements that grew.

A list route needs a factory in ``tests/rows`` or a line below. The porters of issue 12 add
the factory of each list they port and remove its line; the test fails for a list route that
has neither, and for a line whose route has a factory or no longer exists.

Not yet covered:
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.routes import ROUTES
from tests.rows import ROWS, RowFactory
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.reports import scoped_sums

NOT_YET = frozenset(__doc__.split("Not yet covered:")[1].split())
LIST_ROUTES = sorted(name for name, kind in ROUTES.items() if kind == "list")
FEW, MANY = 1, 30


def test_every_list_route_has_a_row_factory_or_is_listed_as_not_yet_covered() -> None:
    uncovered = sorted(set(LIST_ROUTES) - set(ROWS) - NOT_YET)
    assert uncovered == [], "give these lists a factory in tests/rows/<app>.py"
    stale = sorted(NOT_YET & set(ROWS))
    assert stale == [], "these have a factory now: remove them from this module's docstring"
    gone = sorted(NOT_YET - set(LIST_ROUTES))
    assert gone == [], "these are not list routes (any more): remove them from the docstring"
    assert sorted(set(ROWS) - set(LIST_ROUTES)) == [], "tests/rows names routes of no list"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    """2021-12-20 10:00 in Yongji, the day the row factories count from."""
    with time_machine.travel(dt.datetime(2021, 12, 20, 2, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def everything(county: Unit, make_user: Callable[..., User]) -> Client:
    """A user of the county (and below) holding every permission."""
    perms = [
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    ]
    client = Client()
    client.force_login(make_user(county, DataScope.UNIT_AND_BELOW, perms))
    return client


def _statements(client: Client, url: str, params: dict[str, str]) -> tuple[list[str], int]:
    """The statements the page runs, and the length of what it shows. The sums a scoped
    dashboard keeps between requests (``reports.scoped_sums``) are dropped first, so that both
    counts include the read of the rows they are summed from."""
    scoped_sums.forget()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries], len(response.content)


def _grown(few: list[str], many: list[str]) -> list[str]:
    """The statements run more often with many rows than with few."""
    out = []
    for sql in dict.fromkeys(many):
        extra = many.count(sql) - few.count(sql)
        if extra > 0:
            out.append(f"{extra}× {sql[:300]}")
    return out


def assert_same_queries(
    client: Client, url: str, make: Callable[[int], dict[str, str]], label: str
) -> None:
    params = make(FEW)
    client.get(url, params)  # caches filled once per process (content types, the scope)
    few, shown = _statements(client, url, params)
    make(MANY - FEW)
    many, shown_many = _statements(client, url, params)
    assert shown_many > shown, f"{label}: the rows made do not show"
    assert len(many) == len(few), (
        f"{label}: {len(few)} queries for {FEW} row, {len(many)} for {MANY}",
        _grown(few, many),
    )


@pytest.mark.parametrize("route", sorted(ROWS), ids=str)
def test_a_list_costs_the_same_queries_for_1_row_as_for_30(
    route: str, county: Unit, everything: Client
) -> None:
    factory: RowFactory = ROWS[route]
    assert_same_queries(everything, reverse(route), lambda n: factory(n, county), route)


def test_the_programme_page_costs_the_same_for_1_host_as_for_30(
    county: Unit, make_user: Callable[..., User]
) -> None:
    """A host unit sees the programmes it hosts; whether it acts for each host (its own, or
    one below it) was a query per host."""
    from yanzhen.placement import services

    organiser = unit_create(actor=None, parent=county, name="人才办", kind=UnitKind.DEPARTMENT)
    town = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    programme = services.programme_create(
        actor=None,
        name="暑期实习",
        kind="intern",
        owner_unit=organiser,
        year=2021,
        start_date=dt.date(2021, 7, 5),
        end_date=dt.date(2021, 8, 27),
    )
    client = Client()
    client.force_login(make_user(town, DataScope.UNIT_AND_BELOW, ["placement.view_programme"]))
    made = iter(range(1, 100))

    def hosts(n: int) -> dict[str, str]:
        for _ in range(n):
            parent = town if next(made) % 2 else county  # its own and others
            unit = unit_create(
                actor=None, parent=parent, name=f"接收单位{next(made)}", kind=UnitKind.ENTERPRISE
            )
            services.host_create(actor=None, programme=programme, unit=unit, capacity=1)
        return {}

    url = reverse("talent:programme_detail", args=[programme.pk])
    assert_same_queries(client, url, hosts, "talent:programme_detail")


def test_the_college_page_costs_the_same_for_1_brand_as_for_30(
    county: Unit, everything: Client
) -> None:
    """The college counted the open stores of each brand with a query per brand."""
    from yanzhen.college.models import Brand, BrandStore, College

    college = College.objects.create(name="面食学院", owner_unit=county)
    made = iter(range(1, 100))

    def brands(n: int) -> dict[str, str]:
        for _ in range(n):
            brand = Brand.objects.create(college=college, name=f"品牌{next(made)}")
            BrandStore.objects.create(
                brand=brand, name="门店", city="运城", opened_on=dt.date(2021, 5, 1)
            )
        return {}

    url = reverse("talent:college_detail", args=[college.pk])
    assert_same_queries(everything, url, brands, "talent:college_detail")
