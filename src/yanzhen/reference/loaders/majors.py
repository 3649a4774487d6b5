"""《普通高等学校本科专业目录》: the undergraduate majors, by class and category."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.db import transaction

from yanzhen.reference.loaders.base import (
    LoadResult,
    ReferenceFileError,
    check_unique,
    read_csv,
    read_flag,
    upsert,
)
from yanzhen.reference.models import UndergraduateMajor

MAJOR_COLUMNS = (
    "category_code",
    "category_name",
    "class_code",
    "class_name",
    "code",
    "name",
    "is_special_T",
    "is_controlled_K",
)
CATEGORY_CODE = re.compile(r"\d{2}")
CLASS_CODE = re.compile(r"\d{4}")
MAJOR_CODE = re.compile(r"(?P<digits>\d{6,7})(?P<suffix>T|K|TK)?")
CATALOGUE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def catalogue_year(path: Path) -> int:
    """The catalogue's year, from the file name (``undergraduate_majors_2026.csv``)."""
    found = CATALOGUE_YEAR.search(path.name)
    if found is None:
        raise ReferenceFileError(
            path.name, "文件名中没有目录年份（如 undergraduate_majors_2026.csv）"
        )
    return int(found.group(1))


def load_majors(path: Path) -> LoadResult:
    """Upsert the majors of a catalogue, keyed by 专业代码 (with its T/K suffix).

    Each major names its 专业类 and 门类; a class must lie in its category and a major in its
    class, and one class or category code has one name throughout the file.
    """
    year = catalogue_year(path)
    rows = read_csv(path, MAJOR_COLUMNS)
    check_unique(((row, row["code"]) for row in rows), "code")
    names: dict[str, tuple[str, int]] = {}
    wanted: dict[str, dict[str, Any]] = {}
    for row in rows:
        category = row.matching("category_code", CATEGORY_CODE, "2 位门类代码")
        klass = row.matching("class_code", CLASS_CODE, "4 位专业类代码")
        code = row.matching("code", MAJOR_CODE, "专业代码（6 或 7 位数字，可带 T/K）")
        if not klass.startswith(category):
            raise row.error("class_code", f"{klass} 不属于门类 {category}")
        if not code.startswith(klass):
            raise row.error("code", f"{code} 不属于专业类 {klass}")
        for key, column in ((category, "category_name"), (klass, "class_name")):
            name = row.required(column)
            earlier = names.setdefault(key, (name, row.number))
            if earlier[0] != name:
                raise row.error(column, f"与第 {earlier[1]} 行的名称“{earlier[0]}”不一致")
        special = read_flag(row, "is_special_T")
        controlled = read_flag(row, "is_controlled_K")
        suffix = code.lstrip("0123456789")
        if special != ("T" in suffix) or controlled != ("K" in suffix):
            raise row.error("code", f"{code} 的 T/K 后缀与特设、控制布点标记不一致")
        wanted[code] = {
            "code": code,
            "name": row.required("name"),
            "class_code": klass,
            "class_name": row["class_name"],
            "category_code": category,
            "category_name": row["category_name"],
            "is_special": special,
            "is_controlled": controlled,
            "catalogue_year": year,
        }
        row.check_lengths(UndergraduateMajor, wanted[code])
    result = LoadResult(f"本科专业目录（{year}）")
    with transaction.atomic():
        existing = {major.code: major for major in UndergraduateMajor.objects.all()}
        upsert(UndergraduateMajor, existing, wanted, result)
    return result
