"""The national lists shipped with the package (data/national): what is in it, that the build
from the official files gives exactly it, that it loads into any database, and that newer
official files still update it."""

from __future__ import annotations

import io
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import yanzhen
from yanzhen.reference.loaders import (
    NATIONAL_DIR,
    LoadResult,
    ReferenceFileError,
    load_divisions,
    load_majors,
    load_reference,
)
from yanzhen.reference.models import (
    Division,
    UndergraduateMajor,
    University,
)

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SHIPPED = [
    "discipline_evaluation_round4_2017.csv.gz",
    "disciplines_2022_first_level.csv.gz",
    "double_first_class_2017_round1.csv.gz",
    "double_first_class_2022.csv.gz",
    "industry_gbt4754_2017.csv.gz",
    "undergraduate_majors_2026.csv.gz",
    "universities_moe_2025.csv.gz",
    "yongji_140881_towns_villages_nbs2021.csv.gz",
]


def rows(results: dict[str, LoadResult]) -> dict[str, int]:
    """The rows each list holds after the load (created, updated or already there)."""
    return {key: r.created + r.updated + r.unchanged for key, r in results.items()}


def test_the_package_ships_every_list_compactly_with_its_provenance() -> None:
    assert sorted(path.name for path in NATIONAL_DIR.glob("*.csv.gz")) == SHIPPED
    assert sum(path.stat().st_size for path in NATIONAL_DIR.iterdir()) < 250_000
    readme = (NATIONAL_DIR / "README.md").read_text(encoding="utf-8")
    assert (
        "| 全国高等学校名单（含 985、211、双一流标记） | `universities_moe_2025.csv.gz` | 3167 | "
        "教育部《全国高等学校名单》（普通高等学校、成人高等学校）；985/211 据教育部公布的名单，"
        "双一流据教研函〔2022〕1号 | 2025 | `universities_moe_2025.csv` | "
        "教育部 2025-06-20 名单（xls 原件），经 lzy201314/Universities @57894f9 | "
        "`ed08c879e98f53dd` |"
    ) in readme
    for name in SHIPPED:
        assert f"| `{name}` |" in readme
    # The wheel carries them: the package-data patterns of pyproject.toml match every file.
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    app = Path(yanzhen.__file__).parent / "reference"
    included = {path for pattern in patterns for path in app.glob(pattern) if path.is_file()}
    assert {NATIONAL_DIR / name for name in [*SHIPPED, "README.md"]} <= included


