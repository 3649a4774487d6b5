"""Global search: by name, pinyin and initials, grouped by kind, in the user's scope; personal
numbers only exactly, for holders of the personal-data permission."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Demo
from yanzhen.core.models import Person

pytestmark = pytest.mark.usefixtures("demo_db")


def _groups(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for kind, body in re.findall(r'data-kind="([^"]+)">(.*?)</section>', html, re.S):
        found[kind] = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', body)
    return found


def test_initials_find_the_university(demo_db: Demo) -> None:
    html = demo_db.client("office").get("/search/", {"q": "xajtdx"}).content.decode()
    assert _groups(html)["高校"][0] == "西安交通大学"


def test_full_pinyin_and_chinese_find_the_same_university(demo_db: Demo) -> None:
    client = demo_db.client("office")
    by_pinyin = _groups(client.get("/search/", {"q": "xianjiaotong"}).content.decode())
    by_name = _groups(client.get("/search/", {"q": "西安交通"}).content.decode())
    assert by_pinyin["高校"][0] == "西安交通大学"
    assert by_name["高校"][0] == "西安交通大学"
    assert by_pinyin["高校"] == by_name["高校"]


def test_units_are_found_by_initials_in_the_scope(demo_db: Demo) -> None:
    office = _groups(demo_db.client("office").get("/search/", {"q": "kzz"}).content.decode())
    assert "开张镇" in office["单位"]
    # An enterprise sees units of its own scope only: the town is not among them.
    enterprise = _groups(
        demo_db.client("enterprise").get("/search/", {"q": "kzz"}).content.decode()
    )
    assert "开张镇" not in enterprise.get("单位", [])


def test_a_kind_the_user_may_not_list_is_not_searched(demo_db: Demo) -> None:
    html = demo_db.client("enterprise").get("/search/", {"q": "王"}).content.decode()
    assert "人员" not in _groups(html)


def test_numbers_are_never_matched_as_text(demo_db: Demo) -> None:
    person = Person.objects.exclude(mobile="").exclude(id_number="").order_by("pk").first()
    assert person is not None
    client = demo_db.client("office")
    for partial in (person.mobile[:7], person.id_number[:10], person.mobile[-4:]):
        assert _groups(client.get("/search/", {"q": partial}).content.decode()) == {}


def test_an_exact_number_finds_the_person_only_with_the_permission(demo_db: Demo) -> None:
    person = Person.objects.exclude(mobile="").order_by("pk").first()
    assert person is not None
    assert demo_db.users["office"].has_perm("core.view_personal_data")
    html = demo_db.client("office").get("/search/", {"q": person.mobile}).content.decode()
    assert _groups(html) == {"人员": [person.name]}
    # The leader may list people but not see personal data: the exact number finds nothing.
    leader = demo_db.users["leader"]
    assert leader.has_perm("core.view_person")
    assert not leader.has_perm("core.view_personal_data")
    html = demo_db.client("leader").get("/search/", {"q": person.mobile}).content.decode()
    assert _groups(html) == {}
    assert "没有找到" in html
