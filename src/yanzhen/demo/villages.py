"""Yongji's real villages and communities (NBS 统计用区划代码, shipped with the national lists)
as units of the demo."""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history

from yanzhen.core.models import Unit, UnitClosure, UnitKind
from yanzhen.demo import yongji
from yanzhen.demo.shared import DemoResult
from yanzhen.engines.names import pinyin_keys
from yanzhen.reference.loaders import NATIONAL_DIR
from yanzhen.reference.loaders.divisions import read_divisions_csv

# The statistical units below a county that are no town of its work (NBS codes 4xx: 监狱,
# 戒毒所 and their virtual communities).
SPECIAL_TOWN_CODE = "4"


def village_name(official: str) -> str:
    """The unit name of a village or community of the statistical list: the committee's
    name without 委员会 (小张村委会 → 小张村, 康乐社区居委会 → 康乐社区)."""
    for suffix, kept in (("社区居委会", "社区"), ("村委会", "村"), ("居委会", "社区")):
        if official.endswith(suffix):
            return official.removesuffix(suffix) + kept
    return official


def real_villages() -> dict[str, list[tuple[str, str]]]:
    """Yongji's villages and communities (NBS 统计用区划代码, shipped with the national lists)
    by town code, each as (unit name, 12-digit code), in the order of their codes."""
    county = yongji.COUNTY[1]
    path = sorted(NATIONAL_DIR.glob(f"*_{county}_towns_villages_*.csv.gz"))[-1]
    villages: dict[str, list[tuple[str, str]]] = {}
    for record in read_divisions_csv(path, {county: 3}):
        special = record.parent_code[len(county) :].startswith(SPECIAL_TOWN_CODE)
        if record.level == 5 and not special:
            villages.setdefault(record.parent_code, []).append(
                (village_name(record.name), record.code)
            )
    return {town: sorted(found, key=lambda v: v[1]) for town, found in villages.items()}


def villages_create(result: DemoResult, towns: dict[str, Unit]) -> dict[str, Unit]:
    """The real villages and communities of ``towns`` (by code) as units, created in bulk with
    their history rows and closure rows; those already there (a second run) are kept."""
    real = real_villages()
    existing = {
        (u.parent_id, u.name): u
        for u in Unit.objects.filter(parent__in=towns.values(), kind=UnitKind.VILLAGE)
    }
    new = [
        Unit(
            parent=town, name=name, kind=UnitKind.VILLAGE, code=code, sort_order=order,
            initials=pinyin_keys(name)[1][:100],
        )
        for town_code, town in towns.items()
        for order, (name, code) in enumerate(real.get(town_code, []))
        if (town.pk, name) not in existing
    ]  # fmt: skip
    created = bulk_create_with_history(new, Unit, batch_size=500)
    above = {
        town.pk: list(
            UnitClosure.objects.filter(descendant_id=town.pk).values_list("ancestor_id", "depth")
        )
        for town in towns.values()
    }
    UnitClosure.objects.bulk_create(
        [
            UnitClosure(ancestor_id=ancestor, descendant_id=unit.pk, depth=depth)
            for unit in created
            for ancestor, depth in [(unit.pk, 0), *((a, d + 1) for a, d in above[unit.parent_id])]
        ],
        batch_size=1000,
    )
    result.add("units", len(created))
    return {unit.name: unit for unit in [*existing.values(), *created]}
