"""The squashed migrations build what the old files build, and leave deployments to the old
files until they have applied them all.

A new database is migrated twice: by ``migrate`` (the squashes: the suite's migrated template,
``tests/dbcache.py``) and through the old files alone (``tests/migrating.py``:
:func:`~tests.migrating.old_graph_executor`, the state-only operations rendered once), each
built once per content of the migrations. Their catalogues (``tests/catalogue.py``: tables,
columns, indexes, constraints, foreign keys, triggers and functions, and the rows the
migrations seed) must be equal, on the database server of the run (SQLite, or PostgreSQL in
CI's PostgreSQL run).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests import catalogue, dbcache
from tests.migrating import OLD_FILES, project_squashes, site_env
from yanzhen.core.migrations._replaced import REPLACED

ROOT = Path(__file__).resolve().parents[1]


def _pg_old_files(settings: dict[str, Any]) -> str:
    """The PostgreSQL database migrated through the old files (built if missing, under a
    lock, once per content of the migrations)."""
    name = f"{dbcache.pg_prefix()}_old_{dbcache.migrations_key()}"
    with dbcache._pg_admin(settings) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", (name,))
        try:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is None:
                building = f"{name}_building"
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{building}"')
                script = "import django\ndjango.setup()\n" + OLD_FILES
                result = subprocess.run(
                    [sys.executable, "-c", script],
                    env=site_env(DATABASE_URL=dbcache._pg_url(settings, building)),
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                assert result.returncode == 0, result.stderr[-3000:]
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        finally:
            admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", (name,))
    return name


def _pg_catalogue(settings: dict[str, Any], name: str) -> dict[str, Any]:
    import psycopg  # only on the PostgreSQL run (the SQLite run needs no driver)

    with psycopg.connect(
        dbname=name,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
    ) as db:
        return catalogue.pg_catalogue(db, project_squashes())


def _catalogues() -> tuple[dict[str, Any], dict[str, Any]]:
    """The catalogues of the database built by the old files and of the one built by the
    squashes, on the run's database server."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        old = _pg_catalogue(settings, _pg_old_files(settings))
        return old, _pg_catalogue(settings, dbcache.pg_template(settings))
    old_path = dbcache.sqlite_state(OLD_FILES, from_template=False)
    return (
        catalogue.sqlite_catalogue(str(old_path), project_squashes()),
        catalogue.sqlite_catalogue(str(dbcache.sqlite_template()), project_squashes()),
    )


def test_the_squashes_build_the_schema_and_the_rows_of_the_old_files() -> None:
    old, squashed = _catalogues()
    for part in old:
        assert squashed[part] == old[part], part
    # Not two empty catalogues: the guards of the audit logs and the genesis checkpoint.
    triggers = squashed["triggers"]
    if connection.vendor == "postgresql":
        assert len(triggers) == 8
        assert {row[0] for row in squashed["functions"]} == {
            "audit_log_guard", "audit_log_no_truncate", "audit_securityevent_guard",
        }  # fmt: skip
    else:
        assert [row[0] for row in triggers] == [
            "audit_accesslog_keep", "audit_accesslog_no_update", "audit_checkpoint_no_delete",
            "audit_checkpoint_no_update", "audit_exportlog_keep", "audit_exportlog_no_update",
            "audit_securityevent_keep", "audit_securityevent_no_update",
        ]  # fmt: skip
    assert squashed["rows"]["audit_checkpoint"] == [("1", "'genesis'", "1")]  # id, kind, number
    assert len(squashed["rows"]["audit_chainhead"]) == 4


def test_the_squashes_replace_every_old_migration_in_one_graph() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {app for app, _ in REPLACED}
    squashes = project_squashes()
    assert {app for app, _ in squashes} == ours
    assert len(squashes) == len(ours)  # one squash per app
    for key in squashes:
        assert loader.graph.nodes[key].replaces == REPLACED
    # A new database runs the squashes only; the apps that depend on the user model follow
    # core's squash (the first squash Django meets, which takes over the old files' links).
    plan = list(loader.graph.forwards_plan(("signing", "0001_squashed_0002_obligations_renewals")))
    assert not set(plan) & set(REPLACED)
    core = ("core", "0001_squashed_0021_import_job")
    for node in (("admin", "0001_initial"), ("otp_totp", "0001_initial")):
        assert core in {parent.key for parent in loader.graph.node_map[node].parents}
