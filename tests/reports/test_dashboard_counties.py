"""A scoped dashboard that compares no counties (a county's or a town's user) reads and sums
no county dimension (``tally.columns_for(counties=False)``): the same dashboard, one query and
the sums of the counties less."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Demo
from yanzhen.cooperation import tally
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.engines import ledger
from yanzhen.engines.ledger import sum_columns, sum_contributions
from yanzhen.reports import scoped_sums, selectors
from yanzhen.reports.counties import above_county

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize("username", ["office", "base", "town", "enterprise"])
def test_the_columns_without_counties_sum_the_same_figures_less_the_counties(
    demo_db: Demo, username: str
) -> None:
    visible = cooperation_qs(demo_db.users[username]).filter(approved=True)
    with CaptureQueriesContext(connection) as queries:
        columns = tally.columns_for(visible, counties=False)
    assert len(queries.captured_queries) == 1
    assert list(columns.county) == []
    counties = (ledger.COUNTY, ledger.COUNTY_UNIVERSITY)
    everything = sum_contributions(tally.facts_for(visible.values("pk")).values())
    assert sum_columns(columns) == {k: v for k, v in everything.items() if k[0] not in counties}
    assert any(k[0] == ledger.COUNTY for k in everything)


@pytest.mark.parametrize("username", ["office", "base", "town", "enterprise"])
def test_a_dashboard_without_a_county_comparison_is_the_same(
    demo_db: Demo, username: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = demo_db.users[username]
    assert not above_county(user)
    now = selectors.dashboard(user=user, year=None, today=TODAY)
    real = tally.columns_for

    def with_counties(cooperations: Any, *, counties: bool = True) -> Any:
        return real(cooperations, counties=True)

    monkeypatch.setattr(scoped_sums, "columns_for", with_counties)
    scoped_sums.forget()  # not the sums kept from the first call
    assert selectors.dashboard(user=user, year=None, today=TODAY) == now
    assert now.figures[0].value > 0
