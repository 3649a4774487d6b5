"""The real reference files, loaded once for this package and rolled back at its end.

The directory is ``$YANZHEN_REFERENCE_DIR``, else ``<repo>/../shared/data/reference``. When it
is missing the tests fail (they are the check that the loaders work on the real files).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, transaction
from pytest_django import DjangoDbBlocker

from yanzhen.reference.loaders import LoadResult, load_reference

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO.parent / "shared" / "data" / "reference"
REQUIRED = (
    "universities_moe_2025.csv",
    "raw/moe_2025-06-20_regular_W020250627301230138068.xls",
    "raw/moe_2025-06-20_adult_W020250627301230143042.xls",
    "disciplines_2022_first_level.csv",
    "double_first_class_2022.csv",
    "double_first_class_2017_round1.csv",
    "discipline_evaluation_round4_2017.csv",
    "industry_gbt4754_2017.csv",
    "admin_divisions_mca_20251231.csv",
)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    directory = Path(os.environ.get("YANZHEN_REFERENCE_DIR", str(DEFAULT_DIR)))
    missing = [name for name in REQUIRED if not (directory / name).is_file()]
    if missing:
        pytest.fail(
            f"参考数据目录 {directory} 缺少 {', '.join(missing)}；"
            "请把环境变量 YANZHEN_REFERENCE_DIR 设为 data/reference 目录",
            pytrace=False,
        )
    return directory


@pytest.fixture(scope="package")
def loaded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, reference_dir: Path
) -> Iterator[dict[str, LoadResult]]:
    """Every reference file loaded into the test database, in an outer transaction.

    Each ``django_db`` test runs in a savepoint inside it; the whole is rolled back at the end.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            results = load_reference(reference_dir)
            # Checked once here: otherwise every test's end-of-test check (in its savepoint,
            # whose rollback un-fires it) looks up each loaded row's references again.
            connection.check_constraints()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield results
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def regular_xls(reference_dir: Path) -> Path:
    return reference_dir / "raw" / "moe_2025-06-20_regular_W020250627301230138068.xls"


@pytest.fixture
def adult_xls(reference_dir: Path) -> Path:
    return reference_dir / "raw" / "moe_2025-06-20_adult_W020250627301230143042.xls"
