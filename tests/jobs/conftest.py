"""A platform of its own (data directory, migrated database) for the worker's processes, which
commit: the tests' own transaction cannot hold what they write."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import dbcache

POSTGRES = bool(os.environ.get("DATABASE_URL"))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A database of its own (migrated), for processes that commit."""
    env = {
        **os.environ,
        **dbcache.site_keys(),
        "YANZHEN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
    }
    if POSTGRES:
        import psycopg

        name = f"yanzhen_jobs_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    else:
        env.pop("DATABASE_URL", None)
        dbcache.copy_sqlite_template(tmp_path / "yanzhen.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "yanzhen", "migrate", "--noinput", "-v0"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    yield env
    if POSTGRES:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
