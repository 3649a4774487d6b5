"""The database itself refuses to change security events, or to delete young ones."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FLOOR_DAYS = 184

SQLITE = [
    "CREATE TRIGGER audit_securityevent_no_update BEFORE UPDATE ON audit_securityevent "
    "BEGIN SELECT RAISE(ABORT, 'the security log is append-only'); END",
    "CREATE TRIGGER audit_securityevent_keep BEFORE DELETE ON audit_securityevent "
    f"WHEN OLD.created_at > datetime('now', '-{FLOOR_DAYS} days') "
    "BEGIN SELECT RAISE(ABORT, 'security events younger than the retention floor are kept'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_securityevent_no_update",
    "DROP TRIGGER IF EXISTS audit_securityevent_keep",
]
POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION audit_securityevent_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'the security log is append-only';
        END IF;
        IF OLD.created_at > now() - interval '{FLOOR_DAYS} days' THEN
            RAISE EXCEPTION 'security events younger than the retention floor are kept';
        END IF;
        RETURN OLD;
    END
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER audit_securityevent_guard BEFORE UPDATE OR DELETE ON audit_securityevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_securityevent_guard()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_securityevent_guard ON audit_securityevent",
    "DROP FUNCTION IF EXISTS audit_securityevent_guard()",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
