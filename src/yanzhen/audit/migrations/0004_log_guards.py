"""The database refuses to change the access log, the export log and the checkpoints, to
delete access and export rows younger than three years (records of processing personal data)
or any checkpoint, and (PostgreSQL) to truncate any of the audit tables."""

from __future__ import annotations

from typing import Any

from django.db import migrations

PROCESSING_FLOOR_DAYS = 1096
LOGS = ("audit_accesslog", "audit_exportlog")


def _sqlite() -> list[str]:
    statements = []
    for table in LOGS:
        statements += [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            f"CREATE TRIGGER {table}_keep BEFORE DELETE ON {table} "
            f"WHEN OLD.created_at > datetime('now', '-{PROCESSING_FLOOR_DAYS} days') "
            f"BEGIN SELECT RAISE(ABORT, 'rows of {table} younger than three years are kept'); END",
        ]
    statements += [
        "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint "
        "BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END",
        "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint "
        "BEGIN SELECT RAISE(ABORT, 'checkpoints are never deleted'); END",
    ]
    return statements


def _sqlite_drop() -> list[str]:
    names = [f"{t}_{s}" for t in LOGS for s in ("no_update", "keep")]
    names += ["audit_checkpoint_no_update", "audit_checkpoint_no_delete"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


GUARD = """
CREATE OR REPLACE FUNCTION audit_log_guard() RETURNS trigger AS $$
DECLARE
    keep_days integer := TG_ARGV[0]::integer;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END IF;
    IF keep_days < 0 THEN
        RAISE EXCEPTION 'rows of % are never deleted', TG_TABLE_NAME;
    END IF;
    IF OLD.created_at > now() - make_interval(days => keep_days) THEN
        RAISE EXCEPTION 'rows of % younger than % days are kept', TG_TABLE_NAME, keep_days;
    END IF;
    RETURN OLD;
END
$$ LANGUAGE plpgsql
"""
NO_TRUNCATE = """
CREATE OR REPLACE FUNCTION audit_log_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% cannot be truncated', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""
TRUNCATE_GUARDED = ("audit_securityevent", *LOGS, "audit_checkpoint")


def _postgres() -> list[str]:
    statements = [GUARD, NO_TRUNCATE]
    for table, days in ((LOGS[0], PROCESSING_FLOOR_DAYS), (LOGS[1], PROCESSING_FLOOR_DAYS),
                        ("audit_checkpoint", -1)):  # fmt: skip
        statements.append(
            f"CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_log_guard('{days}')"
        )
    statements += [
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate()"
        for table in TRUNCATE_GUARDED
    ]
    return statements


def _postgres_drop() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {t}_guard ON {t}" for t in (*LOGS, "audit_checkpoint")]
    statements += [f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}" for t in TRUNCATE_GUARDED]
    return [
        *statements,
        "DROP FUNCTION IF EXISTS audit_log_guard()",
        "DROP FUNCTION IF EXISTS audit_log_no_truncate()",
    ]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, None)  # no parameters: '%' belongs to RAISE

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_chains")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite(), "postgresql": _postgres()}),
            _run({"sqlite": _sqlite_drop(), "postgresql": _postgres_drop()}),
        )
    ]
