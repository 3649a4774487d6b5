"""The base picker: a user's bases listed in full while they are few, searched as the user
types when they are many (33,600 at national scope), in the ledger's filters and its form."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import Demo
from tests.cooperation.test_views import form
from yanzhen.cooperation.models import Base, Cooperation

pytestmark = pytest.mark.usefixtures("demo_db")

OPTION = re.compile(r'<option value="([^"]*)"( selected)?[^>]*>([^<]*)</option>')


def select(html: str, name: str = "base") -> str:
    found = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert found, f"no <select name={name}>"
    return found.group(0)


def options(html: str) -> list[tuple[str, str]]:
    return [(value, label) for value, _, label in OPTION.findall(html)]


def chosen(html: str) -> list[str]:
    return [label for _, selected, label in OPTION.findall(html) if selected]


def pk(name: str) -> str:
    return str(Base.objects.get(name=name).pk)


def total(html: str) -> int:
    found = re.search(r"共 (\d+) 条", html)
    assert found
    return int(found.group(1))


def test_a_few_bases_are_a_plain_select(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("cooperation:cooperation_list")).content.decode()
    bases = Base.objects.order_by("sort_order", "id")
    assert options(select(html)) == [
        ("", "全部"),
        *((str(b.pk), b.name) for b in bases),
        ("none", "不属于基地"),
    ]
    assert len(bases) == 12
    assert "data-search-only" not in html


@override_settings(YANZHEN_LONG_LIST=11)
def test_many_bases_are_searched_and_only_the_chosen_one_is_sent(demo_db: Demo) -> None:
    client = demo_db.client("office")
    html = client.get(reverse("cooperation:cooperation_list")).content.decode()
    assert options(select(html)) == [("", "全部"), ("none", "不属于基地")]
    assert '<optgroup label="基地">' in select(html)
    assert 'hx-get="/cooperation/bases/options/"' in html
    assert 'form="search-only"' in html
    assert 'aria-label="搜索所属基地"' in html
    assert 'hx-push-url="false"' in html

    agriculture = pk("现代农业科技示范基地")
    response = client.get(reverse("cooperation:cooperation_list"), {"base": agriculture})
    html = response.content.decode()
    assert options(select(html)) == [
        ("", "全部"),
        ("none", "不属于基地"),
        (agriculture, "现代农业科技示范基地（永济市）"),
    ]
    assert chosen(select(html)) == ["现代农业科技示范基地（永济市）"]
    assert total(html) == Cooperation.objects.filter(base_id=agriculture).count() == 13

    # A base outside the user's scope, or no base at all, is not a choice: the filters are
    # ignored as any bad filter value is, and nothing fails.
    for bad in ("999999", "99999999999999999999999", "-1", "１２"):
        html = client.get(reverse("cooperation:cooperation_list"), {"base": bad}).content.decode()
        assert options(select(html)) == [("", "全部"), ("none", "不属于基地")]
        assert total(html) == Cooperation.objects.count() == 121  # and one waiting for review


def test_the_picker_offers_the_users_bases_matching_the_search(demo_db: Demo) -> None:
    url = reverse("cooperation:base_options")
    client = demo_db.client("office")
    html = client.get(url, {"search": "农业"}).content.decode()
    assert options(html) == [(pk("现代农业科技示范基地"), "现代农业科技示范基地（永济市）")]
    # by its lead department, with the chosen base first and selected
    html = client.get(
        url, {"search": "教育局", "base": pk("现代农业科技示范基地")}
    ).content.decode()
    assert options(html) == [
        (pk("现代农业科技示范基地"), "现代农业科技示范基地（永济市）"),
        (pk("基础教育合作基地"), "基础教育合作基地（永济市）"),
    ]
    assert chosen(html) == ["现代农业科技示范基地（永济市）"]
    # nothing typed: the first 30 in their order
    html = client.get(url).content.decode()
    assert [label for _, label in options(html)] == [
        f"{b.name}（永济市）" for b in Base.objects.order_by("sort_order", "id")
    ]
    assert client.get(url, {"search": "无此基地"}).content.decode() == (
        '<option value="" disabled>没有匹配的基地</option>\n'
    )
    # only the user's own bases: those the 工信局 leads
    html = demo_db.client("base").get(url).content.decode()
    assert [label for _, label in options(html)] == [
        "轨道交通与电机电器产学研基地（永济市）",
        "新材料与精细化工产学研基地（永济市）",
    ]
    html = demo_db.client("base").get(url, {"base": pk("基础教育合作基地")}).content.decode()
    assert "基础教育" not in html


@override_settings(YANZHEN_LONG_LIST=11)
def test_the_cooperation_form_sends_only_the_chosen_base(demo_db: Demo) -> None:
    client = demo_db.client("office")
    cooperation = Cooperation.objects.filter(base__name="现代农业科技示范基地").order_by("pk")[0]
    html = client.get(
        reverse("cooperation:cooperation_edit", kwargs={"pk": cooperation.pk})
    ).content.decode()
    assert options(select(html)) == [
        ("", "---------"),
        (pk("现代农业科技示范基地"), "现代农业科技示范基地（永济市）"),
    ]
    assert chosen(select(html)) == ["现代农业科技示范基地（永济市）"]
    html = client.get(reverse("cooperation:cooperation_new")).content.decode()
    assert options(select(html)) == [("", "---------")]
    # any base of the user's scope is accepted, though the page did not list it
    response = client.post(
        reverse("cooperation:cooperation_new"), form(base=pk("基础教育合作基地"))
    )
    assert response.status_code == 302
    created = Cooperation.objects.get(title="芦笋品种选育合作")
    assert created.base is not None
    assert created.base.name == "基础教育合作基地"
