"""A database the old migration files built upgrades to the squashed migrations without
anything run: ``migrate`` records the squashes as applied (Django: every migration they
replace is applied), the schema and rows stay as they were, ``showmigrations`` shows the
squashes applied. The database is the one ``tests/test_squashed_migrations.py`` compares
(built once per content of the migrations, SQLite in both runs of CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests import catalogue, dbcache
from tests.migrating import OLD_FILES, project_squashes, site_env

ROOT = Path(__file__).resolve().parents[1]


def test_a_database_migrated_by_the_old_files_upgrades_by_marking_the_squashes(
    tmp_path: Path,
) -> None:
    old_path = dbcache.sqlite_state(OLD_FILES, from_template=False)
    dbcache.copy_sqlite_state(old_path, tmp_path / "yanzhen.sqlite3")
    before = catalogue.sqlite_catalogue(str(tmp_path / "yanzhen.sqlite3"), set())

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "yanzhen", *args],
            env=site_env(YANZHEN_DATA_DIR=str(tmp_path)),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    assert "No migrations to apply." in run("migrate", "--noinput")
    after = catalogue.sqlite_catalogue(str(tmp_path / "yanzhen.sqlite3"), set())
    added = set(after["rows"].pop("django_migrations")) - set(
        before["rows"].pop("django_migrations")
    )
    assert added == project_squashes()  # recorded as applied, nothing run
    assert after == before
    shown = run("showmigrations", "core", "talent")
    assert shown.split() == [
        "core", "[X]", "0001_squashed_0021_import_job", "(98", "squashed", "migrations)",
        "[X]", "0022_export_job",  # added after the squashes, run by the old files' graph too
        "talent", "[X]", "0001_squashed_0011_placement_moved_out", "(98", "squashed",
        "migrations)",
    ]  # fmt: skip
