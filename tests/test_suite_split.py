"""CI's PostgreSQL run leaves to the SQLite run only modules that exist, each with its reason,
and never the checks that read what the whole suite did."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SQLITE_RUN_ONLY, _sqlite_run_only

ROOT = Path(__file__).resolve().parent.parent


def test_every_module_left_to_the_sqlite_run_exists_and_says_why() -> None:
    missing = [m for m in SQLITE_RUN_ONLY if not (ROOT / m).exists()]
    assert missing == []
    assert [m for m, why in SQLITE_RUN_ONLY.items() if len(why) < 10] == []


def test_the_database_tests_stay_in_the_postgresql_run() -> None:
    kept = [
        "tests/test_api_fuzz.py",
        "tests/test_pages.py",
        "tests/test_access.py",
        "tests/test_permissions_records.py",
        "tests/core/test_backup.py",
        "tests/test_zz_leaks.py",
        "tests/engines_elsewhere.py",
    ]
    assert [m for m in kept if _sqlite_run_only(m)] == []
    assert [
        m for m in ("tests/engines/test_idcard.py", "tests/test_shape.py") if _sqlite_run_only(m)
    ] == [
        "tests/engines/test_idcard.py",
        "tests/test_shape.py",
    ]
