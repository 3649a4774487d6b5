"""The ledger's generation (``LedgerGeneration``) and the triggers that change it on every
write of a table a scoped dashboard's sums depend on.

PostgreSQL: a deferred constraint trigger per row, run at commit, which sets the row to a new
random value once per transaction (a transaction-local setting remembers it). The row is
locked only from that moment to the commit, after every other lock of the transaction, so no
writer waits on another for longer and no new deadlock is possible; and the value and the rows
it stands for become visible together. SQLite has one writer at a time: a trigger per row and
event sets a random value at once. Random, not counted: a value comes back neither after a
rolled-back transaction nor after a restore from a backup (a sequence would be restored too,
and count again through values that processes still running may have kept sums under).

It depends on the app's squash and on the last old migration the squash replaces. Every
squash replaces all 98 old files: on a new (or fully migrated) database Django hangs what
depended on an old file below whichever squash it removes the old files for first (another
app's), and on a database part-way through the old files it removes the squashes and hangs
what depended on one below the last of the 98 files (another app's). Either way alone would
leave this app two leaves; with both, this migration follows the app's own last migration.

A later migration that alters one of these tables on SQLite makes the table anew (Django's
``_remake_table``), which drops its triggers: it must create them again.
``tests/cooperation/test_ledger_generation.py`` finds every trigger on the database the
migrations build, and fails if one is missing."""

from __future__ import annotations

from django.db import migrations, models

from yanzhen.core.migration_operations import sql_per_vendor

TABLES = (
    "cooperation_cooperation",
    "cooperation_cooperationuniversity",
    "cooperation_cooperationlink",
    "core_unit",
    "core_unitclosure",
    "core_role_custom_units",
)
GENERATION = "cooperation_ledgergeneration"

# 2^53: every integer below it is exact in random()'s double.
POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION cooperation_ledger_changed() RETURNS trigger AS $$
    BEGIN
        IF current_setting('yanzhen.ledger_changed', true)
                IS DISTINCT FROM txid_current()::text THEN
            PERFORM set_config('yanzhen.ledger_changed', txid_current()::text, true);
            UPDATE {GENERATION} SET value = floor(random() * 9007199254740992)::bigint;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    *(
        f"CREATE CONSTRAINT TRIGGER ledger_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cooperation_ledger_changed()"
        for table in TABLES
    ),
    f"INSERT INTO {GENERATION} (id, value) VALUES (1, 0)",
]
POSTGRES_DROP = [
    *(f"DROP TRIGGER IF EXISTS ledger_changed ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS cooperation_ledger_changed()",
]
EVENTS = ("INSERT", "UPDATE", "DELETE")
SQLITE = [
    *(
        f"CREATE TRIGGER ledger_changed_{table}_{event.lower()} AFTER {event} ON {table} "
        f"BEGIN UPDATE {GENERATION} SET value = random(); END"
        for table in TABLES
        for event in EVENTS
    ),
    f"INSERT INTO {GENERATION} (id, value) VALUES (1, 0)",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS ledger_changed_{table}_{event.lower()}"
    for table in TABLES
    for event in EVENTS
]


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0001_squashed_0016_purged_with_the_cooperation"),
        ("cooperation", "0016_purged_with_the_cooperation"),
        ("core", "0022_export_job"),
    ]

    operations = [
        migrations.CreateModel(
            name="LedgerGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0, verbose_name="版本")),
            ],
            options={"verbose_name": "台账版本", "verbose_name_plural": "台账版本"},
        ),
        sql_per_vendor(
            {"sqlite": SQLITE, "postgresql": POSTGRES},
            {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP},
        ),
    ]
