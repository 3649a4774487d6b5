"""GB/T 4754-2017 国民经济行业分类, and the county's own industries mapped onto it."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db import transaction

from yanzhen.reference.loaders.base import (
    BATCH_SIZE,
    DATA_DIR,
    LoadResult,
    check_unique,
    read_csv,
    upsert,
)
from yanzhen.reference.models import Industry, IndustryLevel, LocalIndustry, LocalIndustryGroup

LOCAL_INDUSTRIES_CSV = DATA_DIR / "local_industries.csv"
INDUSTRY_CODE = {
    IndustryLevel.SECTION: re.compile(r"[A-T]"),
    IndustryLevel.DIVISION: re.compile(r"\d{2}"),
    IndustryLevel.GROUP: re.compile(r"\d{3}"),
    IndustryLevel.CLASS: re.compile(r"\d{4}"),
}
INDUSTRY_LEVELS = list(INDUSTRY_CODE)


def load_industries(path: Path) -> LoadResult:
    """Upsert GB/T 4754-2017: 门类, 大类, 中类, 小类, each linked to the level above."""
    rows = read_csv(path, ("level", "code", "section", "parent_code", "name", "note"))
    levels: dict[str, str] = {}
    sections: dict[str, str] = {}
    for row in rows:
        level = row.required("level")
        if level not in INDUSTRY_CODE:
            raise row.error("level", f"“{level}”不是 section/division/group/class 之一")
        code = row.matching("code", INDUSTRY_CODE[IndustryLevel(level)], "该层级的行业代码")
        if code in levels:
            raise row.error("code", f"{code} 重复")
        levels[code] = level
        sections[code] = row.matching("section", INDUSTRY_CODE[IndustryLevel.SECTION], "门类代码")
    wanted: list[dict[str, dict[str, Any]]] = [{} for _ in INDUSTRY_LEVELS]
    parents: dict[str, str] = {}
    for row in rows:
        code, level = row["code"], row["level"]
        depth = INDUSTRY_LEVELS.index(IndustryLevel(level))
        section = sections[code]
        parent = row["parent_code"]
        if depth == 0:
            if parent:
                raise row.error("parent_code", "门类不应有上级代码")
            if section != code:
                raise row.error("section", f"门类 {code} 的门类代码应为 {code}")
        else:
            expected = INDUSTRY_LEVELS[depth - 1]
            if levels.get(parent) != expected:
                raise row.error("parent_code", f"“{parent}”不是文件中的{expected.label}代码")
            if depth > 1 and not code.startswith(parent):
                raise row.error("parent_code", f"{code} 不以上级代码 {parent} 开头")
            if section != sections[parent]:
                raise row.error(
                    "section", f"“{section}”与上级 {parent} 的门类 {sections[parent]} 不同"
                )
            parents[code] = parent
        wanted[depth][code] = {
            "code": code,
            "name": row.required("name"),
            "level": level,
            "section": section,
            "note": row["note"],
        }
        row.check_lengths(Industry, wanted[depth][code])
    result = LoadResult("国民经济行业分类")
    with transaction.atomic():
        existing = {industry.code: industry for industry in Industry.objects.all()}
        saved: dict[str, Industry] = {}
        for level_rows in wanted:
            for code, values in level_rows.items():
                values["parent_id"] = saved[parents[code]].pk if code in parents else None
            saved.update(upsert(Industry, existing, level_rows, result))
    return result


LOCAL_GROUPS = {
    **{str(value): str(value) for value in LocalIndustryGroup.values},
    **{str(label): str(value) for value, label in LocalIndustryGroup.choices},
}
GBT_SEPARATORS = re.compile(r"[;；,，\s]+")
GBT_CODE = re.compile(r"[A-T]|\d{2,4}")


def load_local_industries(path: Path | None = None, *, require_gbt: bool = True) -> LoadResult:
    """Upsert the county's industries (our Yongji list when no path) and their GB/T 4754 codes.

    Columns ``code,name,group,sort_order,gbt_codes``; ``gbt_codes`` separated by ``;``. The
    GB/T 4754 classification must be loaded first; an unknown code names its row. With
    ``require_gbt=False`` (a demo without the national lists) codes not loaded are left unlinked
    and counted in the problems; a rerun after ``load_industries`` links them.
    """
    path = path or LOCAL_INDUSTRIES_CSV
    rows = read_csv(path, ("code", "name", "group", "sort_order", "gbt_codes"))
    check_unique(((row, row["code"]) for row in rows), "code")
    result = LoadResult("本地产业")
    with transaction.atomic():
        industries = dict(Industry.objects.values_list("code", "pk"))
        wanted: dict[str, dict[str, Any]] = {}
        links: dict[str, set[int]] = {}
        unlinked = 0
        for row in rows:
            code = row.required("code")
            group = LOCAL_GROUPS.get(row.required("group"))
            if group is None:
                raise row.error(
                    "group", f"“{row['group']}”不是 {'/'.join(LocalIndustryGroup.values)} 之一"
                )
            order = row["sort_order"] or str(row.number)
            if not order.lstrip("-").isdigit():
                raise row.error("sort_order", f"“{order}”不是整数")
            gbt = [c for c in GBT_SEPARATORS.split(row.required("gbt_codes")) if c]
            malformed = [c for c in gbt if not GBT_CODE.fullmatch(c)]
            if malformed:
                raise row.error("gbt_codes", f"“{malformed[0]}”不是国民经济行业代码")
            missing = [c for c in gbt if c not in industries]
            if missing and require_gbt:
                if not industries:
                    raise row.error(
                        "gbt_codes", "国民经济行业分类尚未导入，请先运行 load_industries"
                    )
                raise row.error("gbt_codes", f"GB/T 4754-2017 中没有代码 {'、'.join(missing)}")
            unlinked += len(missing)
            wanted[code] = {
                "code": code,
                "name": row.required("name"),
                "group": group,
                "sort_order": int(order),
            }
            row.check_lengths(LocalIndustry, wanted[code])
            links[code] = {industries[c] for c in gbt if c in industries}
        through = LocalIndustry.industries.through
        existing = {local.code: local for local in LocalIndustry.objects.all()}
        current: dict[int, set[int]] = defaultdict(set)
        link_ids: dict[tuple[int, int], int] = {}
        for pk, local_id, industry_id in through.objects.filter(
            localindustry_id__in=[local.pk for local in existing.values()]
        ).values_list("pk", "localindustry_id", "industry_id"):
            current[local_id].add(industry_id)
            link_ids[local_id, industry_id] = pk
        saved = upsert(
            LocalIndustry,
            existing,
            wanted,
            result,
            touched=lambda local: current[local.pk] != links[local.code],
        )
        stale = [
            link_ids[local.pk, industry]
            for code, local in saved.items()
            for industry in current[local.pk] - links[code]
        ]
        if stale:
            through.objects.filter(pk__in=stale).delete()
        through.objects.bulk_create(
            [
                through(localindustry_id=local.pk, industry_id=industry)
                for code, local in saved.items()
                for industry in sorted(links[code] - current[local.pk])
            ],
            batch_size=BATCH_SIZE,
        )
    if unlinked:
        result.problems.append(
            f"{path.name}：{unlinked} 个国民经济行业代码尚未导入，暂未关联"
            "（导入 GB/T 4754-2017 后重新运行 load_local_industries）"
        )
    return result
