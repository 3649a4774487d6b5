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


def _index_and_table_scans() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(COALESCE(idx_scan, 0) + seq_scan), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        return int(cursor.fetchone()[0])


def test_a_tests_constraint_check_rechecks_none_of_the_demos_rows(demo_db: Demo) -> None:
    """Django's TestCase checks the deferred foreign keys at the end of every test, inside the
    test's savepoint, whose rollback un-fires them: the demo's own references, still queued
    from its insert, were looked up again after each test of the module (0.4 s a test on
    PostgreSQL). They are checked once when the demo is inserted; a test's check looks up only
    what the test wrote."""
    if connection.vendor != "postgresql":
        # SQLite checks the whole file (PRAGMA foreign_key_check), no queue: the demo is whole.
        connection.check_constraints()
        assert connection.settings_dict["NAME"] != ""
        return
    before = _index_and_table_scans()
    connection.check_constraints()
    assert _index_and_table_scans() - before == 0
