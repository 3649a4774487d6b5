"""The province's kinds of base (省定基地类型): a catalogue the province keeps; every base has
a type (``base_type`` in the bases API); roll-ups by type across the counties a user sees."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Base, BaseType
from yanzhen.core.models import DataScope, Unit, UnitKind
from yanzhen.core.services import unit_create


def test_yongjis_twelve_bases_have_their_province_types(demo_db: Demo) -> None:
    assert list(BaseType.objects.values_list("name", flat=True)[:6]) == [
        "大学生实习实训基地",
        "大学生就业创业基地",
        "高校科技成果转化基地",
        "智库合作基地",
        "高校优质生源基地",
        "技能人才培养基地",
    ]
    yongji = Base.objects.filter(county__name="永济市")
    assert yongji.count() == 12
    assert not yongji.filter(base_type__isnull=True).exists()
    assert dict(yongji.values_list("code", "base_type__name"))["YJ-B11"] == "大学生实习实训基地"


def test_the_bases_api_gives_each_bases_type(demo_db: Demo) -> None:
    client = demo_db.client("office")
    rows = client.get(reverse("api:list_bases")).json()
    by_code = {r["code"]: r["base_type"] for r in rows}
    assert by_code["YJ-B11"] == {"code": "JD01", "name": "大学生实习实训基地"}
    assert by_code["YJ-B01"] == {"code": "JD07", "name": "产学研合作基地"}
    one = Base.objects.get(code="YJ-B04")
    detail = client.get(reverse("api:get_base", kwargs={"base_id": one.pk})).json()
    assert detail["base_type"] == {"code": "JD08", "name": "现代农业科技示范基地"}
    filtered = client.get(reverse("api:list_bases"), {"base_type": "JD08"}).json()
    assert [r["code"] for r in filtered] == ["YJ-B04", "YJ-B05"]
    Base.objects.filter(code="YJ-B12").update(base_type=None)
    assert {r["code"]: r["base_type"] for r in client.get(reverse("api:list_bases")).json()}[
        "YJ-B12"
    ] is None


def test_the_rollup_counts_each_type_per_county(demo_db: Demo) -> None:
    page = demo_db.client("office").get(reverse("cooperation:base_type_list")).content.decode()
    assert "大学生实习实训基地" in page
    assert "永济市 2" in page  # two 产学研合作基地 in Yongji
    bases = demo_db.client("office").get(reverse("cooperation:base_list"), {"base_type": "JD07"})
    text = bases.content.decode()
    assert "轨道交通与电机电器产学研基地" in text
    assert "面食产业人才培训基地" not in text


def test_only_the_province_keeps_the_catalogue(demo_db: Demo, make_user: object) -> None:
    perms = ["cooperation.view_base", "cooperation.change_basetype", "cooperation.add_basetype"]
    county_user = make_user(Unit.objects.get(name="永济市"), DataScope.UNIT_AND_BELOW, perms)  # type: ignore[operator]
    province = Unit.objects.filter(kind=UnitKind.PROVINCE).first() or unit_create(
        actor=None, parent=None, name="山西省", kind=UnitKind.PROVINCE
    )
    province_user = make_user(province, DataScope.UNIT_AND_BELOW, perms)  # type: ignore[operator]
    kind = BaseType.objects.get(code="JD01")
    url = reverse("cooperation:base_type_edit", args=[kind.pk])
    body = {
        "code": "JD01",
        "name": "大学生实习实训基地",
        "purpose": "新的目的",
        "expected_content": "新的要求",
        "sort_order": 1,
        "version": kind.version,
    }
    from django.test import Client

    county = Client()
    county.force_login(county_user)
    assert county.post(url, body).status_code == 403
    kind.refresh_from_db()
    assert (kind.purpose, kind.version) == ("为高校学生提供专业实习、毕业实习和实训岗位。", 1)
    office = Client()
    office.force_login(province_user)
    assert office.post(url, body).status_code == 302
    kind.refresh_from_db()
    assert (kind.purpose, kind.expected_content, kind.version) == ("新的目的", "新的要求", 2)
    empty = office.post(reverse("cooperation:base_type_new"), {**body, "code": "", "name": ""})
    assert "这个字段是必填项" in empty.content.decode()
    assert BaseType.objects.count() == 12
