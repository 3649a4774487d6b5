"""A platform of its own (data directory, migrated database) for the worker's processes, which
commit: the tests' own transaction cannot hold what they write."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import dbcache

POSTGRES = bool(os.environ.get("DATABASE_URL"))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A database of its own, for processes that commit: a copy of the suite's migrated
    template (``tests/dbcache.py``: built by ``migrate`` once per set of migrations), so no
    process migrates it again (on PostgreSQL that was a migration from nothing per test)."""
    env = {
        **os.environ,
        **dbcache.site_keys(),
        "YANZHEN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
    }
    name = ""
    if POSTGRES:
        name = dbcache.pg_name("jobs")
        dbcache.clone_template(name)
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    else:
        env.pop("DATABASE_URL", None)
        dbcache.copy_sqlite_template(tmp_path / "yanzhen.sqlite3")
    yield env
    if name:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
