"""Where a unit hangs in the tree decides every data scope (issue 11, item 7): a unit's parent
changes only within the actor's scope and never for the actor's own unit; top-level units
only by the security administrator. Through the pages, and nothing changes on a refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.core.models import Unit, UnitClosure

pytestmark = pytest.mark.usefixtures("demo_db")


def tree() -> tuple[Any, ...]:
    """The whole tree: units with their parents and versions, and the closure."""
    return (
        sorted(Unit.objects.values_list("pk", "parent_id", "name", "version")),
        UnitClosure.objects.count(),
        Unit.history.count(),
    )


def edit(client: Client, unit: Unit, **overrides: Any) -> Any:
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": str(unit.parent_id or ""),
        "code": unit.code,
        "sort_order": str(unit.sort_order),
        "version": str(unit.version),
    }
    data.update(overrides)
    return client.post(reverse("core:unit_edit", kwargs={"pk": unit.pk}), data)


def create(client: Client, **overrides: Any) -> Any:
    data = {"name": "新设单位", "kind": "town", "parent": "", "sort_order": "0"}
    data.update(overrides)
    return client.post(reverse("core:unit_new"), data)


def form_errors(response: Any) -> list[str]:
    import re

    return re.findall(r'role="alert">(.*?)<', response.content.decode())


def test_a_town_cannot_move_itself_out_of_the_tree(demo_db: Demo) -> None:
    town = Unit.objects.get(name="开张镇")
    before = tree()
    response = edit(demo_db.client("town"), town, parent="")
    assert response.status_code == 200
    assert "不能变更本单位的上级单位" in form_errors(response)
    assert tree() == before
    assert Unit.objects.get(pk=town.pk).parent == Unit.objects.get(name="永济市")


def test_a_town_cannot_create_a_top_level_unit(demo_db: Demo) -> None:
    before = tree()
    response = create(demo_db.client("town"))
    assert response.status_code == 200
    assert "请选择上级单位（顶层单位由安全管理员设立）" in form_errors(response)
    assert tree() == before
    assert not Unit.objects.filter(name="新设单位").exists()


def test_a_town_cannot_lift_a_village_to_the_top(demo_db: Demo) -> None:
    village = Unit.objects.get(name="东开张村")
    before = tree()
    response = edit(demo_db.client("town"), village, parent="")
    assert response.status_code == 200
    assert "请选择上级单位（顶层单位由安全管理员设立）" in form_errors(response)
    assert tree() == before


def test_a_town_moves_its_units_within_its_scope(demo_db: Demo) -> None:
    village = Unit.objects.get(name="东开张村")
    other = Unit.objects.get(name="普乐头村")
    response = edit(demo_db.client("town"), village, parent=str(other.pk))
    assert response.status_code == 302
    assert Unit.objects.get(pk=village.pk).parent == other
    assert UnitClosure.objects.filter(ancestor__name="开张镇", descendant=village).get().depth == 2


def test_a_town_cannot_move_its_units_out_of_its_scope(demo_db: Demo) -> None:
    village = Unit.objects.get(name="东开张村")
    county = Unit.objects.get(name="永济市")
    before = tree()
    response = edit(demo_db.client("town"), village, parent=str(county.pk))
    assert response.status_code == 200
    assert tree() == before


def test_the_office_cannot_move_its_own_unit_nor_create_top_level_units(demo_db: Demo) -> None:
    office = Unit.objects.get(name="永济市省校合作办公室")
    miit = Unit.objects.get(name="永济市工业和信息化局")
    client = demo_db.client("office")
    before = tree()
    response = edit(client, office, parent=str(miit.pk))
    assert response.status_code == 200
    assert "不能变更本单位的上级单位" in form_errors(response)
    response = create(client)
    assert response.status_code == 200
    assert "请选择上级单位（顶层单位由安全管理员设立）" in form_errors(response)
    assert tree() == before


def test_the_office_moves_other_units(demo_db: Demo) -> None:
    village = Unit.objects.get(name="东开张村")
    county = Unit.objects.get(name="永济市")
    response = edit(demo_db.client("office"), village, parent=str(county.pk))
    assert response.status_code == 302
    assert Unit.objects.get(pk=village.pk).parent == county


def test_the_security_administrator_sets_up_top_level_units(demo_db: Demo) -> None:
    client = demo_db.client("secadmin")
    response = create(client, name="河东新区", kind="zone")
    assert response.status_code == 302
    created = Unit.objects.get(name="河东新区")
    assert created.parent is None
    assert created.history.get().history_user == demo_db.users["secadmin"]
    county = Unit.objects.get(name="永济市")
    response = edit(client, county, parent=str(created.pk))
    assert response.status_code == 302
    assert Unit.objects.get(pk=county.pk).parent == created
