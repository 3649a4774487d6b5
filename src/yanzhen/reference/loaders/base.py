"""What every loader shares: reading a CSV, the error naming file/line/column, bulk upserts."""

from __future__ import annotations

import csv
import functools
import gzip
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

from django.db import models

from yanzhen.core.errors import DomainError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BATCH_SIZE = 1000
MOE_CODE = re.compile(r"\d{10}")

M = TypeVar("M", bound=models.Model)
K = TypeVar("K")


class ReferenceFileError(DomainError):
    """A reference file cannot be loaded: which file, which line, which column, and why."""

    def __init__(
        self, source: str, problem: str, *, row: int | None = None, column: str = ""
    ) -> None:
        where = source
        if row is not None:
            where += f" 第 {row} 行"
        if column:
            where += f"“{column}”列"
        message = f"{where}：{problem}"
        super().__init__("reference_file_invalid", message, {column or "__all__": message})
        self.source = source
        self.row = row
        self.column = column


@dataclass
class LoadResult:
    """What one loader did: rows created, updated and left as they were, and what it skipped."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        text = (
            f"{self.label}：新增 {self.created} 条，更新 {self.updated} 条，"
            f"未变 {self.unchanged} 条"
        )
        if self.problems:
            text += f"，提示 {len(self.problems)} 条"
        return text


# ---------------------------------------------------------------------------------------------
# Reading files


@dataclass(frozen=True)
class Row:
    """One data row of a file: its line number (the header is line 1) and its cells by column."""

    source: str
    number: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def error(self, column: str, problem: str) -> ReferenceFileError:
        return ReferenceFileError(self.source, problem, row=self.number, column=column)

    def required(self, column: str) -> str:
        value = self[column]
        if not value:
            raise self.error(column, "不能为空")
        return value

    def check_lengths(self, model: type[models.Model], values: Mapping[str, Any]) -> None:
        """Refuse a text longer than its model field allows (PostgreSQL would fail mid-load)."""
        limits = _max_lengths(model)
        for name, value in values.items():
            limit = limits.get(name)
            if limit is not None and isinstance(value, str) and len(value) > limit:
                raise self.error(name, f"“{value}”超过 {limit} 个字符")

    def matching(self, column: str, pattern: re.Pattern[str], what: str) -> str:
        value = self.required(column)
        if not pattern.fullmatch(value):
            raise self.error(column, f"“{value}”不是有效的{what}")
        return value


@functools.cache
def _max_lengths(model: type[models.Model]) -> dict[str, int]:
    return {
        field.attname: field.max_length
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField) and field.max_length
    }


def read_csv(path: Path, columns: Sequence[str]) -> list[Row]:
    """The data rows of a UTF-8 CSV file (gzip'd when its name ends in ``.gz``) that has at
    least ``columns``.

    Blank lines and lines starting with ``#`` (comments, before or after the header) are skipped;
    cells are stripped. A missing column, a row longer than the header, or a file that is not
    UTF-8 raises :class:`ReferenceFileError`.
    """
    source = path.name
    try:
        if path.suffix == ".gz":  # the lists shipped with the package (data/national)
            handle: TextIO = gzip.open(path, "rt", encoding="utf-8-sig", newline="")  # noqa: SIM115
        else:
            handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ReferenceFileError(source, f"无法读取文件（{exc.strerror}）") from exc
    rows: list[Row] = []
    header: list[str] | None = None
    with handle:
        reader = csv.reader(handle)
        try:
            for record in reader:
                if not any(cell.strip() for cell in record) or record[0].lstrip().startswith("#"):
                    continue
                if header is None:
                    header = [cell.strip() for cell in record]
                    for column in columns:
                        if column not in header:
                            raise ReferenceFileError(
                                source, "缺少此列", row=reader.line_num, column=column
                            )
                    continue
                if len(record) > len(header):
                    raise ReferenceFileError(
                        source,
                        f"有 {len(record)} 个单元格，多于表头的 {len(header)} 列",
                        row=reader.line_num,
                    )
                values = {name: cell.strip() for name, cell in zip(header, record, strict=False)}
                rows.append(Row(source, reader.line_num, values))
        except UnicodeDecodeError as exc:
            raise ReferenceFileError(source, "不是 UTF-8 编码的 CSV 文件") from exc
        except (OSError, EOFError) as exc:  # a damaged .gz file
            raise ReferenceFileError(source, f"无法解压（{exc}）") from exc
        except csv.Error as exc:
            raise ReferenceFileError(source, f"CSV 格式错误（{exc}）", row=reader.line_num) from exc
    if header is None:
        raise ReferenceFileError(source, "文件为空，没有表头")
    return rows


def read_flag(row: Row, column: str) -> bool:
    value = row[column]
    if value not in {"", "0", "1"}:
        raise row.error(column, f"“{value}”应为 0 或 1")
    return value == "1"


def check_unique(rows: Iterable[tuple[Row, object]], column: str) -> None:
    seen: dict[object, int] = {}
    for row, key in rows:
        if key in seen:
            raise row.error(column, f"与第 {seen[key]} 行重复")
        seen[key] = row.number


# ---------------------------------------------------------------------------------------------
# Writing


def apply_rows(
    model: type[M],
    pairs: Iterable[tuple[M | None, dict[str, Any]]],
    result: LoadResult,
    *,
    touched: Callable[[M], bool] | None = None,
) -> list[M]:
    """Create the rows paired with ``None`` and update the others where a value differs.

    ``values`` use attribute names (``parent_id``). ``touched`` may count a row as updated even
    when none of its own fields changed (its many-to-many links did). Two bulk queries at most.
    """
    created: list[M] = []
    updated: list[M] = []
    fields: set[str] = set()
    objects: list[M] = []
    for obj, values in pairs:
        if obj is None:
            obj = model(**values)
            created.append(obj)
        else:
            diff = [name for name, value in values.items() if getattr(obj, name) != value]
            for name in diff:
                setattr(obj, name, values[name])
            if diff:
                fields.update(diff)
                updated.append(obj)
            elif touched is not None and touched(obj):
                result.updated += 1
            else:
                result.unchanged += 1
        objects.append(obj)
    if created:
        model._default_manager.bulk_create(created, batch_size=BATCH_SIZE)
    if updated:
        model._default_manager.bulk_update(updated, sorted(fields), batch_size=BATCH_SIZE)
    result.created += len(created)
    result.updated += len(updated)
    return objects


def upsert(
    model: type[M],
    existing: Mapping[K, M],
    wanted: Mapping[K, dict[str, Any]],
    result: LoadResult,
    *,
    touched: Callable[[M], bool] | None = None,
) -> dict[K, M]:
    keys = list(wanted)
    objects = apply_rows(
        model, ((existing.get(key), wanted[key]) for key in keys), result, touched=touched
    )
    return dict(zip(keys, objects, strict=True))


def report_unplaced(
    result: LoadResult, source: str, what: str, rows: Mapping[str, list[int]]
) -> None:
    for name, numbers in rows.items():
        lines = "、".join(str(n) for n in numbers)
        result.problems.append(f"{source} 第 {lines} 行：{what}“{name}”，未导入")
