"""Searching, resolving and describing universities over the real reference data."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.http import Http404
from pytest_django import DjangoAssertNumQueries

from yanzhen.core.errors import DomainError
from yanzhen.engines.names import Method, NameIndex
from yanzhen.reference.models import University
from yanzhen.reference.selectors import (
    university_get,
    university_resolver,
    university_search,
    university_strengths,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded")]


def names(q: str, *, province: str = "", level: str = "", flag: str = "") -> list[str]:
    found = university_search(q=q, province=province, level=level, flag=flag)
    return [u.name for u in found]


def pk_of(name: str) -> str:
    return str(University.objects.get(name=name).pk)


# --- search ---------------------------------------------------------------------------------


def test_initials_find_zhongbei_first() -> None:
    assert names("zbdx")[0] == "中北大学"


def test_an_initials_prefix_finds_xian_jiaotong() -> None:
    assert names("xajt") == ["西安交通大学", "西安交通工程学院", "西安交通大学城市学院"]


def test_an_alias_finds_its_university() -> None:
    assert names("西交大") == ["西安交通大学"]
    assert names("西工大") == ["西北工业大学"]


def test_an_ambiguous_alias_finds_both_universities_first() -> None:
    found = names("山大")
    assert sorted(found[:2]) == ["山东大学", "山西大学"]
    # then the names that contain 山大, by code
    assert found[2:] == ["燕山大学", "燕山大学里仁学院", "井冈山大学", "中山大学", "佛山大学"]


def test_a_code_finds_its_university() -> None:
    assert names("4161010698") == ["西安交通大学"]
    assert names("4114010110") == ["中北大学"]
    # a partial code matches every code containing it, by code
    assert names("416101069") == ["西北大学", "西安交通大学", "西北工业大学"]


def test_a_full_pinyin_prefix_finds_by_pinyin() -> None:
    assert names("xianjiaotong") == ["西安交通大学", "西安交通工程学院", "西安交通大学城市学院"]
    assert names("Xi An Jiao Tong Da Xue") == ["西安交通大学", "西安交通大学城市学院"]


def test_the_exact_name_comes_before_longer_names() -> None:
    assert names("西安交通大学") == ["西安交通大学", "西安交通大学城市学院"]


def test_half_width_brackets_find_the_official_name() -> None:
    assert names("中国矿业大学(北京)") == ["中国矿业大学（北京）"]


def test_filters_narrow_the_search() -> None:
    assert len(names("", province="山西", level="本科")) == 36
    assert len(names("", province="山西省")) == 90
    assert names("", province="陕西", flag="985") == [
        "西安交通大学",
        "西北工业大学",
        "西北农林科技大学",
    ]
    assert names("", province="山西", flag="双一流") == ["山西大学", "太原理工大学"]
    assert names("tylg", province="山西", flag="211") == ["太原理工大学"]


def test_an_unknown_flag_is_refused() -> None:
    with pytest.raises(DomainError, match="未知的高校类别“C9”"):
        university_search(q="", flag="C9")


def test_search_with_a_limit_is_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(1):
        found = list(university_search(q="大学", limit=5))
    assert len(found) == 5


def test_a_search_that_matches_nothing_is_empty() -> None:
    assert names("没有这样的学校") == []


# --- get and resolve ------------------------------------------------------------------------


def test_university_get_returns_the_row_or_404() -> None:
    school = University.objects.get(code="4114010110")
    assert university_get(school.pk).name == "中北大学"
    with pytest.raises(Http404):
        university_get(0)


def test_the_resolver_is_built_in_two_queries(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(2):
        index = university_resolver()
    assert len(index.entries) == 3167


def test_the_resolver_uses_the_stored_pinyin_which_is_the_names_own() -> None:
    index = university_resolver()
    computed = NameIndex.build(replace(e, pinyin="") for e in index.entries.values())
    assert index.by_pinyin == computed.by_pinyin
    assert len(index.by_pinyin) == 3153
    assert index.resolve("zhongbeidaxue", allow_pinyin=True).key == pk_of("中北大学")


def test_the_resolver_resolves_codes_names_and_aliases() -> None:
    index = university_resolver()
    assert index.resolve("4114010110").key == pk_of("中北大学")
    assert index.resolve("西北农林").key == pk_of("西北农林科技大学")
    assert index.resolve("西北农林").method == Method.ALIAS
    assert index.resolve("中国矿业大学(北京)").key == pk_of("中国矿业大学（北京）")
    found = index.resolve("山大")
    assert (found.key, found.method) == (None, Method.AMBIGUOUS)
    assert set(found.candidates) == {pk_of("山东大学"), pk_of("山西大学")}


def test_the_resolver_matches_the_schools_of_the_yongji_case() -> None:
    index = university_resolver()
    written = {
        "西交大": "西安交通大学",
        "西工大": "西北工业大学",
        "中北": "中北大学",
        "山农大": "山西农业大学",
        "武大": "武汉大学",
        "清华": "清华大学",
        "西农": "西北农林科技大学",
        "太科大": "太原科技大学",
        "北理工": "北京理工大学",
        "太理": "太原理工大学",
        "山西师大": "山西师范大学",
        "陕师大": "陕西师范大学",
        "西电": "西安电子科技大学",
        "苏大": "苏州大学",
        "川大": "四川大学",
        "上理工": "上海理工大学",
    }
    assert {text: index.resolve(text).key for text in written} == {
        text: pk_of(name) for text, name in written.items()
    }


# --- strengths and trees --------------------------------------------------------------------


def test_strengths_of_xian_jiaotong() -> None:
    strengths = university_strengths(University.objects.get(name="西安交通大学"))
    assert [d.discipline_name for d in strengths.dfc_2022] == [
        "力学",
        "机械工程",
        "材料科学与工程",
        "动力工程及工程热物理",
        "电气工程",
        "控制科学与工程",
        "管理科学与工程",
        "工商管理",
    ]
    assert "电气工程" in [d.discipline_name for d in strengths.dfc_2017]
    assert len(strengths.evaluations) == 41
    assert [(e.discipline_code, e.grade) for e in strengths.evaluations[:2]] == [
        ("0807", "A+"),
        ("0808", "A+"),
    ]
    assert len([e for e in strengths.evaluations if e.grade.startswith("A")]) == 14


def test_strengths_take_two_queries(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    school = University.objects.get(name="中北大学")
    with django_assert_num_queries(2):
        strengths = university_strengths(school)
    assert (strengths.dfc_2022, strengths.dfc_2017) == ([], [])
    assert [(e.discipline_code, e.grade) for e in strengths.evaluations][:2] == [
        ("0804", "B+"),
        ("0810", "B"),
    ]
