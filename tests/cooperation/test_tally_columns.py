"""The scoped dashboards read the facts column by column in two queries (``tally.columns_for``:
the cooperations with their universities, then their owners' counties, one row per owner):
the same facts as one cooperation at a time, for every demo login."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Demo
from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.engines.ledger import sum_columns, sum_contributions


@pytest.mark.parametrize("username", ["office", "leader", "base", "town", "enterprise"])
def test_the_columns_sum_like_the_facts_one_by_one(demo_db: Demo, username: str) -> None:
    visible = cooperation_qs(demo_db.users[username]).filter(approved=True)  # what the tally holds
    ids = visible.values("pk")
    with CaptureQueriesContext(connection) as queries:
        columns = tally.columns_for(visible)
    assert len(queries.captured_queries) == 2
    assert 'AS "county"' not in queries.captured_queries[0]["sql"]  # no subquery a row
    facts = tally.facts_for(ids)
    assert len(columns.stage) == len(facts) == ids.count() > 0
    assert sum_columns(columns) == sum_contributions(facts.values())


def test_no_cooperation_gives_empty_columns_and_no_rows(demo_db: Demo) -> None:
    columns = tally.columns_for(Cooperation.objects.none())
    assert len(columns.stage) == 0
    assert sum_columns(columns) == {}
