"""Data scope from roles (RuoYi style) and the unit tree it rests on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from yanzhen.core.errors import DomainError
from yanzhen.core.models import DataScope, Role, Unit, UnitClosure, UnitKind, User
from yanzhen.core.scope import scope_of
from yanzhen.core.services import closure_rebuild, unit_create, unit_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(county: Unit) -> dict[str, Unit]:
    town = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    other = unit_create(actor=None, parent=county, name="乙镇", kind=UnitKind.TOWN)
    return {
        "county": county,
        "town": town,
        "village": unit_create(actor=None, parent=town, name="甲村", kind=UnitKind.VILLAGE),
        "other": other,
        "far": unit_create(actor=None, parent=other, name="乙村", kind=UnitKind.VILLAGE),
    }


def names(units: object) -> list[str]:
    return sorted(u.name for u in units)  # type: ignore[attr-defined]


def test_each_scope_sees_its_units(tree: dict[str, Unit], make_user: Callable[..., User]) -> None:
    make = make_user
    assert names(scope_of(make(tree["town"], DataScope.UNIT)).units()) == ["甲镇"]
    assert names(scope_of(make(tree["town"], DataScope.UNIT_AND_BELOW)).units()) == ["甲村", "甲镇"]
    assert names(scope_of(make(tree["town"], DataScope.ALL)).units()) == names(Unit.objects.all())
    assert names(scope_of(make(tree["town"], DataScope.SELF)).units()) == []


def test_custom_units_and_several_roles_add_up(
    tree: dict[str, Unit], make_user: Callable[..., User]
) -> None:
    user = make_user(tree["town"], DataScope.UNIT)
    custom = Role.objects.create(code="custom", name="自定义", data_scope=DataScope.CUSTOM)
    custom.custom_units.set([tree["far"]])
    user.roles.add(custom)
    assert names(scope_of(user).units()) == ["乙村", "甲镇"]


def test_a_user_without_a_unit_or_role_sees_nothing(make_user: Callable[..., User]) -> None:
    user = make_user(None, DataScope.UNIT_AND_BELOW)
    assert list(scope_of(user).units()) == []
    assert scope_of(user).contains_unit(None) is False


def test_moving_a_unit_moves_its_subtree(
    tree: dict[str, Unit], make_user: Callable[..., User]
) -> None:
    unit_update(
        actor=None, unit=tree["town"], parent=tree["other"], name="甲镇", kind=UnitKind.TOWN
    )
    other_user = make_user(tree["other"], DataScope.UNIT_AND_BELOW)
    assert names(scope_of(other_user).units()) == ["乙村", "乙镇", "甲村", "甲镇"]
    depths = dict(
        UnitClosure.objects.filter(descendant=tree["village"]).values_list(
            "ancestor__name", "depth"
        )
    )
    assert depths == {"甲村": 0, "甲镇": 1, "乙镇": 2, "测试县": 3}
    before = sorted(UnitClosure.objects.values_list("ancestor_id", "descendant_id", "depth"))
    assert closure_rebuild() == len(before)
    assert (
        sorted(UnitClosure.objects.values_list("ancestor_id", "descendant_id", "depth")) == before
    )


def test_a_unit_cannot_move_under_its_own_descendant(tree: dict[str, Unit]) -> None:
    with pytest.raises(DomainError) as caught:
        unit_update(
            actor=None, unit=tree["town"], parent=tree["village"], name="甲镇", kind=UnitKind.TOWN
        )
    assert caught.value.fields == {"parent": "不能选择本单位或其下级"}
    assert Unit.objects.get(pk=tree["town"].pk).parent == tree["county"]


def test_a_scoped_user_cannot_create_units_outside(
    tree: dict[str, Unit], make_user: Callable[..., User]
) -> None:
    user = make_user(tree["town"], DataScope.UNIT_AND_BELOW)
    with pytest.raises(DomainError) as caught:
        unit_create(actor=user, parent=tree["other"], name="丙村", kind=UnitKind.VILLAGE)
    assert caught.value.fields == {"parent": "不在您的数据范围内"}
    created = unit_create(actor=user, parent=tree["town"], name="丙村", kind=UnitKind.VILLAGE)
    assert created.initials == "bc"
