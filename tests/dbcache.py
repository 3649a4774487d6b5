"""Test databases built once instead of once per worker and per module.

* The migrated schema is a template, built once per machine and content of the migrations (a
  SQLite file in the temporary folder, or a PostgreSQL template database) under a lock, and
  copied for each xdist worker: migrating from nothing costs about 30 s of CPU.
* The Yongji demo is loaded once per worker into a database of its own (a copy of the template);
  its rows are read into memory, and each test module that asks for the demo gets them inserted
  in its own transaction, rolled back at the end — the same isolation as loading the demo in
  every module, for a fraction of the time.
* A platform a test starts in its own processes (the backup drill, the browser) gets a copy of
  a data directory with the demo loaded (database and uploaded files), built once per content
  of the source tree: :func:`demo_site`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.db import connection


def site_keys() -> dict[str, str]:
    """The suite's fixed field and audit keys (``test_settings``), as environment variables for
    a platform a test starts: what the template's migrations signed verifies there too."""
    from django.conf import settings

    return {  # settings of the test settings only
        "YANZHEN_FIELD_KEY": str(getattr(settings, "TEST_FIELD_KEY")),  # noqa: B009
        "YANZHEN_AUDIT_KEY": str(getattr(settings, "TEST_AUDIT_KEY")),  # noqa: B009
    }


