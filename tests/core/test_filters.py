"""Filters declared once (core/filters.py): the selector's dataclass gives the HTML filter form
(bounded, Chinese labels, choices in the data scope) and the API's query schema, and both give
back the same dataclass."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.http import QueryDict
from pydantic import ValidationError

from yanzhen.core.filters import (
    FilterQuery,
    Filters,
    choice,
    day,
    filter_form,
    flag,
    month,
    number,
    parse_filters,
    record,
    text,
    tristate,
)
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.selectors import unit_qs
from yanzhen.core.services import unit_create

HUGE = "9" * 30


class Colour(models.TextChoices):
    RED = "red", "红"
    BLUE = "blue", "蓝"


def units_of(user: User) -> QuerySet[Unit]:
    return unit_qs(user).order_by("pk")


@dataclass(frozen=True)
class Demo(Filters):
    q: str = text("搜索")
    colour: str = choice("颜色", Colour)
    size: str = choice("尺寸", {"s": "小", "l": "大"}, empty="任意")
    year: int | None = number("年度", low=1990, high=2100)
    active: bool | None = tristate("启用")
    mine: bool = flag("只看我的")
    since: dt.date | None = day("起始日期")
    period: dt.date | None = month("月份")
    unit: int | None = record("单位", records=units_of)
    owner: int | None = record("负责人", hidden=True, zero=True)


@pytest.mark.django_db
def test_the_form_has_the_fields_of_the_dataclass_with_their_labels_and_bounds(
    county: Unit, make_user: Callable[..., User]
) -> None:
    form = filter_form(Demo)(user=make_user(county))
    assert list(form.fields) == [
        "q", "colour", "size", "year", "active", "mine", "since", "period", "unit", "owner",
    ]  # fmt: skip
    assert [form.fields[n].label for n in ("q", "colour", "year", "owner")] == [
        "搜索", "颜色", "年度", "负责人",
    ]  # fmt: skip
    colour = form.fields["colour"]
    assert isinstance(colour, forms.ChoiceField)
    assert colour.choices == [("", "全部"), ("red", "红"), ("blue", "蓝")]
    size = form.fields["size"]
    assert isinstance(size, forms.ChoiceField)
    assert size.choices == [("", "任意"), ("s", "小"), ("l", "大")]
    assert [n for n, f in form.fields.items() if f.widget.is_hidden] == ["owner"]
    year = form.fields["year"]
    assert isinstance(year, forms.IntegerField)
    assert (year.min_value, year.max_value) == (1990, 2100)
    assert form.fields["q"].max_length == 200  # type: ignore[attr-defined]
    assert form.fields["owner"].max_value == 2**63 - 1  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_every_kind_of_filter_is_read_from_the_query_string(
    county: Unit, make_user: Callable[..., User]
) -> None:
    user = make_user(county, "unit_and_below")
    query = QueryDict(
        "q=+面食+&colour=blue&size=l&year=2021&active=0&mine=on&since=2021-05-01"
        f"&period=2021-12&unit={county.pk}&owner=0"
    )
    assert parse_filters(Demo, query, user=user) == Demo(
        q="面食", colour="blue", size="l", year=2021, active=False, mine=True,
        since=dt.date(2021, 5, 1), period=dt.date(2021, 12, 1), unit=county.pk, owner=0,
    )  # fmt: skip
    assert parse_filters(Demo, QueryDict(), user=user) == Demo()


@pytest.mark.django_db
def test_the_url_parameters_of_filters_give_back_the_same_filters(
    county: Unit, make_user: Callable[..., User]
) -> None:
    user = make_user(county, "unit_and_below")
    filters = Demo(
        q="x", colour="red", year=2021, active=False, mine=True, since=dt.date(2021, 5, 1),
        period=dt.date(2021, 12, 1), unit=county.pk, owner=7,
    )  # fmt: skip
    query = filters.as_query()
    assert query == {
        "q": "x", "colour": "red", "year": "2021", "active": "0", "mine": "1",
        "since": "2021-05-01", "period": "2021-12", "unit": str(county.pk), "owner": "7",
    }  # fmt: skip
    assert parse_filters(Demo, QueryDict(urlencode(query)), user=user) == filters
    assert Demo().as_query() == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("owner", HUGE, "筛选条件参数“owner”不正确：数值过大（不能超过9223372036854775807）"),
        ("owner", "-1", "筛选条件参数“owner”不正确：确保该值大于或等于0。"),
        ("year", "1e309", "筛选条件“年度”不正确：输入整数。"),
        ("colour", "green", "筛选条件“颜色”不正确：选择一个有效的选项。 green 不在可用的选项中。"),
        ("q", "x" * 201, "筛选条件“搜索”不正确：不能超过200个字符"),
        ("since", "9999-12-31", "筛选条件“起始日期”不正确：日期应在1900年至2100年之间"),
        ("period", "2021-13", "筛选条件“月份”不正确：月份应写成 2021-12"),
        ("unit", HUGE, "筛选条件“单位”不正确：该单位不在可选范围内（或不在您的数据范围内）"),
    ],
)
def test_a_bad_filter_is_named_in_chinese_and_the_list_shows_unfiltered(
    name: str, value: str, problem: str, county: Unit, make_user: Callable[..., User]
) -> None:
    form = filter_form(Demo)(
        QueryDict(urlencode({name: value, "mine": "on"})), user=make_user(county)
    )
    assert form.problems() == [problem]
    assert form.filters() == Demo()


@pytest.mark.django_db
def test_a_record_outside_the_data_scope_is_not_a_choice(
    county: Unit, make_user: Callable[..., User]
) -> None:
    town = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    user = make_user(town, "unit_and_below")
    form = filter_form(Demo)(QueryDict(f"unit={county.pk}"), user=user)
    assert form.problems() == ["筛选条件“单位”不正确：该单位不在可选范围内（或不在您的数据范围内）"]
    assert parse_filters(Demo, QueryDict(f"unit={town.pk}"), user=user).unit == town.pk


def test_choices_in_the_data_scope_need_the_user() -> None:
    with pytest.raises(TypeError, match="unit"):
        filter_form(Demo)(QueryDict("unit=1"))


def test_the_hidden_filters_in_effect_are_named_for_the_page() -> None:
    form = filter_form(Demo, only=("q", "owner"))(QueryDict("q=x&owner=3"))
    assert form.active() == [("负责人", "3")]


def test_a_form_may_show_other_fields_than_the_declared_ones() -> None:
    form = filter_form(Demo, only=("year", "owner"), shown=("owner",))()
    assert {n: f.widget.is_hidden for n, f in form.fields.items()} == {
        "year": True,
        "owner": False,
    }


def test_a_filter_declared_without_its_field_or_of_another_type_is_refused() -> None:
    @dataclass(frozen=True)
    class Plain(Filters):
        q: str = ""

    @dataclass(frozen=True)
    class Mistyped(Filters):
        year: str = number("年度", low=1, high=2)

    with pytest.raises(TypeError, match="declare it with a filter field"):
        filter_form(Plain)
    with pytest.raises(TypeError, match="a number filter is annotated"):
        filter_form(Mistyped)


class DemoQuery(FilterQuery[Demo]):
    page: int = 1


def test_the_api_query_schema_has_the_same_names_bounds_and_choices() -> None:
    query = DemoQuery.model_validate(
        {"q": "x", "colour": "red", "year": 2021, "active": False, "since": "2021-05-01",
         "period": "2021-12", "unit": 5, "owner": 0, "page": 2}
    )  # fmt: skip
    assert query.filters() == Demo(
        q="x", colour="red", year=2021, active=False, since=dt.date(2021, 5, 1),
        period=dt.date(2021, 12, 1), unit=5, owner=0,
    )  # fmt: skip
    assert query.page == 2
    assert DemoQuery.model_validate({}).filters() == Demo()
    schema = DemoQuery.model_json_schema()["properties"]
    assert schema["colour"]["enum"] == ["", "red", "blue"]
    assert schema["colour"]["description"] == "颜色"
    assert schema["unit"]["anyOf"][0]["maximum"] == 2**63 - 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("unit", int(HUGE)),
        ("unit", 0),
        ("year", 3000),
        ("colour", "green"),
        ("q", "x" * 201),
        ("since", "9999-12-31"),
        ("period", "2021-13"),
    ],
)
def test_the_api_refuses_a_filter_beyond_its_bounds(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        DemoQuery.model_validate({name: value})
    assert [e["loc"][0] for e in caught.value.errors()] == [name]
