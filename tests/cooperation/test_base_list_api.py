"""``/api/v1/bases`` at scale: the list as plain values (``cooperation.base_values``), the same
bases, fields and figures as ``BaseOut`` built from the models, paged by the optional
``limit``/``offset``, and three queries whatever the number of bases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import Demo
from yanzhen.cooperation import selectors
from yanzhen.cooperation.api import base_out
from yanzhen.core.models import DataScope, User
from yanzhen.demo import province
from yanzhen.demo.shared import DemoResult

URL = "/api/v1/bases"


def _built(user: User) -> list[dict[str, Any]]:
    """The list as it was built before: a ``BaseOut`` per base from its model instance."""
    rows = selectors.base_rows(user=user, filters=selectors.BaseFilters())
    return [base_out(r.base, r.figures).model_dump(mode="json") for r in rows]


@pytest.mark.parametrize("login", ["office", "base", "leader"])
def test_the_list_is_what_the_models_give(demo_db: Demo, login: str) -> None:
    response = demo_db.client(login).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == _built(demo_db.users[login])


def test_the_office_s_bases_with_their_exact_figures(demo_db: Demo) -> None:
    bases = demo_db.client("office").get(URL).json()
    assert len(bases) == 12
    first = bases[0]
    assert first["county"]["name"] == "永济市"
    assert first["base_type"] is not None
    assert (sum(b["intentions"] for b in bases), sum(b["agreements"] for b in bases)) == (
        116,
        sum(b["agreements"] for b in _built(demo_db.users["office"])),
    )
    assert [m["name"] for m in first["members"]] == [
        m["name"] for m in _built(demo_db.users["office"])[0]["members"]
    ]


@pytest.fixture
def national(make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(None, DataScope.ALL, ["cooperation.view_base"]))
    return client


def test_a_national_reader_pages_through_the_bases(demo_db: Demo, national: Client) -> None:
    province.load(DemoResult())
    whole = national.get(URL).json()
    assert len(whole) > 12
    assert whole == _built(User.objects.get(username="user1"))
    assert national.get(URL, {"limit": 5, "offset": 3}).json() == whole[3:8]
    assert national.get(URL, {"limit": 5}).json() == whole[:5]
    assert national.get(URL, {"offset": len(whole) - 2}).json() == whole[-2:]
    assert national.get(URL, {"limit": 5, "offset": len(whole)}).json() == []
    # The filters still apply, before the page.
    county = whole[0]["county"]["id"]
    mine = [b for b in whole if b["county"]["id"] == county]
    assert national.get(URL, {"county": county, "limit": 1}).json() == mine[:1]


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 1001}, {"offset": -1}])
def test_a_page_out_of_bounds_is_refused(demo_db: Demo, query: dict[str, int]) -> None:
    response = demo_db.client("office").get(URL, query)
    assert response.status_code == 422


def test_the_queries_do_not_grow_with_the_bases(demo_db: Demo, national: Client) -> None:
    def count(query: dict[str, int]) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = national.get(URL, query).json()
        return len(rows), len(queries)

    one, many = count({"limit": 1}), count({})
    assert one[0] == 1
    assert many[0] == 12
    assert one[1] == many[1]
    province.load(DemoResult())
    more = count({})
    assert more[0] > 12
    assert more[1] == many[1]
