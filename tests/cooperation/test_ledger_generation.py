"""The ledger's generation (``cooperation.models.LedgerGeneration``): the triggers of
``cooperation/migrations/0017_ledger_generation.py`` are on every table the scoped sums depend
on, and on PostgreSQL they change the generation once per transaction, at its commit. No demo
here: the module's demo transaction would hold the generation's row once the foreign keys are
checked after a test (``SET CONSTRAINTS ALL IMMEDIATE`` runs the deferred trigger), and the
commit of the test's own connection would wait on it."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from yanzhen.cooperation import tally
from yanzhen.core.models import UnitKind
from yanzhen.core.services import unit_create

tables = importlib.import_module("yanzhen.cooperation.migrations.0017_ledger_generation")


def test_the_triggers_cover_every_table(db: None) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'ledger_changed'"
            )
            found = sorted(r[0] for r in cursor.fetchall())
        assert found == sorted(tables.TABLES)
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'ledger_changed_%'"
            )
            found = sorted(r[0] for r in cursor.fetchall())
        assert found == sorted(
            f"ledger_changed_{t}_{e}" for t in tables.TABLES for e in ("insert", "update", "delete")
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's commit-time trigger")
def test_postgresql_changes_the_generation_once_at_commit(db: None) -> None:
    """On a connection of its own (autocommit), outside the test's transaction."""
    import psycopg

    with connection.cursor():
        pass
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:

        def value() -> int:
            row = other.execute("SELECT value FROM cooperation_ledgergeneration").fetchone()
            assert row is not None
            return int(row[0])

        def updates() -> int:
            """Updates of the generation's row counted by this connection so far."""
            row = other.execute(
                "SELECT n_tup_upd FROM pg_stat_xact_user_tables "
                "WHERE relname = 'cooperation_ledgergeneration'"
            ).fetchone()
            assert row is not None
            return int(row[0])

        insert = "INSERT INTO core_role_custom_units (role_id, unit_id) VALUES (-1, -1)"
        delete = "DELETE FROM core_role_custom_units WHERE role_id = -1"
        start = value()
        with other.transaction():
            for _ in range(2):
                other.execute(insert)
                other.execute(delete)
            assert value() == start  # not before the commit
            assert updates() == 0
            row = other.execute("SELECT txid_current_if_assigned() IS NULL").fetchone()
            assert row == (False,)  # and this transaction would not be read as kept
        first = value()
        assert first != start
        with other.transaction():
            # PostgreSQL 15 reports a backend's counts not yet flushed to the shared statistics,
            # the last transaction's included: counted from here.
            before = updates()
            for _ in range(3):
                other.execute(insert)
                other.execute(delete)
                # the commit's trigger, now (the foreign keys stay deferred: role -1)
                other.execute("SET CONSTRAINTS ledger_changed IMMEDIATE")
            assert updates() - before == 1  # once for the transaction, whatever it wrote
        second = value()
        assert second not in (start, first)

        def undone() -> None:
            with other.transaction():
                other.execute(insert)
                raise RuntimeError

        with pytest.raises(RuntimeError):
            undone()
        assert value() == second


def test_a_transaction_that_wrote_reads_no_generation_on_postgresql(db: None) -> None:
    """What it would read is its own rows, which no one else sees yet: not kept. SQLite's
    generation changes at once, to a value no other transaction will have."""
    before = tally.ledger_generation()
    assert before is not None
    unit_create(actor=None, parent=None, name="测试县", kind=UnitKind.COUNTY)
    after = tally.ledger_generation()
    if connection.vendor == "postgresql":
        assert after is None
    else:
        assert after is not None
        assert after != before
