"""The suite's shared demo leaves nothing behind that another worker would wait for."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tests import dbcache
from tests.conftest import Demo

pytestmark = pytest.mark.django_db


def test_the_statistics_are_taken_of_the_demos_tables_by_name(demo_db: Demo) -> None:
    tables = dbcache.demo_tables()
    statement = dbcache.analyze_statement(tables)
    quote = connection.ops.quote_name
    assert statement == "ANALYZE " + ", ".join(quote(t.name) for t in tables)
    names = statement.removeprefix("ANALYZE ").split(", ")
    assert len(names) == len(tables)
    assert quote(get_user_model()._meta.db_table) in names


def test_the_demo_holds_no_lock_on_a_catalogue_the_cluster_shares(demo_db: Demo) -> None:
    """PostgreSQL: a lock on a shared catalogue held for the module's whole transaction made
    the other worker's demo wait into the statement timeout (1,425 errors in CI)."""
    if connection.vendor != "postgresql":
        # SQLite's database is one file per worker: nothing is shared between them.
        assert connection.settings_dict["NAME"] != ""
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE l.pid = pg_backend_pid() AND c.relisshared ORDER BY c.relname"
        )
        assert cursor.fetchall() == []
