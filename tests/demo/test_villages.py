"""Yongji's real villages and communities in the demo (NBS 统计用区划代码 2021): all of them
are units, the case's 20 villages among them by name, so the village tier shows the real gap."""

from __future__ import annotations

import pytest

from tests.conftest import Demo
from yanzhen.core.models import Unit, UnitKind
from yanzhen.demo import yongji
from yanzhen.demo.villages import real_villages, village_name

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.mark.parametrize(
    ("official", "unit"),
    [
        ("小张村委会", "小张村"),
        ("康乐社区居委会", "康乐社区"),
        ("某某居委会", "某某社区"),
        ("伍姓湖农场", "伍姓湖农场"),
    ],
)
def test_a_committee_is_named_as_its_village(official: str, unit: str) -> None:
    assert village_name(official) == unit


def test_the_statistical_list_gives_every_village_of_the_ten_towns_and_no_special_unit() -> None:
    real = real_villages()
    assert sorted(real) == sorted(code for _, _, code, _ in yongji.TOWNS)
    names = [name for found in real.values() for name, _ in found]
    assert (len(names), len(set(names))) == (217, 217)
    assert sum(name.endswith("村") for name in names) == 195
    assert sum(name.endswith("社区") for name in names) == 22
    assert not any("戒毒所" in name or "监狱" in name for name in names)


def test_every_real_village_is_a_unit_under_its_town_with_its_code(demo_db: Demo) -> None:
    villages = Unit.objects.filter(kind=UnitKind.VILLAGE).select_related("parent")
    assert villages.count() == 217
    for town, found in real_villages().items():
        units = {u.name: u for u in villages if u.parent is not None and u.parent.code == town}
        assert {(u.name, u.code) for u in units.values()} == set(found), town


def test_the_cooperations_reach_the_demos_20_villages_by_their_real_names(demo_db: Demo) -> None:
    codes = {
        name: code for found in real_villages().values() for name, code in found
    }  # fmt: skip
    demo_villages = [v for *_, villages in yongji.TOWNS for v in villages]
    covered = Unit.objects.filter(kind=UnitKind.VILLAGE, cooperation_count__gt=0)
    assert sorted(covered.values_list("name", "code")) == sorted(
        (name, codes[name]) for name in demo_villages
    )
    assert Unit.objects.get(name="小张村").code == "140881001200"
    assert Unit.objects.filter(kind=UnitKind.VILLAGE, cooperation_count=0).count() == 197
