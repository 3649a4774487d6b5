"""A page of the cooperations API over a large ledger is read as the list's pages are (the
page's ids first, then its rows: ``core.listing.slice_rows``): the same pages, in the same
order, for every sort."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.core import listing

SORTS = ["", "intention_date", "-agreement_date", "-landed_date", "code", "-planned_investment"]


def pages(demo_db: Demo, sort: str) -> list[Any]:
    client = demo_db.client("office")
    url = reverse("api:list_cooperations")
    out = []
    for page in (1, 2, 3, 99):
        response = client.get(url, {"page": page, "page_size": 20, "sort": sort})
        assert response.status_code == 200
        out.append(response.json())
    return out


@pytest.mark.parametrize("sort", SORTS)
def test_the_pages_read_in_two_steps_are_the_same(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    monkeypatch.setattr(listing, "LATE_LOOKUP_ROWS", 10**9)
    with CaptureQueriesContext(connection) as joined:
        whole = pages(demo_db, sort)
    monkeypatch.setattr(listing, "LATE_LOOKUP_ROWS", 10)
    with CaptureQueriesContext(connection) as queries:
        late = pages(demo_db, sort)
    assert late == whole
    assert whole[0]["count"] > 40
    assert [len(p["items"]) for p in whole] == [20, 20, min(20, whole[0]["count"] - 40), 0]
    assert len(ids_first(queries)) == 4
    assert ids_first(joined) == []


def ids_first(queries: CaptureQueriesContext) -> list[str]:
    """The queries reading the ids of a page alone."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if re.match(r'SELECT "cooperation_cooperation"\."id"( AS "pk")? FROM', q["sql"])
    ]
