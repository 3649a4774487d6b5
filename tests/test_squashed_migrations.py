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

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests import catalogue, dbcache
from tests.migrating import OLD_FILES, old_graph_executor, project_squashes, site_env
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


def _plain(value: Any) -> Any:
    """A catalogue as JSON gives it back (tuples as lists): the form it is kept in."""
    return json.loads(json.dumps(value))


def _pg_old_catalogue(settings: dict[str, Any]) -> dict[str, Any]:
    """The catalogue of the PostgreSQL database the old files build, kept in the suite's
    templates folder once per content of the migrations (``dbcache.migrations_key``: the files,
    the squashes' operation, Django, the keys), of this module's building script and of the
    catalogue's reader, and per major version of the server. Building it runs the 98 old
    migrations with Django's state rendering (about a minute of processor time); CI's
    PostgreSQL cluster is new in every run, so it was built again in each, although nothing it
    depends on had changed. Any change of those builds it again on the server, as before."""
    with dbcache._pg_admin(settings) as admin:
        version = int(admin.info.server_version)
    digest = hashlib.sha256(f"{dbcache.migrations_key()}|{version // 10000}|{OLD_FILES}".encode())
    for module in (catalogue, sys.modules[__name__], sys.modules[old_graph_executor.__module__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    folder = Path(tempfile.gettempdir()) / f"yanzhen-test-templates-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    kept = folder / f"pg-old-catalogue-{digest.hexdigest()[:16]}.json"
    with dbcache._file_lock(folder / f".lock-{kept.stem}"):
        if not kept.exists():
            built = _plain(_pg_catalogue(settings, _pg_old_files(settings)))
            partial = folder / f".{kept.name}.part"
            partial.write_text(json.dumps(built), encoding="utf-8")
            partial.rename(kept)
    loaded: dict[str, Any] = json.loads(kept.read_text(encoding="utf-8"))
    return loaded


def _catalogues() -> tuple[dict[str, Any], dict[str, Any]]:
    """The catalogues of the database built by the old files and of the one built by the
    squashes, on the run's database server (on PostgreSQL the old files' is kept between runs,
    :func:`_pg_old_catalogue`)."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        old = _pg_old_catalogue(settings)
        return old, _pg_catalogue(settings, dbcache.pg_template(settings))
    old_path = dbcache.sqlite_state(OLD_FILES, from_template=False)
    return (
        catalogue.sqlite_catalogue(str(old_path), project_squashes()),
        catalogue.sqlite_catalogue(str(dbcache.sqlite_template()), project_squashes()),
    )


# The ledger's generation, kept by triggers (a migration after the squashes).
LEDGER_TABLES = import_module("yanzhen.cooperation.migrations.0017_ledger_generation").TABLES


def test_the_squashes_build_the_schema_and_the_rows_of_the_old_files() -> None:
    old, squashed = _catalogues()
    for part in old:
        assert _plain(squashed[part]) == _plain(old[part]), part
    # Not two empty catalogues: the guards of the audit logs and the genesis checkpoint.
    triggers = squashed["triggers"]
    if connection.vendor == "postgresql":
        assert len(triggers) == 8 + len(LEDGER_TABLES)
        assert {row[0] for row in squashed["functions"]} == {
            "audit_log_guard", "audit_log_no_truncate", "audit_securityevent_guard",
            "cooperation_ledger_changed",
        }  # fmt: skip
    else:
        assert [row[0] for row in triggers] == [
            "audit_accesslog_keep", "audit_accesslog_no_update", "audit_checkpoint_no_delete",
            "audit_checkpoint_no_update", "audit_exportlog_keep", "audit_exportlog_no_update",
            "audit_securityevent_keep", "audit_securityevent_no_update",
            *sorted(
                f"ledger_changed_{table}_{event}"
                for table in LEDGER_TABLES
                for event in ("insert", "update", "delete")
            ),
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
