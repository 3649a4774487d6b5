"""What a migrated database holds, as comparable values: its schema (tables, columns, indexes,
constraints, foreign keys, triggers and, on PostgreSQL, functions) and the rows the migrations
seed, for the test that the squashed migrations build what the old files build
(``tests/test_squashed_migrations.py``).

Columns are compared as sets (a column added by a later migration comes last in a table
the old files built, in its place in the squash's); the order of the rows' ids is left out
(content types and permissions are made in another order when an old file made some early);
the values that depend on the moment or the key of the build (times, signatures, hashes) are
left out of the rows, the others are listed in the order of their columns' names.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any

# The columns whose values depend on the moment or the keys of the build.
VOLATILE = {"created_at", "body", "signature", "digest", "mac", "last_hash", "anchor_hash"}
# Tables whose rows are compared by these columns (their ids aside).
NATURAL = {
    "django_content_type": "SELECT app_label, model FROM django_content_type",
    "auth_permission": (
        "SELECT t.app_label, t.model, p.codename, p.name FROM auth_permission p "
        "JOIN django_content_type t ON t.id = p.content_type_id"
    ),
    "django_migrations": "SELECT DISTINCT app, name FROM django_migrations",
}


def _rows(
    execute: Callable[[str], list[Any]],
    column_names: Callable[[str], list[str]],
    tables: list[str],
    squashes: set[tuple[str, str]],
) -> dict[str, Any]:
    """The rows of every table: by natural key where ids are assigned in build order, else all
    columns but the volatile ones."""
    out: dict[str, Any] = {}
    for table in tables:
        if table in NATURAL:
            rows = {tuple(row) for row in execute(NATURAL[table])}
            if table == "django_migrations":
                rows -= squashes
            out[table] = sorted(rows)
            continue
        columns = [c for c in column_names(table) if c not in VOLATILE]
        if not columns:
            continue
        select = ", ".join(f'"{c}"' for c in columns)
        out[table] = sorted(
            tuple(map(repr, row)) for row in execute(f'SELECT {select} FROM "{table}"')
        )
    return out


def sqlite_catalogue(path: str, squashes: set[tuple[str, str]]) -> dict[str, Any]:
    """The schema and seeded rows of the SQLite database at ``path``."""
    db = sqlite3.connect(path)
    try:

        def execute(sql: str) -> list[Any]:
            return db.execute(sql).fetchall()

        tables = sorted(
            name
            for (name,) in execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        )

        def column_names(table: str) -> list[str]:
            return sorted(row[1] for row in execute(f'PRAGMA table_info("{table}")'))

        schema: dict[str, Any] = {}
        for table in tables:
            columns = sorted(
                (name, kind, notnull, default, pk)
                for _, name, kind, notnull, default, pk in execute(f'PRAGMA table_info("{table}")')
            )
            indexes = []
            for _, name, unique, origin, partial in execute(f'PRAGMA index_list("{table}")'):
                keys = [r[2] for r in execute(f'PRAGMA index_xinfo("{name}")') if r[5]]
                # Autoindexes (of UNIQUE in the table) are named by position: name them by columns.
                label = name if origin == "c" else f"<{origin}>"
                indexes.append((label, unique, origin, partial, tuple(keys)))
            keys_out = sorted(
                (row[2], row[3], row[4], row[5], row[6])
                for row in execute(f'PRAGMA foreign_key_list("{table}")')
            )
            sql = execute(
                f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            )
            checks = sorted(re.findall(r"CONSTRAINT \"?(\w+)\"? CHECK", sql[0][0] or ""))
            schema[table] = {
                "columns": columns,
                "indexes": sorted(indexes),
                "foreign_keys": keys_out,
                "checks": checks,
            }
        index_sql = sorted(
            (name, table, sql)
            for name, table, sql in execute(
                "SELECT name, tbl_name, sql FROM sqlite_master "
                "WHERE type = 'index' AND sql IS NOT NULL"
            )
        )
        triggers = sorted(
            tuple(row)
            for row in execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
            )
        )
        rows = _rows(execute, column_names, tables, squashes)
        return {"tables": schema, "index_sql": index_sql, "triggers": triggers, "rows": rows}
    finally:
        db.close()


def pg_catalogue(connection: Any, squashes: set[tuple[str, str]]) -> dict[str, Any]:
    """The schema and seeded rows of the PostgreSQL database of ``connection`` (psycopg)."""

    def execute(sql: str) -> list[Any]:
        return list(connection.execute(sql).fetchall())

    tables = sorted(
        name
        for (name,) in execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    )
    columns = sorted(
        tuple(row)
        for row in execute(
            "SELECT table_name, column_name, data_type, character_maximum_length, "
            "numeric_precision, numeric_scale, is_nullable, column_default, is_identity "
            "FROM information_schema.columns WHERE table_schema = 'public'"
        )
    )
    indexes = sorted(
        tuple(row)
        for row in execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        )
    )
    constraints = sorted(
        tuple(row)
        for row in execute(
            "SELECT c.conrelid::regclass::text, c.conname, c.contype, "
            "pg_get_constraintdef(c.oid), c.condeferrable, c.condeferred "
            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = 'public'"
        )
    )
    triggers = sorted(
        tuple(row)
        for row in execute(
            "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE NOT tgisinternal"
        )
    )
    functions = sorted(
        tuple(row)
        for row in execute(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
        )
    )

    def column_names(table: str) -> list[str]:
        return [
            row[0]
            for row in execute(
                "SELECT column_name FROM information_schema.columns "
                f"WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY column_name"
            )
        ]

    rows = _rows(execute, column_names, tables, squashes)
    return {
        "tables": tables,
        "columns": columns,
        "indexes": indexes,
        "constraints": constraints,
        "triggers": triggers,
        "functions": functions,
        "rows": rows,
    }
