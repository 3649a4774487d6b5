"""Unit choices: a plain select while a user's units are few, a searching picker when they
are many (280,000 at national scope); and party names resolved without reading every unit."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import Demo
from tests.cooperation.test_base_picker import chosen, options, select
from tests.cooperation.test_views import field_errors, form
from yanzhen.cooperation import selectors as cooperation_selectors
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import LOCAL_PARTY_KINDS, Person, Unit, UnitClosure, UnitKind
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import local_units, person_qs
from yanzhen.core.services import unit_create

pytestmark = pytest.mark.usefixtures("demo_db")


def pk(name: str) -> str:
    return str(Unit.objects.get(name=name).pk)


def test_a_towns_few_units_are_a_plain_select(demo_db: Demo) -> None:
    html = demo_db.client("town").get(reverse("cooperation:cooperation_new")).content.decode()
    town = Unit.objects.get(name="开张镇")
    units = Unit.objects.filter(pk=town.pk) | Unit.objects.filter(parent=town)
    assert options(select(html, "owner_unit")) == [
        ("", "---------"),
        *((str(u.pk), u.name) for u in units.order_by("sort_order", "id")),
    ]
    assert chosen(select(html, "owner_unit")) == ["开张镇"]
    assert "core/units/options" not in html


@override_settings(YANZHEN_LONG_LIST=3)
def test_many_units_are_searched_and_only_the_chosen_one_is_sent(demo_db: Demo) -> None:
    client = demo_db.client("town")
    html = client.get(reverse("cooperation:cooperation_new")).content.decode()
    assert options(select(html, "owner_unit")) == [
        ("", "---------"),
        (pk("开张镇"), "开张镇（永济市）"),
    ]
    assert chosen(select(html, "owner_unit")) == ["开张镇（永济市）"]
    assert 'hx-get="/units/options/?field=owner_unit"' in html
    assert 'aria-label="搜索登记单位"' in html
    # a unit of the town's scope that the page did not list is accepted
    response = client.post(reverse("cooperation:cooperation_new"), form(owner_unit=pk("普乐头村")))
    assert response.status_code == 302
    created = Cooperation.objects.get(title="芦笋品种选育合作")
    assert created.owner_unit.name == "普乐头村"
    # one outside it is not
    response = client.post(
        reverse("cooperation:cooperation_new"), form(title="越权", owner_unit=pk("永济市教育局"))
    )
    assert response.status_code == 200
    assert field_errors(response.content.decode()) == [
        "该单位不在可选范围内（或不在您的数据范围内），请重新选择"
    ]
    assert not Cooperation.objects.filter(title="越权").exists()


@override_settings(YANZHEN_LONG_LIST=5)
def test_every_unit_field_of_a_form_becomes_a_picker(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("core:person_new")).content.decode()
    assert 'hx-get="/units/options/?field=unit"' in html
    assert options(select(html, "unit")) == [("", "---------")]
    html = demo_db.client("office").get(reverse("cooperation:base_new")).content.decode()
    # one county: a plain select; thirteen departments: a picker
    assert options(select(html, "county")) == [("", "---------"), (pk("永济市"), "永济市")]
    assert 'hx-get="/units/options/?field=lead_department"' in html


def test_the_picker_offers_the_users_units_matching_the_search(demo_db: Demo) -> None:
    url = reverse("core:unit_options")
    town = demo_db.client("town")
    html = town.get(url, {"field": "owner_unit", "search": "开张"}).content.decode()
    # in the units' order (villages first, as the demo sorts them)
    assert options(html) == [
        (pk("东开张村"), "东开张村（开张镇）"),
        (pk("西开张村"), "西开张村（开张镇）"),  # Yongji's real villages
        (pk("开张镇"), "开张镇（永济市）"),
    ]
    # by pinyin initials, with the chosen unit first and selected
    html = town.get(
        url, {"field": "owner_unit", "owner_unit": pk("开张镇"), "search": "plt"}
    ).content.decode()
    assert options(html) == [
        (pk("开张镇"), "开张镇（永济市）"),
        (pk("普乐头村"), "普乐头村（开张镇）"),
    ]
    assert chosen(html) == ["开张镇（永济市）"]
    # never a unit outside the scope, searched or chosen
    html = town.get(
        url, {"field": "owner_unit", "owner_unit": pk("永济市教育局"), "search": "教育"}
    ).content.decode()
    assert html == '<option value="" disabled>没有匹配的单位</option>\n'
    # nothing typed: the first 30 of the scope (the office's county: 永济市 and the units
    # under it, never the province or the city above it), in their order
    office = demo_db.client("office")
    html = office.get(url, {"field": "parent"}).content.decode()
    county = UnitClosure.objects.filter(ancestor_id=int(pk("永济市"))).values("descendant_id")
    first = Unit.objects.filter(pk__in=county).order_by("sort_order", "id")[:30]
    assert [value for value, _ in options(html)] == [str(u.pk) for u in first]
    assert len(first) == 30
    # the name of the field is not read as a chosen unit when it names the search box
    html = office.get(url, {"field": "search", "search": pk("开张镇")}).content.decode()
    assert chosen(html) == []


NAMES = [
    "开张镇",
    "东开张村",
    " 山西长荣农业科技股份有限公司 ",
    "山西长荣农业科技股份有限公司",
    "开张镇/东开张村",
    "开张镇／东开张村",
    "永济 食品加工示范企业(演示)",
    "永济食品加工示范企业（演示）",
    "140881102",
    "中车",
    "不存在的单位",
    "ABB",
    "张营村",
    "城西街道/小张村",
]


def test_resolving_a_few_names_reads_few_units_and_answers_as_reading_all(demo_db: Demo) -> None:
    units = local_units(demo_db.users["office"])
    # two villages of the same name in different towns, and names with inner spaces (a name no
    # real village of Yongji has)
    kaizhang = Unit.objects.get(name="开张镇")
    zhangying = Unit.objects.get(name="张营镇")
    unit_create(actor=None, parent=kaizhang, name="张营村", kind=UnitKind.VILLAGE)
    unit_create(actor=None, parent=kaizhang, name="雁　阵 村", kind=UnitKind.VILLAGE)
    full = UnitResolver.of(units)
    for text in [*NAMES, "雁阵村", "开张镇/雁 阵村", "张营镇/张营村"]:
        assert UnitResolver.among(units, [text]).resolve(text) == full.resolve(text), text
    few = UnitResolver.among(units, ["张营村", "开张镇/东开张村"])
    assert sorted(few.labels.values()) == ["东开张村", "开张镇/张营村", "张营镇/张营村"]
    assert few.resolve("张营村") == (None, "有2个单位名为“张营村”，请写成“上级单位/张营村”")
    assert few.resolve("张营镇/张营村")[0] == Unit.objects.get(name="张营村", parent=zhangying).pk
    assert UnitResolver.among(units, ["雁阵村"]).resolve("雁阵村")[0] == (
        Unit.objects.get(name="雁　阵 村").pk
    )
    # a name without Chinese characters is looked for among all the units
    assert len(UnitResolver.among(units, ["ABB"]).labels) == len(full.labels)
    assert UnitResolver.among(units, []).labels == {}


@override_settings(YANZHEN_LONG_LIST=3)
def test_people_are_picked_the_same_way(demo_db: Demo) -> None:
    office = demo_db.client("office")
    html = office.get(reverse("cooperation:secondment_create")).content.decode()
    assert 'hx-get="/people/options/?field=person"' in html
    assert options(select(html, "person")) == [("", "---------")]
    assert 'aria-label="搜索挂职人员"' in html
    url = reverse("core:person_options")
    people = Person.objects.select_related("unit").order_by("id")
    first = people[0]
    html = office.get(url, {"field": "person", "search": first.name}).content.decode()
    same_name = [p for p in people if first.name in p.name or first.name in p.unit.name]
    assert options(html) == [(str(p.pk), f"{p.name}（{p.unit.name}）") for p in same_name][:30]
    html = office.get(url, {"field": "person", "person": str(first.pk)}).content.decode()
    assert chosen(html) == [f"{first.name}（{first.unit.name}）"]
    # the chosen one, and the first 30 others
    assert len(options(html)) == min(31, people.count())
    # the town sees only the people of its units, chosen or searched
    town = demo_db.client("town")
    town_people = list(person_qs(demo_db.users["town"]).select_related("unit").order_by("id"))
    html = town.get(url, {"field": "person"}).content.decode()
    assert options(html) == [(str(p.pk), f"{p.name}（{p.unit.name}）") for p in town_people]
    assert len(town_people) >= 1
    outside = people.exclude(pk__in=[p.pk for p in town_people])[0]
    html = town.get(
        url, {"field": "person", "person": str(outside.pk), "search": outside.name}
    ).content.decode()
    assert html == '<option value="" disabled>没有匹配的人员</option>\n'


def datalist(html: str) -> list[str]:
    found = re.search(r'<datalist id="unit-names">(.*?)</datalist>', html, re.S)
    assert found
    return re.findall(r'<option value="([^"]*)">', found.group(1))


def test_the_parties_field_suggests_the_scopes_local_units_while_they_are_few(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = demo_db.client("office")
    html = client.get(reverse("cooperation:cooperation_new")).content.decode()
    names = list(local_units(demo_db.users["office"]).values_list("name", flat=True))
    assert datalist(html) == names
    assert len(names) == Unit.objects.filter(kind__in=LOCAL_PARTY_KINDS, is_active=True).count()
    monkeypatch.setattr(cooperation_selectors, "SUGGESTED_UNITS", len(names) - 1)
    assert datalist(client.get(reverse("cooperation:cooperation_new")).content.decode()) == []
    monkeypatch.setattr(cooperation_selectors, "SUGGESTED_UNITS", len(names))
    assert datalist(client.get(reverse("cooperation:cooperation_new")).content.decode()) == names
