"""Universities from the MoE lists (CSV or the official .xls files), and their aliases."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from python_calamine import CalamineError, CalamineWorkbook

from yanzhen.engines.names import pinyin_keys
from yanzhen.reference.loaders.base import (
    DATA_DIR,
    MOE_CODE,
    LoadResult,
    ReferenceFileError,
    Row,
    apply_rows,
    read_csv,
    read_flag,
    report_unplaced,
    upsert,
)
from yanzhen.reference.models import University, UniversityAlias, UniversityCategory

ALIASES_CSV = DATA_DIR / "aliases.csv"
CATEGORY_NAMES = {
    "普通高等学校": UniversityCategory.REGULAR,
    "成人高等学校": UniversityCategory.ADULT,
    **{str(value): UniversityCategory(value) for value in UniversityCategory.values},
}
ADULT_LEVEL = "成人"


@dataclass(frozen=True)
class UniversityRecord:
    """One school of an MoE list; ``flags`` (985, 211, 双一流) only when the file carries them."""

    source: str
    row: int
    code: str
    name: str
    category: str
    province: str
    city: str
    authority: str
    level: str
    remark: str
    flags: tuple[bool, bool, bool] | None = None
    # Pinyin and initials when the file carries them (``pinyin``, ``initials``: the lists shipped
    # with the package, computed when it is built; 3,000 names take a second to romanise).
    keys: tuple[str, str] | None = None


UNIVERSITY_CSV_COLUMNS = (
    "category",
    "name",
    "code",
    "province",
    "authority",
    "city",
    "level",
    "remark",
    "is_985",
    "is_211",
    "is_dfc2022",
)
XLS_COLUMNS = ("序号", "学校名称", "学校标识码", "主管部门", "备注")
XLS_REGULAR_COLUMNS = ("所在地", "办学层次")
PROVINCE_HEADER = re.compile(r"(?P<name>\S+?)\s*\((?P<count>\d+)所\)")


@dataclass(frozen=True)
class UniversityList:
    """The schools read from one file, and what in the file looks wrong but can be loaded."""

    records: list[UniversityRecord]
    notes: list[str]


def read_universities_csv(path: Path) -> UniversityList:
    """The schools of ``universities_moe_2025.csv`` (with its 985/211/双一流 flags)."""
    records = []
    for row in read_csv(path, UNIVERSITY_CSV_COLUMNS):
        category = CATEGORY_NAMES.get(row.required("category"))
        if category is None:
            raise row.error("category", f"“{row['category']}”不是普通高等学校或成人高等学校")
        records.append(
            UniversityRecord(
                source=row.source,
                row=row.number,
                code=row.matching("code", MOE_CODE, "10 位学校标识码"),
                name=row.required("name"),
                category=category,
                province=row.required("province"),
                city=row["city"],
                authority=row.required("authority"),
                level=row["level"],
                remark=row["remark"],
                flags=(
                    read_flag(row, "is_985"),
                    read_flag(row, "is_211"),
                    read_flag(row, "is_dfc2022"),
                ),
                keys=(row["pinyin"], row["initials"]) if row["pinyin"] else None,
            )
        )
    return UniversityList(records, [])


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_universities_xls(path: Path) -> UniversityList:
    """The schools of an MoE spreadsheet (全国普通/成人高等学校名单, .xls or .xlsx).

    The sheet has title rows, a header row starting with 序号, then per province a header row
    such as ``北京市（92所）`` followed by its schools. The adult list has no 所在地 and no
    办学层次 column; its schools get the level 成人. No 985/211 flags are read. A province whose
    header count differs from the schools listed is noted (the 2025 list says 海南省（27所） and
    lists 28).
    """
    source = path.name
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_name = workbook.sheet_names[0]
        table = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        raise ReferenceFileError(source, f"无法读取 Excel 文件（{exc}）") from exc
    header: list[str] | None = None
    title = sheet_name
    category = ""
    province = ""
    announced: dict[str, int] = {}
    counted: dict[str, int] = defaultdict(int)
    records: list[UniversityRecord] = []
    for index, raw in enumerate(table):
        number = index + 1
        cells = [_cell(value) for value in raw]
        if not any(cells):
            continue
        if header is None:
            if cells[0] != "序号":
                title += " " + " ".join(cells)
                continue
            header = cells
            if "成人高等学校" in title:
                category = UniversityCategory.ADULT
            elif "普通高等学校" in title:
                category = UniversityCategory.REGULAR
            else:
                raise ReferenceFileError(source, "标题中没有“普通高等学校”或“成人高等学校”")
            required: tuple[str, ...] = XLS_COLUMNS
            if category == UniversityCategory.REGULAR:
                required += XLS_REGULAR_COLUMNS
            for column in required:
                if column not in header:
                    raise ReferenceFileError(source, "缺少此列", row=number, column=column)
            continue
        values = dict(zip(header, cells, strict=False))
        row = Row(source, number, values)
        first = raw[0]
        numbered = isinstance(first, int | float) and not isinstance(first, bool)
        if numbered or cells[0].isdigit():
            if not province:
                raise row.error("序号", "学校出现在第一个省份标题行之前")
            counted[province] += 1
            level = row.required("办学层次") if category == UniversityCategory.REGULAR else ""
            records.append(
                UniversityRecord(
                    source=source,
                    row=number,
                    code=row.matching("学校标识码", MOE_CODE, "10 位学校标识码"),
                    name=row.required("学校名称"),
                    category=category,
                    province=province,
                    city=row["所在地"],
                    authority=row.required("主管部门"),
                    level=level or ADULT_LEVEL,
                    remark=row["备注"],
                )
            )
            continue
        found = PROVINCE_HEADER.fullmatch(unicodedata.normalize("NFKC", cells[0]))
        if found is None or any(cells[1:]):
            raise row.error("序号", f"无法识别的行“{' '.join(c for c in cells if c)}”")
        province = found["name"]
        announced[province] = int(found["count"])
    if header is None:
        raise ReferenceFileError(source, "没有找到以“序号”开头的表头行")
    if not records:
        raise ReferenceFileError(source, "没有学校")
    notes = [
        f"{source}：{name}标题为 {count} 所，实际列出 {counted[name]} 所"
        for name, count in announced.items()
        if counted[name] != count
    ]
    return UniversityList(records, notes)


def read_universities(path: Path) -> UniversityList:
    """The schools of a CSV (or gzip'd CSV) or MoE spreadsheet file, chosen by its extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv" or path.name.lower().endswith(".csv.gz"):
        return read_universities_csv(path)
    if suffix in {".xls", ".xlsx"}:
        return read_universities_xls(path)
    raise ReferenceFileError(path.name, "只支持 .csv、.csv.gz、.xls 或 .xlsx 文件")


def load_universities(paths: Sequence[Path | str]) -> LoadResult:
    """Upsert the schools of one or more files, matched by 学校标识码 (else by exact name).

    Files with 985/211/双一流 flags set them; files without (the MoE spreadsheets) keep the
    flags a school already has. Pinyin keys are computed for new and renamed schools.
    """
    lists = [read_universities(Path(path)) for path in paths]
    records = [record for school_list in lists for record in school_list.records]
    first: dict[str, UniversityRecord] = {}
    for attribute, label in (("code", "学校标识码"), ("name", "学校名称")):
        first.clear()
        for record in records:
            key = getattr(record, attribute)
            if key in first:
                earlier = first[key]
                raise ReferenceFileError(
                    record.source,
                    f"“{key}”与 {earlier.source} 第 {earlier.row} 行重复",
                    row=record.row,
                    column=label,
                )
            first[key] = record
    result = LoadResult(
        "高校", problems=[note for school_list in lists for note in school_list.notes]
    )
    with transaction.atomic():
        schools = list(University.objects.all())
        by_code = {school.code: school for school in schools if school.code}
        by_name = {school.name: school for school in schools}
        pairs: list[tuple[University | None, dict[str, Any]]] = []
        for record in records:
            school = by_code.get(record.code)
            holder = by_name.get(record.name)
            if school is None and holder is not None and holder.code:
                result.problems.append(
                    f"{record.source} 第 {record.row} 行：已有同名高校“{record.name}”"
                    f"（标识码 {holder.code}），与 {record.code} 不符，未导入"
                )
                continue
            if school is not None and holder is not None and holder.pk != school.pk:
                result.problems.append(
                    f"{record.source} 第 {record.row} 行：标识码 {record.code} 的高校"
                    f"“{school.name}”不能改名为已存在的“{record.name}”，未导入"
                )
                continue
            school = school or holder
            values: dict[str, Any] = {
                "code": record.code,
                "name": record.name,
                "category": record.category,
                "country": "中国",
                "province": record.province,
                "city": record.city,
                "authority": record.authority,
                "level": record.level,
                "remark": record.remark,
            }
            if record.flags is not None:
                values["is_985"], values["is_211"], values["is_dfc"] = record.flags
            if school is None or school.name != record.name or not school.pinyin:
                values["pinyin"], values["initials"] = record.keys or pinyin_keys(record.name)
            Row(record.source, record.row, {}).check_lengths(University, values)
            pairs.append((school, values))
        apply_rows(University, pairs, result)
    return result


def load_aliases(path: Path | None = None) -> LoadResult:
    """Add the aliases of a ``name,alias`` CSV (our own list when no path); never removes any.

    An alias may name two schools (山大); a school that is not loaded is reported and skipped.
    """
    path = path or ALIASES_CSV
    rows = read_csv(path, ("name", "alias"))
    result = LoadResult("高校别名")
    with transaction.atomic():
        schools = dict(University.objects.values_list("name", "pk"))
        existing = {(a.university_id, a.alias): a for a in UniversityAlias.objects.all()}
        wanted: dict[tuple[int, str], dict[str, Any]] = {}
        lines: dict[tuple[int, str], int] = {}
        unknown: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            name = row.required("name")
            alias = row.required("alias")
            if alias == name:
                raise row.error("alias", "别名与校名相同")
            university = schools.get(name)
            if university is None:
                unknown[name].append(row.number)
                continue
            key = (university, alias)
            if key in lines:
                raise row.error("alias", f"与第 {lines[key]} 行重复")
            lines[key] = row.number
            wanted[key] = {"university_id": university, "alias": alias}
            row.check_lengths(UniversityAlias, wanted[key])
        upsert(UniversityAlias, existing, wanted, result)
    report_unplaced(result, path.name, "高校名单中没有", unknown)
    return result