def migrations_key() -> str:
    """A digest of every migration file of every installed app (the squashes, the files they
    replace and ``core``'s ``_replaced``), of the operation the squashes use
    (``yanzhen.core.migration_operations``), the Django version, the database vendor and the
    keys: a template built otherwise is never reused."""
    keys = "|".join(site_keys().values())
    digest = hashlib.sha256(f"{django.__version__}|{connection.vendor}|{keys}".encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        try:
            module = import_module(f"{config.name}.migrations")
        except ImportError:
            continue
        folder = Path(next(iter(module.__path__)))
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    # The operation the squashed migrations create their models with.
    operations = import_module("yanzhen.core.migration_operations").__file__
    digest.update(Path(str(operations)).read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate(env: dict[str, str]) -> None:
    """Migrate the database the environment names, in a process of its own (the production
    settings: the schema is the same as the test settings')."""
    env = {**env, **site_keys(), "DJANGO_SETTINGS_MODULE": "yanzhen.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "yanzhen", "migrate", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrating the template failed:\n{result.stderr[-4000:]}")


def sqlite_template() -> Path:
    """The migrated, empty SQLite database for the current migrations (built if missing)."""
    folder = Path(tempfile.gettempdir()) / f"yanzhen-test-templates-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    template = folder / f"migrated-{migrations_key()}.sqlite3"
    # A lock per template: a build for other migrations (another checkout) does not hold
    # this one up.
    with _file_lock(folder / f".lock-{template.stem}"):
        if not template.exists():
            build = Path(tempfile.mkdtemp(prefix="build-", dir=folder))
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            _migrate({**env, "YANZHEN_DATA_DIR": str(build)})
            partial = folder / f".{template.name}.part"
            partial.unlink(missing_ok=True)
            source = sqlite3.connect(build / "yanzhen.sqlite3")
            try:
                source.execute("VACUUM INTO ?", (str(partial),))
            finally:
                source.close()
            partial.rename(template)
            shutil.rmtree(build, ignore_errors=True)
    return template


def copy_sqlite_template(target: Path) -> None:
    """Put a migrated, empty database at ``target`` (for a platform started by a test)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(sqlite_template(), target)


_BUILD_STATE = r"""
import sys, django
django.setup()
exec(compile(sys.argv[1], "<state>", "exec"))
"""


def sqlite_state(script: str, *, from_template: bool) -> Path:
    """A SQLite database in the state ``script`` leaves it in, built once per content of the
    migrations and of the script (under a lock) and reused: the "database from before" of a
    migration test, whose building (Django's ``MigrationExecutor`` rendering the migration
    states backwards, tens of seconds of processor time) is then paid once per machine, and
    not again in each run or on the PostgreSQL run of the suite.

    ``script`` runs with ``django.setup()`` done, in a process of its own with the production
    settings and the suite's keys, on a copy of the migrated template (``from_template``) or
    on an empty database. Copy the file before changing it."""
    folder = Path(tempfile.gettempdir()) / f"yanzhen-test-templates-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    digest = hashlib.sha256(f"{migrations_key()}|{from_template}|{script}".encode())
    state = folder / f"state-{digest.hexdigest()[:16]}.sqlite3"
    with _file_lock(folder / f".lock-{state.stem}"):
        if not state.exists():
            build = Path(tempfile.mkdtemp(prefix="build-state-", dir=folder))
            if from_template:
                copy_sqlite_template(build / "yanzhen.sqlite3")
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env.update(site_keys())
            env.update(YANZHEN_DATA_DIR=str(build), DJANGO_SETTINGS_MODULE="yanzhen.settings")
            result = subprocess.run(
                [sys.executable, "-c", _BUILD_STATE, script],
                env=env,
                cwd=Path(__file__).resolve().parents[1],  # the scripts may import ``tests``
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise RuntimeError(f"building a database state failed:\n{result.stderr[-4000:]}")
            partial = folder / f".{state.name}.part"
            partial.unlink(missing_ok=True)
            source = sqlite3.connect(build / "yanzhen.sqlite3")
            try:
                source.execute("VACUUM INTO ?", (str(partial),))
            finally:
                source.close()
            partial.rename(state)
            shutil.rmtree(build, ignore_errors=True)
    return state


def copy_sqlite_state(state: Path, target: Path) -> None:
    """Put a copy of a built state (:func:`sqlite_state`) at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(state, target)


def source_key() -> str:
    """The migrations' key and a digest of every file of the package (the demo's content
    depends on the loader, the services and the bundled lists)."""
    package = Path(next(iter(import_module("yanzhen").__path__)))
    digest = hashlib.sha256(migrations_key().encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and "static" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _run_demo(env: dict[str, str]) -> None:
    env = {**env, **site_keys(), "DJANGO_SETTINGS_MODULE": "yanzhen.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "yanzhen", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"loading the demo failed:\n{result.stderr[-4000:]}")


def _demo_folder() -> Path:
    """A data directory (``yanzhen.sqlite3``, ``media/``, the secret key) with the demo
    loaded on SQLite, built once per :func:`source_key` under a lock."""
    folder = Path(tempfile.gettempdir()) / f"yanzhen-test-templates-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    built = folder / f"demo-{source_key()}"
    with _file_lock(folder / f".lock-{built.name}"):
        if not built.exists():
            build = Path(tempfile.mkdtemp(prefix="build-demo-", dir=folder))
            copy_sqlite_template(build / "yanzhen.sqlite3")
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            _run_demo({**env, "YANZHEN_DATA_DIR": str(build)})
            source = sqlite3.connect(build / "yanzhen.sqlite3")
            try:  # one file, without the write-ahead log beside it
                source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                source.close()
            for suffix in ("-wal", "-shm"):
                (build / f"yanzhen.sqlite3{suffix}").unlink(missing_ok=True)
            build.rename(built)
    return built


def demo_site(data: Path, env: dict[str, str]) -> None:
    """Give the platform of ``env`` (its ``YANZHEN_DATA_DIR`` is ``data``) the loaded demo:
    a copy of the built data directory, and on PostgreSQL (``DATABASE_URL`` in ``env``) its
    database cloned from a demo template database."""
    url = env.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        shutil.copytree(_demo_folder(), data, dirs_exist_ok=True)
        return
    settings = connection.settings_dict
    template = f"{pg_prefix()}_demo_{source_key()}"
    media = Path(tempfile.gettempdir()) / f"yanzhen-test-templates-{os.getuid()}" / template
    with _pg_admin(settings) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", (template,))
        try:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,))
            if exists.fetchone() is None:
                building = f"{template}_building"
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{building}" TEMPLATE "{pg_template(settings)}"')
                shutil.rmtree(media, ignore_errors=True)
                media.mkdir(parents=True)
                _run_demo(
                    {**os.environ, "DATABASE_URL": _pg_url(settings, building),
                     "YANZHEN_DATA_DIR": str(media)}
                )  # fmt: skip
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            name = url.rsplit("/", 1)[1]
            _pg_clone(settings, template, name)
        finally:
            admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", (template,))
    shutil.copytree(media, data, dirs_exist_ok=True)


def _pg_admin(settings: dict[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        autocommit=True,
    )


def _pg_url(settings: dict[str, Any], name: str) -> str:
    user = settings.get("USER") or ""
    password = settings.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name}"


def pg_prefix() -> str:
    """The name of the database ``DATABASE_URL`` names (without pytest-django's ``test_`` and
    xdist's ``_gw<n>``): the start of every database the suite makes beside it, so that suites
    sharing a server (``…/yanzhen_a``, ``…/yanzhen_b``) keep to their own names."""
    name = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1].split("?", 1)[0]
    name = re.sub(r"_gw\d+$", "", name.removeprefix("test_"))
    return name or "yanzhen"


def pg_name(kind: str) -> str:
    """A new database name for a platform a test starts: ``<prefix>_<kind>_<random>``."""
    return f"{pg_prefix()}_{kind}_{uuid.uuid4().hex[:8]}"


def pg_template(settings: dict[str, Any]) -> str:
    """The name of the migrated, empty PostgreSQL template database (built if missing)."""
    name = f"{pg_prefix()}_tpl_{migrations_key()}"
    with _pg_admin(settings) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", (name,))
        try:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is None:
                building = f"{name}_building"
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{building}"')
                _migrate({**os.environ, "DATABASE_URL": _pg_url(settings, building)})
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        finally:
            admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", (name,))
    return name


def clone_template(name: str) -> None:
    """A new PostgreSQL database ``name`` on the suite's server: a copy of the migrated
    template (for a platform a test starts in its own processes)."""
    settings = connection.settings_dict
    _pg_clone(settings, pg_template(settings), name)


def _pg_clone(settings: dict[str, Any], template: str, name: str) -> None:
    with _pg_admin(settings) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def pg_drop(settings: dict[str, Any], name: str) -> None:
    with _pg_admin(settings) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_database_name() -> str:
    name = connection.settings_dict["TEST"].get("NAME")
    if connection.vendor == "sqlite":
        assert name, "the test settings name the SQLite test database"
        return str(name)
    return str(name or f"test_{connection.settings_dict['NAME']}")


def install_test_database() -> None:
    """Make the worker's test database a copy of the migrated template, so that Django's
    ``setup_databases(keepdb=True)`` finds it ready (its migrate is then a no-op)."""
    name = test_database_name()
    if connection.vendor == "sqlite":
        copy_sqlite_template(Path(name))
    else:
        settings = connection.settings_dict
        _pg_clone(settings, pg_template(settings), name)


def remove_test_database() -> None:
    if connection.vendor == "postgresql":
        connection.close()
        pg_drop(connection.settings_dict, test_database_name())


@dataclass(frozen=True)
class Table:
    """The rows a table gains from the demo, as the database stores them (SQLite: the raw
    values; PostgreSQL: COPY's text). ``replace``: the template had rows of its own, which the
    demo's full content replaces."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] | bytes
    replace: bool


def _sqlite_tables(path: str) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """Every table's columns and raw rows (no type conversion), read with a plain connection."""
    db = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in {"django_migrations", "sqlite_sequence"}
        ]
        tables = {}
        for name in names:
            cursor = db.execute(f'SELECT * FROM "{name}"')
            columns = tuple(d[0] for d in cursor.description)
            tables[name] = (columns, cursor.fetchall())
        return tables
    finally:
        db.close()