def test_the_build_gives_exactly_the_shipped_files(reference_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "national"
    call_command("build_reference", str(reference_dir), "--out", str(out), stdout=io.StringIO())
    for name in SHIPPED:
        assert (out / name).read_bytes() == (NATIONAL_DIR / name).read_bytes(), name
    built = (out / "README.md").read_text(encoding="utf-8").splitlines()
    shipped = (NATIONAL_DIR / "README.md").read_text(encoding="utf-8").splitlines()
    dated = [i for i, line in enumerate(shipped) if line.startswith("生成日期：")]
    assert len(dated) == 1
    assert [line for i, line in enumerate(built) if i not in dated] == [
        line for i, line in enumerate(shipped) if i not in dated
    ]


def test_the_shipped_lists_load_with_no_directory() -> None:
    results = load_reference()
    assert rows(results) == {
        "universities": 3167,
        "disciplines": 131,
        "dfc2022": 428,
        "dfc2017": 457,
        "evaluation": 5212,
        "majors": 883,
        "industries": 1971,
        "divisions": 41934,
        "villages": 233,
        "aliases": 106,
        "local_industries": 16,
    }
    flags = [
        University.objects.filter(**{flag: True}).count() for flag in ("is_985", "is_211", "is_dfc")
    ]
    assert flags == [38, 112, 144]
    textile = University.objects.get(name="武汉纺织大学")
    assert textile.evaluations.get(discipline_code="0821").grade == "B-"
    village = Division.objects.get(code="140881001200")
    assert (village.name, village.level, village.parent_code) == ("小张村委会", 5, "140881001")


def test_newer_official_files_update_what_the_package_gave(tmp_path: Path) -> None:
    load_reference()
    newer = tmp_path / "universities_moe_2026.csv"
    newer.write_text(
        "category,seq,name,code,province,province_code,authority,city,level,remark,"
        "is_985,is_211,is_dfc2022,dfc2022_disciplines\n"
        "普通高等学校,1,武汉纺织大学,4142010495,湖北省,42,湖北省,武汉市,本科,更名演练,0,0,1,纺织科学与工程\n",
        encoding="utf-8",
    )
    results = load_reference(tmp_path)
    universities = results["universities"]
    assert (universities.created, universities.updated, universities.unchanged) == (0, 1, 0)
    school = University.objects.get(code="4142010495")
    assert (school.name, school.remark, school.is_dfc) == ("武汉纺织大学", "更名演练", True)
    assert University.objects.count() == 3167


def test_a_malformed_official_file_stops_the_build_and_writes_nothing(
    reference_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "official"
    source.mkdir()
    for path in reference_dir.glob("*.csv"):
        shutil.copyfile(path, source / path.name)
    majors = source / "undergraduate_majors_2026.csv"
    majors.write_text(
        majors.read_text(encoding="utf-8").replace(
            "01,哲学,0101,哲学类,010104T,伦理学,1,0", "01,哲学,0101,哲学类,010104T,伦理学,0,0"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "national"
    with pytest.raises(
        CommandError,
        match=re.escape(
            "undergraduate_majors_2026.csv 第 5 行“code”列：010104T 的 T/K 后缀与特设、控制布点标记不一致"
        ),
    ):
        call_command("build_reference", str(source), "--out", str(out))
    assert not out.exists()
    (source / "industry_gbt4754_2017.csv").unlink()
    with pytest.raises(CommandError, match=r"中缺少：industry_gbt4754\*\.csv"):
        call_command("build_reference", str(source), "--out", str(out))
    assert not out.exists()


def test_the_majors_keep_their_class_category_and_marks(tmp_path: Path) -> None:
    load_majors(NATIONAL_DIR / "undergraduate_majors_2026.csv.gz")
    major = UndergraduateMajor.objects.get(code="0502100T")
    assert (major.name, major.class_code, major.class_name, major.category_name) == (
        "语言学", "0502", "外国语言文学类", "文学",
    )  # fmt: skip
    assert (major.is_special, major.is_controlled, major.catalogue_year) == (True, False, 2026)
    marks = [
        UndergraduateMajor.objects.filter(**{flag: True}).count()
        for flag in ("is_special", "is_controlled")
    ]
    assert marks == [531, 174]
    bad = tmp_path / "undergraduate_majors_2027.csv"
    bad.write_text(
        "category_code,category_name,class_code,class_name,code,name,is_special_T,is_controlled_K\n"
        "08,工学,0816,纺织类,081701,轻化工程,0,0\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceFileError) as caught:
        load_majors(bad)
    assert caught.value.message == (
        "undergraduate_majors_2027.csv 第 2 行“code”列：081701 不属于专业类 0816"
    )
    assert UndergraduateMajor.objects.filter(catalogue_year=2027).count() == 0


def test_a_countys_villages_load_on_their_own_below_its_divisions(tmp_path: Path) -> None:
    villages = tmp_path / "test_659999_towns_villages_2021.csv"
    villages.write_text(
        "level,code,parent_code,name\n4,659999001,659999,试验街道\n"
        "5,659999001200,659999001,试验村委会\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceFileError) as caught:
        load_divisions(villages)
    assert caught.value.message == (
        "test_659999_towns_villages_2021.csv 第 2 行“parent_code”列：“659999”不是更高一级区划的代码"
    )
    assert not Division.objects.filter(code__startswith="659999").exists()
    Division.objects.create(code="659999", name="试验县", level=3, parent_code="")
    result = load_divisions(villages)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
