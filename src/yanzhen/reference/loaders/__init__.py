"""Loaders of the national reference lists and of the county's own classification.

Each loader reads one file (CSV, or the MoE .xls lists), checks every row before it writes
anything, then upserts by natural key in one transaction with bulk queries: a second run over
the same file creates and updates nothing. Malformed input (a missing column, a bad code, a
duplicate key) raises :class:`ReferenceFileError` naming the file, the line and the column, and
nothing is committed. Rows that are well formed but cannot be placed (a school not in the MoE
list) are skipped and reported in ``LoadResult.problems``, in Chinese, never guessed.
"""

from __future__ import annotations

from yanzhen.reference.loaders.base import LoadResult, ReferenceFileError, read_csv
from yanzhen.reference.loaders.directory import load_reference
from yanzhen.reference.loaders.disciplines import (
    DFC_COLUMNS,
    load_dfc,
    load_disciplines,
    load_evaluation,
)
from yanzhen.reference.loaders.divisions import (
    load_divisions,
    read_divisions_csv,
    read_divisions_package,
)
from yanzhen.reference.loaders.industries import (
    LOCAL_INDUSTRIES_CSV,
    load_industries,
    load_local_industries,
)
from yanzhen.reference.loaders.majors import load_majors
from yanzhen.reference.loaders.national import (
    NATIONAL_DIR,
    build_national,
    load_national_divisions,
)
from yanzhen.reference.loaders.universities import (
    ALIASES_CSV,
    UniversityList,
    UniversityRecord,
    load_aliases,
    load_universities,
    read_universities,
    read_universities_csv,
    read_universities_xls,
)

__all__ = [
    "ALIASES_CSV",
    "DFC_COLUMNS",
    "LOCAL_INDUSTRIES_CSV",
    "NATIONAL_DIR",
    "LoadResult",
    "ReferenceFileError",
    "UniversityList",
    "UniversityRecord",
    "build_national",
    "load_aliases",
    "load_dfc",
    "load_disciplines",
    "load_divisions",
    "load_evaluation",
    "load_industries",
    "load_local_industries",
    "load_majors",
    "load_national_divisions",
    "load_reference",
    "load_universities",
    "read_csv",
    "read_divisions_csv",
    "read_divisions_package",
    "read_universities",
    "read_universities_csv",
    "read_universities_xls",
]
