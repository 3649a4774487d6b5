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

        def last() -> int:
            # nextval is not undone by a rollback: a value once taken is never taken again
            # (other tests' transactions may have taken some, and rolled back).
            row = other.execute(
                "SELECT last_value FROM cooperation_ledgergeneration_seq"
            ).fetchone()
            assert row is not None
            return int(row[0])

        insert = "INSERT INTO core_role_custom_units (role_id, unit_id) VALUES (-1, -1)"
        delete = "DELETE FROM core_role_custom_units WHERE role_id = -1"
        start = value()
        taken = last()
        with other.transaction():
            other.execute(insert)
            other.execute(delete)
            other.execute(insert)
            other.execute(delete)
            assert value() == start  # not before the commit
            row = other.execute("SELECT txid_current_if_assigned() IS NULL").fetchone()
            assert row == (False,)  # and this transaction would not be read as kept
        first = value()
        assert first == taken + 1 > start  # once for the transaction, a value not used before

        def undone() -> None:
            with other.transaction():
                other.execute(insert)
                raise RuntimeError

        with pytest.raises(RuntimeError):
            undone()
        assert value() == first
        with other.transaction():
            other.execute(insert)
            other.execute(delete)
        assert value() == first + 1 == last()  # the rolled-back one never ran its trigger


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
