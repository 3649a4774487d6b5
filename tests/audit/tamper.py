"""What an intruder with write access to the database (but not the audit key) would do."""

from __future__ import annotations

from django.db import connection

GUARDED = ("audit_securityevent", "audit_accesslog", "audit_exportlog", "audit_checkpoint")


def drop_guards() -> None:
    """Drop the append-only triggers (the tests roll it back with their transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                f"({', '.join(['%s'] * len(GUARDED))})",
                GUARDED,
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
        else:
            cursor.execute(
                "SELECT tgname, relname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
                f"WHERE NOT tgisinternal AND relname IN ({', '.join(['%s'] * len(GUARDED))})",
                GUARDED,
            )
            for name, table in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}" ON "{table}"')