def _pg_tables() -> dict[str, tuple[tuple[str, ...], bytes]]:
    """Every table's columns and rows as COPY text, read through the default connection."""
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        for name in names:
            if name == "django_migrations":
                continue
            columns = tuple(
                c.name for c in connection.introspection.get_table_description(cursor, name)
            )
            listed = ", ".join(quote(c) for c in columns)
            with cursor.cursor.copy(f"COPY {quote(name)} ({listed}) TO STDOUT") as copy:
                data = b"".join(bytes(block) for block in copy)
            tables[name] = (columns, data)
    return tables


@contextlib.contextmanager
def _switched_to(name: str) -> Iterator[None]:
    """Point the default connection at another database for the duration."""
    settings = connection.settings_dict
    old = settings["NAME"]
    connection.close()
    settings["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        settings["NAME"] = old


_DEMO: list[Table] | None = None


def _demo_tables_sqlite() -> list[Table]:
    from django.db import transaction

    from yanzhen.demo.loader import load_demo

    folder = Path(tempfile.mkdtemp(prefix="yanzhen-demo-"))
    path = folder / "demo.sqlite3"
    copy_sqlite_template(path)
    try:
        with _switched_to(str(path)):
            with transaction.atomic():
                # Yongji's case alone: the tests of the city load its other counties themselves.
                load_demo(city=False)
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        empty = _sqlite_tables(str(sqlite_template()))
        tables = []
        for name, (columns, rows) in _sqlite_tables(str(path)).items():
            before = empty.get(name, ((), []))[1]
            if sorted(map(repr, rows)) != sorted(map(repr, before)):
                tables.append(Table(name, columns, rows, replace=bool(before)))
        return tables
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _demo_tables_pg() -> list[Table]:
    from django.db import transaction

    from yanzhen.demo.loader import load_demo

    settings = connection.settings_dict
    template = pg_template(settings)
    with _switched_to(template):
        empty = _pg_tables()
    name = f"{test_database_name()}_demo"
    _pg_clone(settings, template, name)
    try:
        with _switched_to(name):
            with transaction.atomic():
                # Yongji's case alone: the tests of the city load its other counties themselves.
                load_demo(city=False)
            loaded = _pg_tables()
    finally:
        pg_drop(settings, name)
    tables = []
    for table, (columns, data) in loaded.items():
        before = empty.get(table, ((), b""))[1]
        if sorted(data.splitlines()) != sorted(before.splitlines()):
            tables.append(Table(table, columns, data, replace=bool(before)))
    return tables


def demo_tables() -> list[Table]:
    """The demo's rows, table by table: loaded once per process into a database of its own."""
    global _DEMO
    if _DEMO is None:
        _DEMO = _demo_tables_sqlite() if connection.vendor == "sqlite" else _demo_tables_pg()
    return _DEMO


def analyze_statement(tables: list[Table]) -> str:
    """ANALYZE of the demo's own tables, by name. A bare ANALYZE also samples the cluster's
    shared catalogues (pg_database, pg_authid …) and, inside the module's transaction, holds
    their lock until the module ends: the other worker's ANALYZE then waited for it and ran
    into the statement timeout, and so did every later module of that worker."""
    quote = connection.ops.quote_name
    return "ANALYZE " + ", ".join(quote(table.name) for table in tables)


def insert_demo() -> None:
    """Insert the demo's rows into the current transaction (which the caller rolls back)."""
    tables = demo_tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table in tables:
            if table.replace:
                cursor.execute(f"DELETE FROM {quote(table.name)}")
            columns = ", ".join(quote(c) for c in table.columns)
            if isinstance(table.rows, bytes):
                with raw.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                    copy.write(table.rows)
            else:
                marks = ", ".join("?" * len(table.columns))
                sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
                raw.executemany(sql, table.rows)
        if connection.vendor == "postgresql":
            # Rows came with their ids: move each identity sequence past them.
            for table in tables:
                cursor.execute(
                    "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s::regclass"
                    " AND a.attidentity <> ''",
                    [quote(table.name)],
                )
                for (column,) in cursor.fetchall():
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, %s),"
                        f" (SELECT COALESCE(MAX({quote(column)}), 0) + 1"
                        f" FROM {quote(table.name)}), false)",
                        [quote(table.name), column],
                    )
            # The demo is never committed, so autovacuum never samples it: without statistics
            # the planner takes the tables for empty and nests loops over subqueries (a count
            # took a minute). ANALYZE sees this transaction's rows.
            cursor.execute(analyze_statement(tables))
            # The foreign keys are DEFERRABLE INITIALLY DEFERRED: each demo row inserted above
            # queued a check that would otherwise wait for the end of the transaction. Django's
            # TestCase checks the constraints at every test's end (SET CONSTRAINTS ALL
            # IMMEDIATE inside the test's savepoint), and rolling the savepoint back un-fires
            # the checks fired in it: every test of the module re-checked all of the demo's
            # references (0.4 s a test, four times the test itself on the outsider sweep).
            # Checked here once, they are done; each test still checks the rows it writes.
            connection.check_constraints()
