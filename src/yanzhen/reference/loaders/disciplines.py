"""The 2022 discipline catalogue, the 双一流 lists of 2022 and 2017, the 4th evaluation."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db import transaction

from yanzhen.core.errors import DomainError
from yanzhen.reference.loaders.base import (
    MOE_CODE,
    LoadResult,
    Row,
    read_csv,
    report_unplaced,
    upsert,
)
from yanzhen.reference.models import (
    DfcDiscipline,
    Discipline,
    DisciplineEvaluation,
    Grade,
    University,
)

DISCIPLINE_CODE = re.compile(r"\d{4}")
CATEGORY_CODE = re.compile(r"\d{2}")
EVALUATION_ROUND = 4


def load_disciplines(path: Path) -> LoadResult:
    """Upsert 学科门类 (2 digits) and 一级学科 (4 digits, linked to their category)."""
    rows = read_csv(path, ("category_code", "category_name", "code", "name"))
    categories: dict[str, str] = {}
    category_rows: dict[str, Row] = {}
    first_level: dict[str, tuple[str, str, Row]] = {}
    for row in rows:
        category = row.matching("category_code", CATEGORY_CODE, "2 位学科门类代码")
        category_name = row.required("category_name")
        if categories.setdefault(category, category_name) != category_name:
            earlier = category_rows[category].number
            raise row.error("category_name", f"与第 {earlier} 行的门类名称不一致")
        category_rows.setdefault(category, row)
        code = row.matching("code", DISCIPLINE_CODE, "4 位一级学科代码")
        if not code.startswith(category):
            raise row.error("code", f"{code} 不属于门类 {category}")
        if code in first_level:
            raise row.error("code", f"{code} 重复")
        first_level[code] = (row.required("name"), category, row)
    for code, name in categories.items():
        category_rows[code].check_lengths(Discipline, {"name": name})
    for name, _, row in first_level.values():
        row.check_lengths(Discipline, {"name": name})
    result = LoadResult("学科")
    with transaction.atomic():
        existing = {d.code: d for d in Discipline.objects.all()}
        saved = upsert(
            Discipline,
            existing,
            {c: {"code": c, "name": n, "parent_id": None} for c, n in categories.items()},
            result,
        )
        upsert(
            Discipline,
            existing,
            {
                code: {"code": code, "name": name, "parent_id": saved[category].pk}
                for code, (name, category, _) in first_level.items()
            },
            result,
        )
    return result


DFC_COLUMNS = {
    2022: (
        "school_name",
        "school_name_2025",
        "school_code",
        "discipline_name",
        "discipline_code_2011_catalogue",
        "note",
    ),
    2017: ("school_name", "discipline_name"),
}


def load_dfc(path: Path, *, year: int) -> LoadResult:
    """Upsert the 双一流 construction disciplines of round ``year`` (2022 or 2017).

    2022: the school by 学校标识码, else by its current name; the discipline linked by its
    code when the 2022 catalogue has it; the schools found are flagged 双一流. 2017: the school
    by exact name, the discipline by exact 一级学科 name. Schools not found are reported.
    """
    if year not in DFC_COLUMNS:
        message = f"双一流轮次只能是 2022 或 2017，不能是 {year}"
        raise DomainError("dfc_round", message, {"round": message})
    rows = read_csv(path, DFC_COLUMNS[year])
    result = LoadResult(f"双一流建设学科（{year}）")
    with transaction.atomic():
        by_code: dict[str, int] = {}
        by_name: dict[str, int] = {}
        for pk, code, name in University.objects.values_list("pk", "code", "name"):
            by_name[name] = pk
            if code:
                by_code[code] = pk
        disciplines = Discipline.objects.filter(parent__isnull=False).values_list(
            "pk", "code", "name"
        )
        discipline_by_code = {code: pk for pk, code, _ in disciplines}
        discipline_by_name = {name: pk for pk, _, name in disciplines}
        wanted: dict[tuple[int, str], dict[str, Any]] = {}
        lines: dict[tuple[int, str], int] = {}
        unplaced: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            school = row.required("school_name")
            name = row["discipline_name"]
            note = row["note"]
            if year == 2022:
                code = row["school_code"]
                if code and not MOE_CODE.fullmatch(code):
                    raise row.error("school_code", f"“{code}”不是有效的 10 位学校标识码")
                discipline_code = row["discipline_code_2011_catalogue"]
                if discipline_code and not DISCIPLINE_CODE.fullmatch(discipline_code):
                    raise row.error(
                        "discipline_code_2011_catalogue", f"“{discipline_code}”不是 4 位学科代码"
                    )
                if not name and not note:
                    raise row.error("discipline_name", "学科名称和备注不能都为空")
                current = row["school_name_2025"] or school
                university = by_code.get(code) if code else None
                university = university or by_name.get(current)
                discipline = discipline_by_code.get(discipline_code)
            else:
                row.required("discipline_name")
                current = school
                university = by_name.get(school)
                discipline = discipline_by_name.get(name)
            if university is None:
                unplaced[current].append(row.number)
                continue
            key = (university, name)
            if key in lines:
                raise row.error("discipline_name", f"与第 {lines[key]} 行重复")
            lines[key] = row.number
            wanted[key] = {
                "university_id": university,
                "discipline_name": name,
                "discipline_id": discipline,
                "round": year,
                "note": note,
            }
            row.check_lengths(DfcDiscipline, wanted[key])
        existing = {
            (d.university_id, d.discipline_name): d
            for d in DfcDiscipline.objects.filter(round=year)
        }
        upsert(DfcDiscipline, existing, wanted, result)
        if year == 2022:
            schools = {university for university, _ in wanted}
            University.objects.filter(pk__in=schools, is_dfc=False).update(is_dfc=True)
    report_unplaced(result, path.name, "高校名单中没有", unplaced)
    return result


EVALUATION_COLUMNS = (
    "discipline_code",
    "discipline_name",
    "school_name",
    "school_name_2025",
    "school_code",
    "grade",
)


def load_evaluation(path: Path) -> LoadResult:
    """Upsert the grades of the 4th discipline evaluation, keyed by (参评单位, 学科代码).

    The school by 学校标识码, else by exact (current or original) name; units that are no school
    of the MoE list (institutes, military schools, joint units) are kept with no school.
    """
    rows = read_csv(path, EVALUATION_COLUMNS)
    grades = set(Grade.values)
    result = LoadResult("第四轮学科评估")
    with transaction.atomic():
        by_code: dict[str, int] = {}
        by_name: dict[str, int] = {}
        for pk, code, name in University.objects.values_list("pk", "code", "name"):
            by_name[name] = pk
            if code:
                by_code[code] = pk
        disciplines = dict(Discipline.objects.values_list("code", "pk"))
        wanted: dict[tuple[str, str], dict[str, Any]] = {}
        lines: dict[tuple[str, str], int] = {}
        unmapped: set[str] = set()
        for row in rows:
            code = row.matching("discipline_code", DISCIPLINE_CODE, "4 位学科代码")
            school = row.required("school_name")
            grade = row.required("grade")
            if grade not in grades:
                raise row.error("grade", f"“{grade}”不是 A+ 至 C- 的评估结果")
            school_code = row["school_code"]
            if school_code and not MOE_CODE.fullmatch(school_code):
                raise row.error("school_code", f"“{school_code}”不是有效的 10 位学校标识码")
            university = by_code.get(school_code) if school_code else None
            university = university or by_name.get(row["school_name_2025"]) or by_name.get(school)
            if university is None:
                unmapped.add(school)
            key = (school, code)
            if key in lines:
                raise row.error("discipline_code", f"与第 {lines[key]} 行重复")
            lines[key] = row.number
            wanted[key] = {
                "round": EVALUATION_ROUND,
                "school_name": school,
                "discipline_code": code,
                "discipline_name": row.required("discipline_name"),
                "discipline_id": disciplines.get(code),
                "university_id": university,
                "grade": grade,
            }
            row.check_lengths(DisciplineEvaluation, wanted[key])
        existing = {
            (e.school_name, e.discipline_code): e
            for e in DisciplineEvaluation.objects.filter(round=EVALUATION_ROUND)
        }
        upsert(DisciplineEvaluation, existing, wanted, result)
    if unmapped:
        count = sum(1 for values in wanted.values() if values["university_id"] is None)
        result.problems.append(
            f"{path.name}：{len(unmapped)} 个参评单位（{count} 条结果）不在高校名单中，"
            "已导入但未关联高校"
        )
    return result
